// The validators' lists of known fields must match the Calico v3.28.5 CRD schemas exactly, so
// that "unknown field" issues flag typos and nothing else.
import * as fs from 'fs';
import * as YAML from 'yaml';
import { ICMP_FIELDS } from '../../src/validation/common';
import { ENDPOINT_PORT_FIELDS, HOST_ENDPOINT_SPEC_FIELDS } from '../../src/validation/host-endpoint';
import { NETWORK_SET_SPEC_FIELDS } from '../../src/validation/network-set';
import {
  ENTITY_RULE_FIELDS, GLOBAL_NETWORK_POLICY_SPEC_FIELDS, HTTP_MATCH_FIELDS, HTTP_PATH_FIELDS, NETWORK_POLICY_SPEC_FIELDS,
  RULE_FIELDS, RULE_METADATA_FIELDS, SERVICE_ACCOUNT_MATCH_FIELDS, SERVICE_MATCH_FIELDS,
} from '../../src/validation/policy';
import { CALICO_CRDS_FILE } from '../support/util';

function specSchema(kind: string): any {
  const docs = YAML.parseAllDocuments(fs.readFileSync(CALICO_CRDS_FILE, 'utf8')).map(d => d.toJS());
  const crd = docs.find(d => d?.spec?.names?.kind === kind);
  return crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec;
}

const keys = (schema: any) => Object.keys(schema.properties).sort();
const sorted = (list: readonly string[]) => [...list].sort();

describe('known field lists match the CRD schemas', () => {
  test('GlobalNetworkPolicy and its rules', () => {
    const spec = specSchema('GlobalNetworkPolicy');
    expect(sorted(GLOBAL_NETWORK_POLICY_SPEC_FIELDS)).toEqual(keys(spec));
    const rule = spec.properties.ingress.items;
    expect(sorted(RULE_FIELDS)).toEqual(keys(rule));
    expect(keys(spec.properties.egress.items)).toEqual(keys(rule));
    expect(sorted(ENTITY_RULE_FIELDS)).toEqual(keys(rule.properties.source));
    expect(sorted(ENTITY_RULE_FIELDS)).toEqual(keys(rule.properties.destination));
    expect(sorted(SERVICE_MATCH_FIELDS)).toEqual(keys(rule.properties.source.properties.services));
    expect(sorted(SERVICE_ACCOUNT_MATCH_FIELDS)).toEqual(keys(rule.properties.source.properties.serviceAccounts));
    expect(sorted(HTTP_MATCH_FIELDS)).toEqual(keys(rule.properties.http));
    expect(sorted(HTTP_PATH_FIELDS)).toEqual(keys(rule.properties.http.properties.paths.items));
    expect(sorted(ICMP_FIELDS)).toEqual(keys(rule.properties.icmp));
    expect(sorted(ICMP_FIELDS)).toEqual(keys(rule.properties.notICMP));
    expect(sorted(RULE_METADATA_FIELDS)).toEqual(keys(rule.properties.metadata));
  });

  test('NetworkPolicy', () => {
    const spec = specSchema('NetworkPolicy');
    expect(sorted(NETWORK_POLICY_SPEC_FIELDS)).toEqual(keys(spec));
    expect(sorted(RULE_FIELDS)).toEqual(keys(spec.properties.ingress.items));
  });

  test('GlobalNetworkSet and NetworkSet', () => {
    expect(sorted(NETWORK_SET_SPEC_FIELDS)).toEqual(keys(specSchema('GlobalNetworkSet')));
    expect(sorted(NETWORK_SET_SPEC_FIELDS)).toEqual(keys(specSchema('NetworkSet')));
  });

  test('HostEndpoint', () => {
    const spec = specSchema('HostEndpoint');
    expect(sorted(HOST_ENDPOINT_SPEC_FIELDS)).toEqual(keys(spec));
    expect(sorted(ENDPOINT_PORT_FIELDS)).toEqual(keys(spec.properties.ports.items));
  });
});
