// Regenerates imports/ (`npm run import`): cdk8s's typed layer of the crd.projectcalico.org/v1 CRDs
// of the default line (reference-data/calico/<tag>/crds.yaml), for the kinds the constructs render
// through it. The kinds Calico writes itself (IPAM blocks, handles and affinities,
// ClusterInformation) and the Kubernetes policy CRDs (their constructs render plain JSON) are left
// out: nothing reads their generated classes, and the package carries every byte of them. One
// rewrite follows the import (rewriteGenerated): the undefined-filter of every toJson_ function.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { CalicoVersion } from '../../src/core/calico-version';
import { calicoCrdsFile, REPO_ROOT } from './util';

/** The storage kinds whose generated Spec types and toJson functions src/resources uses. */
export const IMPORTED_KINDS: readonly string[] = [
  'BGPConfiguration', 'BGPFilter', 'BGPPeer', 'CalicoNodeStatus', 'FelixConfiguration', 'GlobalNetworkPolicy', 'GlobalNetworkSet',
  'HostEndpoint', 'IPAMConfig', 'IPPool', 'KubeControllersConfiguration', 'IPReservation', 'NetworkPolicy', 'NetworkSet', 'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy', 'StagedNetworkPolicy', 'Tier',
];

/** The CRD documents of the default line that `imports/` is generated from, in upstream's order. */
export function importedCrds(): string {
  const docs = YAML.parseAllDocuments(fs.readFileSync(calicoCrdsFile(CalicoVersion.DEFAULT), 'utf8'))
    .filter(d => {
      const crd = d.toJS();
      return crd?.spec?.group === 'crd.projectcalico.org' && IMPORTED_KINDS.includes(crd.spec.names.kind);
    });
  return docs.map(d => d.toString()).join('---\n');
}

/** The undefined-filter cdk8s import writes at the end of every toJson_ function: a spread per field, so quadratic. */
export const GENERATED_FILTER = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';

/** The helper that replaces it: the same keys in the same order, one pass, one object. */
export const LINEAR_FILTER = `/** Drops the fields whose value is undefined, keeping the order of the others (written by npm run import). */
function dropUndefined(result: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const key of Object.keys(result)) {
    const value = result[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

`;

/**
 * The one rewrite of cdk8s import's output: every toJson_ function's undefined-filter becomes a call
 * to one linear helper (the library renders every resource through these functions; the quadratic
 * form allocated an object per field of every rendered object).
 */
export function rewriteGenerated(source: string): string {
  const count = source.split(GENERATED_FILTER).length - 1;
  if (count === 0) throw new Error('cdk8s import no longer writes the expected undefined-filter; revisit rewriteGenerated');
  const body = source.split(GENERATED_FILTER).join('return dropUndefined(result);');
  const firstExport = body.indexOf('\n/**');
  return `${body.slice(0, firstExport + 1)}${LINEAR_FILTER}${body.slice(firstExport + 1)}`;
}

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-import-'));
  const input = path.join(dir, 'crds.yaml');
  fs.writeFileSync(input, importedCrds());
  fs.rmSync(path.join(REPO_ROOT, 'imports'), { recursive: true, force: true });
  execFileSync('npx', ['--no-install', 'cdk8s', 'import', input, '--output', 'imports', '--no-save', '--language', 'typescript', '--no-check-upgrade'],
    { cwd: REPO_ROOT, stdio: 'inherit' });
  fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(REPO_ROOT, 'imports', 'crd.projectcalico.org.ts');
  fs.writeFileSync(file, rewriteGenerated(fs.readFileSync(file, 'utf8')));
}
