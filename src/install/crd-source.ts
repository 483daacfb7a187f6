import { checkArguments } from '../core/argument-check';

/** Calico version whose install this library renders by default. */
export const DEFAULT_CALICO_VERSION = 'v3.28.5';

/**
 * Where the Calico CRDs come from.
 */
export class CrdSource {
  /**
   * The pinned upstream release file, fetched when the app is synthesized (needs network access).
   * @param version Calico version to fetch the CRDs of
   * @default version 'v3.28.5'
   */
  public static upstreamRelease(version: string = DEFAULT_CALICO_VERSION): CrdSource {
    checkArguments('CrdSource.upstreamRelease', [version]);
    return new CrdSource(`https://raw.githubusercontent.com/projectcalico/calico/${version}/manifests/crds.yaml`, 'url');
  }

  /**
   * A local copy of the CRD manifest, included in the synthesized output (works offline).
   * @param path path of the YAML file, relative to the directory `cdk8s synth` runs in
   */
  public static fromFile(path: string): CrdSource {
    checkArguments('CrdSource.fromFile', [path]);
    return new CrdSource(path, 'file');
  }

  /**
   * Leave the CRDs out of the output; the architecture notes say how to apply them first.
   */
  public static separate(): CrdSource {
    return new CrdSource(undefined, 'separate');
  }

  private constructor(
    /** The URL or file path, when the CRDs are included. */
    public readonly location: string | undefined,
    /** 'url', 'file' or 'separate'. */
    public readonly mode: string,
  ) {}
}
