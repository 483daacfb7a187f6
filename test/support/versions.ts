// The supported Calico lines for tests that run once per line: the reference release of each, from
// the same table CalicoVersion reads (src/core/private/calico-lines.ts), newest first.
import { CalicoVersion } from '../../src/core/calico-version';
import { CALICO_LINES } from '../../src/core/private/calico-lines';

/** Each supported line's reference version, newest first. */
export const LINE_VERSIONS: readonly CalicoVersion[] = CALICO_LINES.map(l => CalicoVersion.patch(l.referenceTag));

/** `[line, version]` pairs for `describe.each`. */
export const EACH_LINE: ReadonlyArray<readonly [string, CalicoVersion]> = LINE_VERSIONS.map(v => [v.line, v] as const);
