import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoErrors } from '../../src/core/errors';
import { IpReservation } from '../../src/resources/ip-reservation';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('IpReservation', () => {
  test('renders the reserved CIDRs under reservedCIDRs', () => {
    const chart = newChart();
    new IpReservation(chart, 'appliances', { reservedCidrs: ['10.244.0.0/28', '10.244.255.254', 'fd00::1/128'] });
    const r = findObject(synth(chart), 'IPReservation', 'appliances');
    expect(r.apiVersion).toBe('projectcalico.org/v3');
    expect(r.spec).toEqual({ reservedCIDRs: ['10.244.0.0/28', '10.244.255.254', 'fd00::1/128'] });
  });

  test('reserves nothing by default', () => {
    const chart = newChart();
    const r = new IpReservation(chart, 'empty');
    expect(r.reservedCidrs).toEqual([]);
    expect(findObject(synth(chart), 'IPReservation', 'empty').spec).toEqual({});
  });

  test('addReservedCidr appends after the given CIDRs', () => {
    const chart = newChart();
    const r = new IpReservation(chart, 'r', { reservedCidrs: ['10.0.0.0/30'] });
    r.addReservedCidr('10.0.1.0/30');
    expect(r.reservedCidrs).toEqual(['10.0.0.0/30', '10.0.1.0/30']);
    expect(findObject(synth(chart), 'IPReservation', 'r').spec.reservedCIDRs).toEqual(['10.0.0.0/30', '10.0.1.0/30']);
  });

  test('keeps its own copy of the given list', () => {
    const chart = newChart();
    const cidrs = ['10.0.0.0/30'];
    const r = new IpReservation(chart, 'r', { reservedCidrs: cidrs });
    cidrs.push('10.9.9.9');
    r.reservedCidrs.push('10.8.8.8');
    expect(r.reservedCidrs).toEqual(['10.0.0.0/30']);
  });

  test('fails when a reserved CIDR is not an address or CIDR', () => {
    const e = errorOf(() => new IpReservation(newChart(), 'r', { reservedCidrs: ['10.0.0.0/33'] }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/spec\.reservedCIDRs\[0\]/);
    expect(e.message).toMatch(/10\.0\.0\.0\/33/);
  });

  test('addReservedCidr throws for a bad CIDR and leaves the list unchanged', () => {
    const r = new IpReservation(newChart(), 'r', { reservedCidrs: ['10.0.0.0/30'] });
    expect(() => r.addReservedCidr('not-a-cidr')).toThrow(/spec\.reservedCIDRs\[1\]/);
    expect(r.reservedCidrs).toEqual(['10.0.0.0/30']);
  });

  test('synthesizes output that passes the CRD schema, in both API groups', () => {
    const chart = newChart();
    new IpReservation(chart, 'r', { reservedCidrs: ['10.0.0.0/30'] });
    expectCrdSchemaValid(synth(chart));
    const crdChart = newChart();
    CalicoApi.use(crdChart, CalicoApiVersion.CRD_V1);
    new IpReservation(crdChart, 'r', { reservedCidrs: ['10.0.0.0/30'] });
    const crd = findObject(synth(crdChart), 'IPReservation', 'r');
    expect(crd.apiVersion).toBe('crd.projectcalico.org/v1');
    // Calico applies no defaults to IP reservations: the CRD output carries exactly what was given.
    expect(crd.spec).toEqual({ reservedCIDRs: ['10.0.0.0/30'] });
    expectCrdSchemaValid([crd]);
  });
});
