// Regenerates imports/ (`npm run import`): cdk8s's typed layer of the crd.projectcalico.org/v1 CRDs
// of the default line (reference-data/calico/<tag>/crds.yaml), for the kinds the constructs render
// through it. The kinds Calico writes itself (IPAM blocks, handles and affinities,
// ClusterInformation) and the Kubernetes policy CRDs (their constructs render plain JSON) are left
// out: nothing reads their generated classes, and the package carries every byte of them.
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

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-import-'));
  const input = path.join(dir, 'crds.yaml');
  fs.writeFileSync(input, importedCrds());
  fs.rmSync(path.join(REPO_ROOT, 'imports'), { recursive: true, force: true });
  execFileSync('npx', ['--no-install', 'cdk8s', 'import', input, '--output', 'imports', '--no-save', '--language', 'typescript', '--no-check-upgrade'],
    { cwd: REPO_ROOT, stdio: 'inherit' });
  fs.rmSync(dir, { recursive: true, force: true });
}
