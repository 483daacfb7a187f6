/**
 * Jest matchers for network policy: `expect(model).toAllow(flow)` and `expect(model).toDeny(flow)`.
 *
 * ```ts
 * import { calicoMatchers } from 'cdk8s-calico/testing';
 * expect.extend(calicoMatchers);
 *
 * const model = PolicyModel.fromChart(chart);
 * expect(model).toDeny({
 *   source: { namespaceName: 'org-1', labels: { app: 'web' } },
 *   destination: { namespaceName: 'org-2', labels: { app: 'api' } },
 *   port: 80,
 * });
 * ```
 *
 * The value under test may be a `PolicyModel`, a list of manifest objects, or a chart (anything
 * with `toJson()`). A failure message shows the flow, the verdict, and for each direction the
 * deciding policy, rule index and action (or why nothing decided), then the rules looked at.
 *
 * Not part of the jsii API (jest is TypeScript/JavaScript only): import it from
 * `cdk8s-calico/testing`, not from the package root.
 */
import { Chart } from 'cdk8s';
import { EvaluateOptions, Flow, FlowVerdict, PolicyModel } from './policy-model';

/** The part of jest's matcher context the matchers use. */
export interface CalicoMatcherContext {
  /** Whether the assertion is negated (`expect(x).not.toAllow(...)`). */
  readonly isNot?: boolean;
}

/** What a matcher returns to jest. */
export interface CalicoMatcherResult {
  /** Whether the value satisfies the matcher. */
  readonly pass: boolean;
  /** The message jest prints when the assertion fails. */
  readonly message: () => string;
}

/** The matchers to pass to `expect.extend()`. */
export const calicoMatchers = {
  /**
   * Passes when the model allows the flow (egress at the source and ingress at the destination).
   * @param received a PolicyModel, a list of manifests, or a chart
   * @param flow the connection
   * @param options `{ enforceStaged: true }` to judge as if every staged policy were enforced
   */
  toAllow(this: unknown, received: unknown, flow: Flow, options?: EvaluateOptions): CalicoMatcherResult {
    return judge(received, flow, options, true, isNot(this));
  },

  /**
   * Passes when the model denies the flow (at egress, at ingress, or both).
   * @param received a PolicyModel, a list of manifests, or a chart
   * @param flow the connection
   * @param options `{ enforceStaged: true }` to judge as if every staged policy were enforced
   */
  toDeny(this: unknown, received: unknown, flow: Flow, options?: EvaluateOptions): CalicoMatcherResult {
    return judge(received, flow, options, false, isNot(this));
  },
};

/** Whether jest called the matcher negated (its context, `this`, is a CalicoMatcherContext). */
function isNot(context: unknown): boolean {
  return typeof context === 'object' && context !== null && (context as CalicoMatcherContext).isNot === true;
}

function judge(received: unknown, flow: Flow, options: EvaluateOptions | undefined, expectAllowed: boolean, negated: boolean): CalicoMatcherResult {
  const verdict = modelOf(received).evaluate(flow, options ?? {});
  const pass = verdict.allowed === expectAllowed;
  const wanted = `${expectAllowed ? 'allowed' : 'denied'}${options?.enforceStaged ? ' with staged policies enforced' : ''}`;
  return {
    pass,
    message: () => {
      const head = negated
        ? `expected the flow not to be ${wanted}, but it is ${wanted}`
        : `expected the flow to be ${wanted}, but it is ${verdict.allowed ? 'allowed' : 'denied'}`;
      return `${head}\n${explain(verdict)}`;
    },
  };
}

/** The verdict in a form for test output: summary, deciding rules, and the trace of each direction. */
export function explain(verdict: FlowVerdict): string {
  const lines = [verdict.summary];
  for (const d of [verdict.egress, verdict.ingress]) {
    const tier = d.tier !== undefined && d.tier !== 'default' ? ` in tier ${d.tier}` : '';
    const decided = d.policyName !== undefined && d.ruleIndex !== undefined
      ? `${d.policyKind} ${d.policyNamespace ? `${d.policyNamespace}/` : ''}${d.policyName}${tier}, ${d.direction.toLowerCase()} rule ${d.ruleIndex} (${d.rulePath}), action ${d.action}`
      : `${d.decidedBy}${d.policyName !== undefined ? ` after ${d.policyKind} ${d.policyNamespace ? `${d.policyNamespace}/` : ''}${d.policyName}${tier}` : ''}`;
    lines.push(`  ${d.direction} decided by: ${decided}`);
    for (const step of d.trace) lines.push(`    ${step}`);
  }
  for (const w of verdict.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

function modelOf(received: unknown): PolicyModel {
  if (received instanceof PolicyModel) return received;
  if (Array.isArray(received)) return PolicyModel.fromManifests(received);
  // A chart is modelled for its own Calico version.
  if (Chart.isChart(received)) return PolicyModel.fromChart(received as Chart);
  if (received !== null && typeof received === 'object' && typeof (received as any).toJson === 'function') {
    return PolicyModel.fromManifests((received as any).toJson());
  }
  throw new TypeError('toAllow/toDeny need a PolicyModel, a list of manifests or a chart as the expected value, '
    + `got ${received === null ? 'null' : typeof received}; write expect(PolicyModel.fromChart(chart)).toAllow(flow)`);
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T> {
      /**
       * Passes when the policy model (or manifests, or chart) allows the flow.
       * @param flow the connection
       * @param options `{ enforceStaged: true }` to judge as if every staged policy were enforced
       */
      toAllow(flow: Flow, options?: EvaluateOptions): R;
      /**
       * Passes when the policy model (or manifests, or chart) denies the flow.
       * @param flow the connection
       * @param options `{ enforceStaged: true }` to judge as if every staged policy were enforced
       */
      toDeny(flow: Flow, options?: EvaluateOptions): R;
    }
  }
}
