import { checkArguments } from '../core/argument-check';
import { CalicoVersion } from '../core/calico-version';

/**
 * Where the Calico CRDs come from.
 */
export class CrdSource {
  /**
   * Upstream's CRD file of a release (`manifests/crds.yaml` at its tag), fetched when the app is
   * synthesized (needs network access).
   * @param version the release whose CRDs are fetched
   * @default - the release of the CalicoCluster this source is given to (its `calicoVersion`)
   */
  public static upstreamRelease(version?: CalicoVersion): CrdSource {
    checkArguments('CrdSource.upstreamRelease', [version]);
    return new CrdSource('url', version === undefined ? undefined : releaseUrl(version), version);
  }

  /**
   * A local copy of the CRD manifest, included in the synthesized output (works offline).
   * @param path path of the YAML file, relative to the directory `cdk8s synth` runs in
   */
  public static fromFile(path: string): CrdSource {
    checkArguments('CrdSource.fromFile', [path]);
    return new CrdSource('file', path, undefined);
  }

  /**
   * Leave the CRDs out of the output; the architecture notes say how to apply them first.
   */
  public static separate(): CrdSource {
    return new CrdSource('separate', undefined, undefined);
  }

  private constructor(
    /** 'url', 'file' or 'separate'. */
    public readonly mode: string,
    /**
     * The file path (mode 'file'), or the URL of the release given to `upstreamRelease` (mode
     * 'url'); undefined for 'separate' and for a release that follows the cluster's (see `locationFor`).
     */
    public readonly location: string | undefined,
    /** The release `upstreamRelease` was given; undefined when it follows the cluster's. */
    public readonly calicoVersion: CalicoVersion | undefined,
  ) {}

  /**
   * Where a cluster of `version` reads its CRDs from: the file path, the release URL (of the
   * release given to `upstreamRelease`, else of `version`), or undefined when they are applied
   * separately.
   * @param version the cluster's release
   */
  public locationFor(version: CalicoVersion): string | undefined {
    checkArguments('CrdSource.locationFor', [version]);
    if (this.mode !== 'url') return this.location;
    return releaseUrl(this.calicoVersion ?? version);
  }
}

/** Upstream's CRD file of a release. */
function releaseUrl(version: CalicoVersion): string {
  return `https://raw.githubusercontent.com/projectcalico/calico/${version.tag}/manifests/crds.yaml`;
}
