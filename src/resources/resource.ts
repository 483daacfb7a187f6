import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionOf, CalicoApiVersion } from '../core/api-group';
import { CalicoVersion, calicoVersionOf } from '../core/calico-version';
import { throwIssues, ValidationIssue } from '../core/errors';
import { quote } from '../core/quote';
import { validateRenderedManifest } from '../validation/validate';
import { chartCheckOf, ChartMember, markCalicoResource, noteResourceChange } from './chart-check';
import { applyCrdDefaults } from './private/crd-defaults';

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
 * Base class of every Calico resource construct: one Calico object (the construct is itself the
 * ApiObject) with an explicit name, rendered lazily and validated with the same rules as
 * `validateManifest`. Its `apiVersion` follows the `CalicoApi` setting of its scope, with Calico's
 * defaults applied in `crd.projectcalico.org/v1` mode.
 */
export abstract class CalicoResource extends ApiObject implements ChartMember {
  /** `metadata.namespace` for namespaced kinds, `undefined` for cluster-scoped ones. */
  public readonly namespaceName?: string;
  private readonly labels: { [key: string]: string };
  /**
   * Whether the resource passed a full check (`validateNow`) and has not changed since. Every
   * change either ends in `validateNow()` or marks the resource changed (`_markChanged()`), so
   * synthesis only re-checks what was not already checked where it arrived.
   */
  private checked = false;
  /** The Calico version of the last full check. */
  private checkedVersion?: CalicoVersion;
  /** The spec of the last full check, reused when synthesizing while the resource is unchanged. */
  private checkedSpec?: any;
  private readonly annotations: { [key: string]: string };

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param kind Calico kind, e.g. `IPPool`
   * @param props name, labels and annotations
   * @param namespaceName namespace of a namespaced kind; leave undefined for cluster-scoped kinds
   */
  protected constructor(scope: Construct, id: string, kind: string, props: CalicoResourceProps, namespaceName?: string) {
    const labels = { ...(props.labels ?? {}) };
    const annotations = { ...(props.annotations ?? {}) };
    // The spec is rendered when the object is synthesized; `self` is set once `super` has run.
    const late: { self?: CalicoResource } = {};
    super(scope, id, {
      apiVersion: CalicoApiVersion.PROJECTCALICO_V3,
      kind,
      metadata: {
        name: props.name ?? id,
        namespace: namespaceName,
        labels: Object.keys(labels).length ? labels : undefined,
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      spec: Lazy.any({ produce: () => late.self!.currentSpec() }),
    });
    late.self = this;
    this.namespaceName = namespaceName;
    this.labels = labels;
    this.annotations = annotations;
    markCalicoResource(this);
    // The chart's whole-set check also runs the full check of resources that changed.
    chartCheckOf(this);
  }

  /**
   * The Calico version this resource is validated for and written in: the `CalicoVersion.use`
   * setting of its nearest scope (a CalicoCluster sets its own on its chart), else
   * `CalicoVersion.DEFAULT`.
   */
  public get calicoVersion(): CalicoVersion {
    return calicoVersionOf(this);
  }

  /**
   * The rendered object, for `addJsonPatch` and dependencies: the resource itself (kept so code
   * written against earlier versions, where it was a child construct, keeps working).
   */
  public get apiObject(): ApiObject {
    return this;
  }

  /**
   * The manifest as synthesized: `apiVersion` from the `CalicoApi` setting, and in
   * `crd.projectcalico.org/v1` mode the object Calico's version (`calicoVersion`) would store:
   * its create-time defaults, and its storage name and kind.
   */
  public toJson(): any {
    let json = super.toJson();
    if (this.namespaceName === undefined && json.metadata?.namespace !== undefined) {
      // cdk8s gives every object the chart's namespace; a cluster-scoped Calico kind has none.
      const { namespace: _namespace, ...metadata } = json.metadata;
      json = { ...json, metadata };
    }
    const apiVersion = apiVersionOf(this);
    if (apiVersion === CalicoApiVersion.CRD_V1) {
      return applyCrdDefaults({ ...json, apiVersion }, this.calicoVersion);
    }
    return json;
  }

  /**
   * The resource as a plain `projectcalico.org/v3` manifest, as `validateManifest` takes it.
   * Pure: calling it never changes the construct.
   */
  public toManifest(): any {
    return this.manifestWith(this.renderSpec());
  }

  /**
   * The manifest as `toManifest()` renders it, for read-only checks at synthesis: the spec of the
   * last full check while the resource is unchanged, else a fresh render. For the library's own
   * constructs.
   * @internal
   */
  public _checkedManifest(): any {
    return this.manifestWith(this.currentSpec());
  }

  private manifestWith(spec: any): any {
    const metadata: { [key: string]: any } = { name: this.name };
    if (this.namespaceName !== undefined) metadata.namespace = this.namespaceName;
    if (Object.keys(this.labels).length) metadata.labels = { ...this.labels };
    if (Object.keys(this.annotations).length) metadata.annotations = { ...this.annotations };
    return { apiVersion: CalicoApiVersion.PROJECTCALICO_V3, kind: this.kind, metadata, spec };
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
    noteResourceChange();
    this.checked = false;
    this.checkedSpec = undefined;
    const manifest = this.toManifest();
    const version = this.calicoVersion;
    const issues = validateRenderedManifest(manifest, version);
    if (issues.length) throwIssues(this, `${this.kind} ${quote(this.name)}`, issues);
    this.checked = true;
    this.checkedVersion = version;
    // Rendering is pure, so the spec just checked is the spec synthesis would render (cdk8s
    // resolves it into a new object, so the output never shares it).
    this.checkedSpec = manifest.spec;
  }

  /**
   * Records a change that was checked only in part (one added element), so the whole resource is
   * validated again at synthesis. For the library's own constructs.
   * @internal
   */
  public _markChanged(): void {
    noteResourceChange();
    this.checked = false;
    this.checkedSpec = undefined;
  }

  /** The spec to synthesize: the one last checked while unchanged, else a fresh render. */
  private currentSpec(): any {
    return this.checked && this.checkedSpec !== undefined ? this.checkedSpec : this.renderSpec();
  }

  /**
   * What the chart check reports about this resource at synthesis: the full check when the
   * resource changed since it was last checked, and, in crd.projectcalico.org/v1 mode, what
   * cannot be stored in that API group (`_storageIssues`). For the library's own constructs.
   * @internal
   */
  public _problemsAtSynth(): ValidationIssue[] {
    const version = this.calicoVersion;
    // A resource checked for another version (its scope's version was set after it arrived) is checked again.
    const issues = this.checked && this.checkedVersion === version ? [] : validateRenderedManifest(this.toManifest(), version);
    if (apiVersionOf(this) === CalicoApiVersion.CRD_V1) issues.push(...this._storageIssues());
    return issues;
  }

  /**
   * Why this resource cannot be stored faithfully as a crd.projectcalico.org/v1 object (checked at
   * synthesis in that mode); none by default. For the library's own constructs.
   * @internal
   */
  public _storageIssues(): ValidationIssue[] {
    return [];
  }

  /**
   * The resource as the chart's whole-set rules read it: kind and metadata, and the spec only
   * when asked for (rendering every spec again would cost a second synthesis).
   * @internal
   */
  public _setManifest(withSpec: boolean): any {
    const metadata: { [key: string]: any } = { name: this.name };
    if (this.namespaceName !== undefined) metadata.namespace = this.namespaceName;
    return { apiVersion: CalicoApiVersion.PROJECTCALICO_V3, kind: this.kind, metadata, spec: withSpec ? this.currentSpec() : undefined };
  }

  /**
   * Objects this resource refers to that live outside its chart, as `Kind/name` (a BGP filter
   * applied separately), so the chart's reference rule does not report them.
   * @internal
   */
  public _externalReferences(): string[] {
    return [];
  }
}
