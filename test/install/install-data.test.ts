// The install renders from upstream's objects of each supported line, generated into
// src/install/private/upstream/ from the vendored references (npm run gen:install-data). This fails
// when the committed modules are not what the generator writes today, so a reference that changed
// (or a line added to calico-lines.ts) cannot be left out of the data.
import * as fs from 'fs';
import * as path from 'path';
import { CalicoVersion } from '../../src/core/calico-version';
import { upstreamInstallOf } from '../../src/install/private/upstream-install';
import { generateInstallData, INSTALL_DATA_DIR } from '../support/generate-install-data';
import { REFERENCE_VERSIONS, upstreamEtcd, upstreamTypha } from './install-util';

const generated = generateInstallData();

test.each([...generated.keys()])('src/install/private/upstream/%s is what the generator writes today (npm run gen:install-data)', file => {
  expect(fs.readFileSync(path.join(INSTALL_DATA_DIR, file), 'utf8')).toBe(generated.get(file));
});

test('the folder holds nothing the generator does not write', () => {
  expect(fs.readdirSync(INSTALL_DATA_DIR).sort()).toEqual([...generated.keys()].sort());
});

test('every supported line has its data, from its reference release', () => {
  expect(REFERENCE_VERSIONS.map(v => v.line)).toEqual(CalicoVersion.supportedLines());
  for (const version of REFERENCE_VERSIONS) {
    const install = upstreamInstallOf(version);
    expect(install.tag).toBe(version.tag);
    expect(install.kubernetes).toEqual(upstreamTypha(version));
    expect(install.etcd).toEqual(upstreamEtcd(version));
  }
});

test('a patch release reads its line\'s data', () => {
  expect(upstreamInstallOf(CalicoVersion.patch('v3.32.3'))).toBe(upstreamInstallOf(CalicoVersion.V3_32_1));
});
