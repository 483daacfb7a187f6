// Well-typed values of the classes and interfaces the generated API descriptions name, for the
// tests that walk those descriptions (test/core/public-boundary.test.ts, the fuzz tests).
import { Duration } from 'cdk8s';
import * as api from '../../src';
import { newChart } from './util';

/** A well-typed instance of each class the descriptions name. */
export const CLASS_SAMPLES: { [className: string]: () => unknown } = {
  AdminPolicyPeer: () => api.AdminPolicyPeer.namespaces({}),
  AdminPolicySubject: () => api.AdminPolicySubject.namespaces({}),
  AsNumber: () => api.AsNumber.of(64512),
  BgpFilterOperation: () => api.BgpFilterOperation.assignPriority(512),
  CalicoVersion: () => api.CalicoVersion.V3_32_1,
  CalicoCluster: () => new api.CalicoCluster(newChart(), 'calico'),
  Chart: newChart,
  ClusterDns: () => api.ClusterDns.kubeDns(),
  Construct: newChart,
  Node: () => newChart().node,
  CrdSource: () => api.CrdSource.separate(),
  ServingCertificates: () => api.ServingCertificates.certManager(),
  Duration: () => Duration.seconds(1),
  FailsafePort: () => api.FailsafePort.tcp(22),
  OverridePeer: () => api.OverridePeer.sameNamespace(),
  Port: () => api.Port.tcp(80),
  PortRange: () => api.PortRange.single(80),
  Protocol: () => api.Protocol.TCP,
  Selector: () => api.Selector.all(),
};

/** A value of each behavioural interface the descriptions name. */
export const INTERFACE_SAMPLES: { [name: string]: () => unknown } = {
  IConstruct: newChart,
  IBgpFilter: () => api.BgpFilter.fromFilterName('filter'),
  ITier: () => api.Tier.fromTierName('security'),
};
