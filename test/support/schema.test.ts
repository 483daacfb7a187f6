import { crdSchemaErrors } from './util';

describe('CRD schema checker', () => {
  test('accepts a well-formed IPPool spec', () => {
    expect(crdSchemaErrors([{ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', blockSize: 26 } }])).toEqual([]);
  });
  test('rejects a field the schema does not declare', () => {
    const errors = crdSchemaErrors([{ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', blockSzie: 26 } }]);
    expect(errors.join('\n')).toMatch(/IPPool\/p: .*additional properties.*blockSzie/);
  });
  test('rejects a wrongly typed field', () => {
    const errors = crdSchemaErrors([{ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', blockSize: '26' } }]);
    expect(errors.join('\n')).toMatch(/blockSize must be integer/);
  });
  test('accepts int-or-string ports in policy rules', () => {
    const gnp = { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'x' },
      spec: { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80, '8080:8081', 'http'] } }] } };
    expect(crdSchemaErrors([gnp])).toEqual([]);
  });
});
