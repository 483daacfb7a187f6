import { IConstruct } from 'constructs';

/**
 * Runs `finish` when the tree under `scope` is synthesized, after every construct was added and
 * before any manifest is rendered (cdk8s validates the whole app before it renders a chart, in
 * `app.synth()`, `app.synthYaml()` and `chart.toJson()` alike). For finishing touches that depend on
 * the whole tree, such as the annotations of a chart's stage; it may run more than once per
 * synthesis, so it must be idempotent. Never for checks: those go through `addCalicoValidation`.
 * @param scope the construct whose synthesis runs it
 * @param finish the finishing touch
 */
export function onSynthesis(scope: IConstruct, finish: () => void): void {
  scope.node.addValidation({
    validate: () => {
      finish();
      return [];
    },
  });
}
