import { IConstruct } from 'constructs';
import { checkArguments } from './argument-check';
import { CalicoValidationError } from './errors';
import { BuiltinTierData, CALICO_LINES, CalicoLineData, LINES_BY_NAME } from './private/calico-lines';
import { nextScope } from './scope-links';
import { quote } from './quote';

/** `v<major>.<minor>.<patch>`, numbers without leading zeros (the form Calico tags its releases). */
const TAG = /^v(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$/;

/**
 * A Calico release the library installs and validates for: one of the supported minor lines (the
 * objects, permissions, kinds and fields of that line) and the patch release whose images run.
 *
 * Upstream supports its two newest minor lines; so does the library. Everything version-specific
 * (images, install objects, CRDs, which kinds and fields exist, how policies are stored) is read
 * through this object.
 *
 * @example
 * new CalicoCluster(chart, 'calico', { network, calicoVersion: CalicoVersion.V3_31_7 });
 * new CalicoCluster(chart, 'calico', { network, calicoVersion: CalicoVersion.patch('v3.32.3') });
 */
export class CalicoVersion {
  /** Calico v3.32.1, of the newest supported line: the default. */
  public static readonly V3_32_1: CalicoVersion = new CalicoVersion(LINES_BY_NAME.get('v3.32')!, 'v3.32.1');

  /** Calico v3.31.7, of the older supported line. */
  public static readonly V3_31_7: CalicoVersion = new CalicoVersion(LINES_BY_NAME.get('v3.31')!, 'v3.31.7');

  /** The version used where none is chosen: v3.32.1. */
  public static readonly DEFAULT: CalicoVersion = CalicoVersion.V3_32_1;

  /**
   * A patch release of a supported line, at or after the one the library's data comes from: the
   * line's objects, with this release's image tags.
   * @param tag the release tag, e.g. `'v3.32.3'`
   */
  public static patch(tag: string): CalicoVersion {
    checkArguments('CalicoVersion.patch', [tag]);
    const m = TAG.exec(tag);
    if (!m) {
      throw new CalicoValidationError(`CalicoVersion.patch(${quote(tag)}): not a Calico release tag; write it as v<major>.<minor>.<patch>, e.g. 'v3.32.3'`);
    }
    const line = `v${m[1]}.${m[2]}`;
    const data = LINES_BY_NAME.get(line);
    if (!data) {
      throw new CalicoValidationError(`CalicoVersion.patch(${quote(tag)}): Calico ${line} is not a supported line; `
        + `the library supports ${CalicoVersion.supportedLines().join(' and ')} (upstream supports its two newest minor lines)`);
    }
    const reference = Number(data.referenceTag.split('.')[2]);
    if (Number(m[3]) < reference) {
      throw new CalicoValidationError(`CalicoVersion.patch(${quote(tag)}): the library's ${line} data comes from ${data.referenceTag}; `
        + `use ${data.referenceTag} or a later patch of ${line}`);
    }
    return tag === data.referenceTag ? CalicoVersion.reference(data) : new CalicoVersion(data, tag);
  }

  /**
   * The supported minor lines, newest first, e.g. `['v3.32', 'v3.31']`.
   */
  public static supportedLines(): string[] {
    return CALICO_LINES.map(l => l.line);
  }

  /**
   * Sets the Calico version of every Calico resource under `scope` (an app, a chart, or any
   * construct): the version they are validated for and written in. The nearest scope with a
   * setting wins. A CalicoCluster sets its `calicoVersion` on its own chart; set it yourself for
   * resources in charts without a cluster.
   * @param scope an App, a Chart, or any construct
   * @param version the Calico version
   */
  public static use(scope: IConstruct, version: CalicoVersion): void {
    checkArguments('CalicoVersion.use', [scope, version]);
    const current = SETTINGS.get(scope);
    if (current !== undefined && current.tag !== version.tag) {
      throw new CalicoValidationError(`CalicoVersion.use(): ${scope.node.path || 'the app'} is already set to Calico ${current.tag}; `
        + `one scope takes one version (set ${version.tag} on another chart)`, scope);
    }
    SETTINGS.set(scope, version);
  }

  /**
   * The Calico version in force for `scope`: the setting of the nearest scope that has one, else
   * `CalicoVersion.DEFAULT`.
   * @param scope any construct
   */
  public static of(scope: IConstruct): CalicoVersion {
    checkArguments('CalicoVersion.of', [scope]);
    return calicoVersionOf(scope);
  }

  /**
   * The reference version of every supported line, newest first.
   * @internal
   */
  public static _lineReferences(): CalicoVersion[] {
    return CALICO_LINES.map(l => CalicoVersion.reference(l));
  }

  /** The reference version of a line (the constants above, so versions compare by identity where they can). */
  private static reference(data: CalicoLineData): CalicoVersion {
    return data.line === 'v3.32' ? CalicoVersion.V3_32_1 : data.line === 'v3.31' ? CalicoVersion.V3_31_7 : new CalicoVersion(data, data.referenceTag);
  }

  /** The release tag whose images run, e.g. `v3.32.1`. */
  public readonly tag: string;

  /** The minor line, e.g. `v3.32`. */
  public readonly line: string;

  /** The minor number of the line, e.g. 32. */
  public readonly minor: number;

  private constructor(private readonly data: CalicoLineData, tag: string) {
    this.tag = tag;
    this.line = data.line;
    this.minor = data.minor;
  }

  /**
   * Whether this version's line is the given one or a later one.
   * @param line a minor line such as `'v3.30'`
   */
  public isAtLeast(line: string): boolean {
    checkArguments('CalicoVersion.isAtLeast', [line]);
    const m = /^v3\.(0|[1-9][0-9]{0,3})$/.exec(line);
    if (!m) throw new CalicoValidationError(`CalicoVersion.isAtLeast(${quote(line)}): write a minor line such as 'v3.30'`);
    return this.minor >= Number(m[1]);
  }

  /** The tag, e.g. `v3.32.1`. */
  public toString(): string {
    return this.tag;
  }

  /**
   * The line's data, for the library's own layers.
   * @internal
   */
  public get _data(): CalicoLineData {
    return this.data;
  }

  /**
   * The tiers Calico creates on this line, lowest order first.
   * @internal
   */
  public get _builtinTiers(): readonly BuiltinTierData[] {
    return this.data.builtinTiers;
  }
}

const SETTINGS = new WeakMap<IConstruct, CalicoVersion>();

/**
 * `CalicoVersion.of` for the library's own constructs (checked already), without copying scopes.
 */
export function calicoVersionOf(scope: IConstruct): CalicoVersion {
  for (let c: IConstruct | undefined = scope; c !== undefined; c = nextScope(c)) {
    const v = SETTINGS.get(c);
    if (v) return v;
  }
  return CalicoVersion.DEFAULT;
}
