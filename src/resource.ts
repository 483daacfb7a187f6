import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoApi, CalicoApiVersion } from './api-group';
import { throwIssues } from './errors';
import { applyCrdDefaults } from './private/crd-defaults';
import { validateManifest } from './validate';

/**
 * Metadata every Calico resource construct accepts.
 */
export interface CalicoResourceProps {
  /**
   * `metadata.name` of the resource, written exactly as given (never hashed).
   * @default - the construct id; `default` for the singleton configuration kinds
   */
  readonly name?: string;
  /**
   * Labels of the resource.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the resource.
   * @default - no annotations
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * Base class of every Calico resource construct: one Calico object with an explicit name,
 * rendered lazily and validated with the same rules as `validateManifest`.
 */
export abstract class CalicoResource extends Construct {
  /** The Calico kind, e.g. `IPPool`. */
  public readonly kind: string;
  /** `metadata.name` as written. */
  public readonly name: string;
  /** `metadata.namespace` for namespaced kinds, `undefined` for cluster-scoped ones. */
  public readonly namespaceName?: string;
  /** The rendered object: the escape hatch for `addJsonPatch` and dependencies. */
  public readonly apiObject: ApiObject;
  private readonly labels: { [key: string]: string };
  /**
   * Whether the resource passed a full check (`validateNow`) and has not changed since. Every
   * change either ends in `validateNow()` or marks the resource changed (`_markChanged()`), so
   * synthesis only re-checks what was not already checked where it arrived.
   */
  private checked = false;
  private readonly annotations: { [key: string]: string };

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param kind Calico kind, e.g. `IPPool`
   * @param props name, labels and annotations
   * @param namespaceName namespace of a namespaced kind; leave undefined for cluster-scoped kinds
   */
  protected constructor(scope: Construct, id: string, kind: string, props: CalicoResourceProps, namespaceName?: string) {
    super(scope, id);
    this.kind = kind;
    this.name = props.name ?? id;
    this.namespaceName = namespaceName;
    this.labels = { ...(props.labels ?? {}) };
    this.annotations = { ...(props.annotations ?? {}) };
    const objectProps: ApiObjectProps = {
      apiVersion: CalicoApiVersion.PROJECTCALICO_V3,
      kind,
      metadata: {
        name: this.name,
        namespace: namespaceName,
        labels: Object.keys(this.labels).length ? this.labels : undefined,
        annotations: Object.keys(this.annotations).length ? this.annotations : undefined,
      },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    };
    this.apiObject = new CalicoApiObject(this, 'Resource', objectProps, this);
    this.node.defaultChild = this.apiObject;
    this.node.addValidation({ validate: () => this.validateAtSynth() });
  }

  /**
   * The resource as a plain `projectcalico.org/v3` manifest, as `validateManifest` takes it.
   * Pure: calling it never changes the construct.
   */
  public toManifest(): any {
    const metadata: { [key: string]: any } = { name: this.name };
    if (this.namespaceName !== undefined) metadata.namespace = this.namespaceName;
    if (Object.keys(this.labels).length) metadata.labels = { ...this.labels };
    if (Object.keys(this.annotations).length) metadata.annotations = { ...this.annotations };
    return { apiVersion: CalicoApiVersion.PROJECTCALICO_V3, kind: this.kind, metadata, spec: this.renderSpec() };
  }

  /**
   * Renders the `spec` in `projectcalico.org/v3` form. Must be pure and idempotent.
   */
  protected abstract renderSpec(): any;

  /**
   * Validates the resource as it stands and throws a CalicoValidationError naming every issue.
   * Subclasses call it at the end of their constructor so bad input fails where it arrives.
   */
  protected validateNow(): void {
    this.checked = false;
    const issues = validateManifest(this.toManifest());
    if (issues.length) throwIssues(this, `${this.kind} '${this.name}'`, issues);
    this.checked = true;
  }

  /**
   * Records a change that was checked only in part (one added element), so the whole resource is
   * validated again at synthesis. For the library's own constructs.
   * @internal
   */
  public _markChanged(): void {
    this.checked = false;
  }

  private validateAtSynth(): string[] {
    const messages = this.checked ? [] : validateManifest(this.toManifest()).map(i => `${this.kind} '${this.name}': ${i.path}: ${i.message}`);
    if (this.kind === 'Node' && CalicoApi.versionOf(this) === CalicoApiVersion.CRD_V1) {
      messages.push(`Node '${this.name}': the Calico Node resource has no CRD in Kubernetes-datastore mode, so it cannot be written as crd.projectcalico.org/v1. `
        + 'Label and annotate the Kubernetes Node instead (labels as given; projectcalico.org/IPv4Address for the BGP address, '
        + 'projectcalico.org/RouteReflectorClusterID for the cluster ID), or write this chart in projectcalico.org/v3 and apply it with calicoctl.');
    }
    return messages;
  }
}

/** An ApiObject whose apiVersion follows the CalicoApi setting, with Calico's defaults applied in CRD mode. */
class CalicoApiObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps, private readonly owner: CalicoResource) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const version = CalicoApi.versionOf(this.owner);
    if (version === CalicoApiVersion.CRD_V1) {
      return applyCrdDefaults({ ...json, apiVersion: version });
    }
    return json;
  }
}
