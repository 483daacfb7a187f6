// Which Calico release a set of objects is checked for: the one given (a CalicoCluster's
// calicoVersion, lint --calico-version), else the one the install's images run, else the library's
// default. What the images say against it (an unsupported release, several releases, another line
// than the one given) becomes findings of the rule `calico-version`.
import { CalicoVersion } from '../core/calico-version';
import { CalicoErrors } from '../core/errors';
import { quote } from '../core/quote';
import { ClusterModel, isRecord, SourcedObject } from './cluster-model';

/** Where the release of an analysis comes from. */
export type ReleaseSource = 'given' | 'images' | 'default';

/** The release an analysis checks for, and what the images say against it. */
export interface CalicoRelease {
  readonly version: CalicoVersion;
  readonly source: ReleaseSource;
  readonly problems: ReadonlyArray<{ readonly message: string; readonly object: SourcedObject; readonly path: string }>;
}

/** A Calico image of the install, with its tag. */
interface TaggedImage {
  readonly object: SourcedObject;
  /** Where the image is written, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly image: string;
  readonly tag: string;
}

/** `<registry>/calico/<component>:<tag>`, optionally pinned by digest too. */
const CALICO_IMAGE = /^(?:.*\/)?calico\/(?:node|cni|typha|kube-controllers):([^@/:]+)(?:@sha256:[0-9a-f]+)?$/;

/** The tagged Calico images of calico-node, Typha and calico-kube-controllers, in that order. */
function taggedImages(model: ClusterModel): TaggedImage[] {
  const install = model.install;
  const out: TaggedImage[] = [];
  for (const object of [install.calicoNode, install.typha, install.kubeControllers]) {
    if (!object) continue;
    const pod = object.manifest.spec?.template?.spec;
    for (const list of ['initContainers', 'containers']) {
      const containers: unknown = pod?.[list];
      (Array.isArray(containers) ? containers : []).forEach((container: unknown, i: number) => {
        const image = isRecord(container) && typeof container.image === 'string' ? container.image : undefined;
        const m = image !== undefined ? CALICO_IMAGE.exec(image) : null;
        if (m) out.push({ object, path: `spec.template.spec.${list}[${i}].image`, image: image!, tag: m[1] });
      });
    }
  }
  return out;
}

/**
 * The supported release a tag names, or why it names none (CalicoVersion.patch's reason, without
 * its call: `Calico v3.28 is not a supported line; ...`).
 */
export function parseRelease(tag: string): CalicoVersion | string {
  try {
    return CalicoVersion.patch(tag);
  } catch (e) {
    if (!CalicoErrors.isValidationError(e)) throw e;
    return (e as Error).message.replace(/^CalicoVersion\.patch\(.*?\): /, '');
  }
}

/**
 * The release to check `model` for: `given` when there is one, else the release of the first
 * Calico image of a supported release (calico-node's, then Typha's, then kube-controllers'), else
 * `CalicoVersion.DEFAULT`.
 */
export function resolveRelease(model: ClusterModel, given?: CalicoVersion): CalicoRelease {
  const images = taggedImages(model).map(i => ({ ...i, release: parseRelease(i.tag) }));
  const first = images[0];
  const supported = images.find(i => typeof i.release !== 'string');
  const fromImages = supported?.release as CalicoVersion | undefined;
  const version = given ?? fromImages ?? CalicoVersion.DEFAULT;
  const source: ReleaseSource = given ? 'given' : fromImages ? 'images' : 'default';
  const checkedAs = source === 'given' ? 'the release given' : source === 'images' ? `the release of ${quote(supported!.image)}` : 'the library\'s default';
  const problems: Array<{ message: string; object: SourcedObject; path: string }> = [];
  for (const image of images) {
    if (typeof image.release !== 'string') continue;
    problems.push({
      object: image.object,
      path: image.path,
      message: `image ${quote(image.image)}: ${image.release}; checked as ${version.tag}, ${checkedAs}; run a supported release (or pass --calico-version)`,
    });
  }
  const other = images.find(i => i.tag !== first!.tag);
  if (other) {
    problems.push({
      object: other.object,
      path: other.path,
      message: `the Calico images run several releases (${quote(first!.image)} and ${quote(other.image)}); set every Calico image to the same tag`,
    });
  }
  const offLine = given ? images.find(i => typeof i.release !== 'string' && i.release.line !== given.line) : undefined;
  if (offLine) {
    problems.push({
      object: offLine.object,
      path: offLine.path,
      message: `image ${quote(offLine.image)} runs Calico ${offLine.tag}, but the objects are checked for ${given!.tag}, the release given; `
        + 'give the release the cluster runs (lint --calico-version)',
    });
  }
  return { version, source, problems };
}
