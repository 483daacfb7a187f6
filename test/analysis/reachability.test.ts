import { ApiObject, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  CalicoVersion, DefaultDenyPolicy, KubernetesNamespaceOverride, Port, ReachabilityEndpointKind,
  PolicyModel, ReachabilityMatrix, ReachabilityWorkload, Rule,
} from '../../src';
import { CalicoValidationError } from '../../src/core/errors';
import { errorOf } from '../support/util';
import { checkXml } from '../support/xml';

/** Manifests of a chart built by `build`. */
function manifestsOf(build: (chart: Chart) => void): any[] {
  const chart = new Chart(Testing.app(), 'test');
  build(chart);
  return Testing.synth(chart);
}

function namespace(chart: Chart, name: string, labels: { [key: string]: string } = {}): void {
  new ApiObject(chart, `ns-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

function deployment(chart: Chart, namespaceName: string, name: string, labels: { [key: string]: string }, ports: any[] = []): void {
  new ApiObject(chart, `deploy-${namespaceName}-${name}`, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: namespaceName },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'main', ports }] } } },
  });
}

function calicoPolicy(chart: Chart, namespaceName: string, name: string, ingress: any[]): void {
  new ApiObject(chart, `np-${namespaceName}-${name}`, {
    apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: namespaceName },
    spec: { selector: 'all()', types: ['Ingress'], ingress },
  });
}

/** The table rows of the Markdown, each as its cells (the first cell the row's label). */
function tableRows(markdown: string): string[][] {
  return markdown.split('\n').filter(l => l.startsWith('| **')).map(l => l.slice(2, -2).split(' | '));
}

/**
 * The hand-worked example: a default deny whose egress is open (so only ingress decides), and an
 * override that opens TCP 80 into every pod of org-1. kube-system is not selected by the deny and
 * may reach everything; org-1 takes port 80 from anyone; org-2 and org-3 take nothing from outside
 * kube-system.
 */
const DENY_AND_OVERRIDE = manifestsOf(chart => {
  new DefaultDenyPolicy(chart, 'default-deny', { egressAllowances: [Rule.allow()] });
  new KubernetesNamespaceOverride(chart, 'org-1-http', { name: 'allow-http', namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
  namespace(chart, 'org-3');
});
const INVENTORY: ReachabilityWorkload[] = [
  { namespaceName: 'org-2', name: 'api', labels: { app: 'api' } },
  { namespaceName: 'org-1', name: 'web', labels: { app: 'web' } },
  { namespaceName: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } },
];

describe('ReachabilityMatrix: a default deny and one namespace override, worked by hand', () => {
  const matrix = ReachabilityMatrix.fromManifests(DENY_AND_OVERRIDE, { workloads: INVENTORY });

  test('lists the inventory and a pod for each namespace without a workload, by namespace then name', () => {
    expect(matrix.endpoints).toEqual([
      { label: 'kube-system/coredns', namespaceName: 'kube-system', name: 'coredns', kind: ReachabilityEndpointKind.INVENTORY },
      { label: 'org-1/web', namespaceName: 'org-1', name: 'web', kind: ReachabilityEndpointKind.INVENTORY },
      { label: 'org-2/api', namespaceName: 'org-2', name: 'api', kind: ReachabilityEndpointKind.INVENTORY },
      { label: 'org-3/*', namespaceName: 'org-3', kind: ReachabilityEndpointKind.NAMESPACE },
    ]);
  });

  test('checks the ports the policies name, by protocol and number, then one port none names', () => {
    expect(matrix.ports.map(p => p.label)).toEqual(['53', '80', '53/UDP', 'other']);
    expect(matrix.ports[3]).toEqual({ protocol: 'TCP', port: 65535, label: 'other', namedByPolicy: false });
  });

  test('gives exactly the verdicts worked out by hand', () => {
    expect(tableRows(matrix.toMarkdown())).toEqual([
      ['**1** kube-system/coredns', 'all', 'all', 'all', 'all'],
      ['**2** org-1/web', 'all', '80', '—', '—'],
      ['**3** org-2/api', 'all', '80', '—', '—'],
      ['**4** org-3/\\*', 'all', '80', '—', '—'],
    ]);
    expect(matrix.allows('org-2/api', 'org-1/web', '80')).toBe(true);
    expect(matrix.allows('org-2/api', 'org-1/web', 'other')).toBe(false);
    expect(matrix.cell('org-1/web', 'org-1/web')).toEqual({ source: 'org-1/web', destination: 'org-1/web', allowedPorts: ['80'], allowedFraction: 0.25 });
    expect(matrix.cells).toHaveLength(16);
    expect(matrix.evaluations).toBe(64);
  });

  test('agrees with PolicyModel.evaluate on every cell and port', () => {
    const model = PolicyModel.fromManifests(DENY_AND_OVERRIDE);
    const endOf = (label: string) => {
      const w = INVENTORY.find(i => `${i.namespaceName}/${i.name}` === label);
      return w ? { namespaceName: w.namespaceName, labels: w.labels } : { namespaceName: label.split('/')[0], labels: {} };
    };
    for (const cell of matrix.cells) {
      const expected = matrix.ports
        .filter(p => model.evaluate({ source: endOf(cell.source), destination: endOf(cell.destination), protocol: p.protocol, port: p.port }).allowed)
        .map(p => p.label);
      expect(cell.allowedPorts).toEqual(expected);
    }
  });

  test('does not depend on the order of the inventory', () => {
    const reversed = ReachabilityMatrix.fromManifests(DENY_AND_OVERRIDE, { workloads: [...INVENTORY].reverse() });
    expect(reversed.toMarkdown()).toBe(matrix.toMarkdown());
    expect(reversed.toSvg()).toBe(matrix.toSvg());
  });

  test('refuses a label or port the matrix does not have, naming what it has', () => {
    expect(errorOf(() => matrix.allows('org-9/x', 'org-1/web', '80')).message).toMatch(/source 'org-9\/x' is not an end of the matrix; use a label of `endpoints`, such as 'kube-system\/coredns'/);
    expect(errorOf(() => matrix.allows('org-1/web', 'org-1/web', '8080')).message).toMatch(/port '8080' is not checked by the matrix; use one of '53', '80', '53\/UDP', 'other'/);
  });
});

describe('ReachabilityMatrix: ends', () => {
  test('takes the manifests\' workloads, with a pod only for namespaces that have none', () => {
    const matrix = ReachabilityMatrix.fromManifests(manifestsOf(chart => {
      deployment(chart, 'org-1', 'web', { app: 'web' });
      calicoPolicy(chart, 'org-1', 'open', [{ action: 'Allow' }]);
      calicoPolicy(chart, 'org-2', 'open', [{ action: 'Allow' }]);
    }));
    expect(matrix.endpoints.map(e => `${e.label} ${e.kind}`)).toEqual(['org-1/web Workload', 'org-2/* Namespace']);
  });

  test('lets an inventory entry replace the manifests\' workload of the same name', () => {
    const manifests = manifestsOf(chart => {
      deployment(chart, 'org-1', 'web', { app: 'web' });
      calicoPolicy(chart, 'org-1', 'api-only', [{ action: 'Allow', source: { selector: "app == 'api'" } }]);
    });
    expect(ReachabilityMatrix.fromManifests(manifests).cell('org-1/web', 'org-1/web').allowedPorts).toEqual([]);
    const replaced = ReachabilityMatrix.fromManifests(manifests, { workloads: [{ namespaceName: 'org-1', name: 'web', labels: { app: 'api' } }] });
    expect(replaced.endpoints).toEqual([{ label: 'org-1/web', namespaceName: 'org-1', name: 'web', kind: ReachabilityEndpointKind.INVENTORY }]);
    expect(replaced.cell('org-1/web', 'org-1/web').allowedPorts).toEqual(['other']);
  });

  test('evaluates an inventory entry with its service account and named ports (default: \'default\' and none)', () => {
    const manifests = manifestsOf(chart => calicoPolicy(chart, 'org-1', 'metrics', [
      { action: 'Allow', protocol: 'TCP', source: { serviceAccounts: { names: ['prometheus'] } }, destination: { ports: ['metrics'] } },
    ]));
    const scraper = { namespaceName: 'org-1', name: 'scraper' };
    const plain = ReachabilityMatrix.fromManifests(manifests, { workloads: [scraper, { namespaceName: 'org-1', name: 'app' }] });
    expect(plain.unresolvedNamedPorts).toEqual(['metrics']);
    expect(plain.cell('org-1/scraper', 'org-1/app').allowedPorts).toEqual([]);
    const given = ReachabilityMatrix.fromManifests(manifests, {
      workloads: [{ ...scraper, serviceAccount: 'prometheus' }, { namespaceName: 'org-1', name: 'app', namedPorts: [{ name: 'metrics', port: 9100 }] }],
    });
    expect(given.ports.map(p => p.label)).toEqual(['9100', 'other']);
    expect(given.cell('org-1/scraper', 'org-1/app').allowedPorts).toEqual(['9100']);
    expect(given.cell('org-1/app', 'org-1/app').allowedPorts).toEqual([]);
  });

  test('gives the inventory\'s namespace labels to namespace selectors', () => {
    const manifests = manifestsOf(chart => calicoPolicy(chart, 'org-1', 'from-prod', [{ action: 'Allow', source: { namespaceSelector: "env == 'prod'" } }]));
    const without = ReachabilityMatrix.fromManifests(manifests, { workloads: [{ namespaceName: 'org-2', name: 'client' }] });
    expect(without.cell('org-2/client', 'org-1/*').allowedPorts).toEqual([]);
    const labelled = ReachabilityMatrix.fromManifests(manifests, { workloads: [{ namespaceName: 'org-2', name: 'client', namespaceLabels: { env: 'prod' } }] });
    expect(labelled.cell('org-2/client', 'org-1/*').allowedPorts).toEqual(['other']);
  });

  test('refuses namespace labels that contradict the Namespace manifest or each other', () => {
    const manifests = manifestsOf(chart => namespace(chart, 'org-2', { env: 'dev' }));
    expect(errorOf(() => ReachabilityMatrix.fromManifests(manifests, { workloads: [{ namespaceName: 'org-2', name: 'a', namespaceLabels: { env: 'prod' } }] })).message)
      .toMatch(/workloads give namespace 'org-2' the label 'env=prod', but its Namespace manifest has 'env=dev'/);
    expect(errorOf(() => ReachabilityMatrix.fromManifests([], {
      workloads: [{ namespaceName: 'org-2', name: 'a', namespaceLabels: { env: 'prod' } }, { namespaceName: 'org-2', name: 'b', namespaceLabels: { env: 'dev' } }],
    })).message).toMatch(/workloads\[1\]: namespaceLabels give namespace 'org-2' the label 'env=dev', but an earlier entry gives it 'env=prod'/);
  });

  test('refuses inventory names Kubernetes would refuse, and an entry listed twice', () => {
    const bad = (w: ReachabilityWorkload) => errorOf(() => ReachabilityMatrix.fromManifests([], { workloads: [w] }));
    expect(bad({ namespaceName: 'Org_1', name: 'web' })).toBeInstanceOf(CalicoValidationError);
    expect(bad({ namespaceName: 'Org_1', name: 'web' }).message).toMatch(/workloads\[0\]: namespaceName 'Org_1' is not a Kubernetes namespace name/);
    expect(bad({ namespaceName: 'org-1', name: 'web<&>' }).message).toMatch(/name 'web<&>' is not a Kubernetes object name/);
    expect(errorOf(() => ReachabilityMatrix.fromManifests([], { workloads: [{ namespaceName: 'a', name: 'b' }, { namespaceName: 'a', name: 'b' }] })).message)
      .toMatch(/workloads\[1\]: 'a\/b' is listed twice/);
  });

  test('says there is nothing to draw when no workload or namespace is known', () => {
    const matrix = ReachabilityMatrix.fromManifests([]);
    expect(matrix.endpoints).toEqual([]);
    expect(matrix.evaluations).toBe(0);
    expect(matrix.toMarkdown()).toMatch(/^No workload or namespace is known/);
    expect(checkXml(matrix.toSvg()).problems).toEqual([]);
  });
});

describe('ReachabilityMatrix: ports', () => {
  test('reads numbers, ranges (at their first port), named ports and Kubernetes ports with their protocols', () => {
    const matrix = ReachabilityMatrix.fromManifests(manifestsOf(chart => {
      deployment(chart, 'org-1', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]);
      calicoPolicy(chart, 'org-1', 'calico', [
        { action: 'Allow', protocol: 'TCP', destination: { ports: [443, '9000:9010', 'http', 'metrics'] } },
        { action: 'Allow', protocol: 17, destination: { ports: [53] } },
      ]);
      new ApiObject(chart, 'knp', {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'k', namespace: 'org-2' },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 5432 }, { port: 30000, endPort: 65535 }, { port: 7, protocol: 'SCTP' }] }] },
      });
    }));
    expect(matrix.ports.map(p => p.label)).toEqual(['443', '5432', '8080', '9000', '30000', '53/UDP', '7/SCTP', 'other']);
    // 30000-65535 is named, so `other` is the highest port below it that no rule names.
    expect(matrix.ports.find(p => p.label === 'other')!.port).toBe(29999);
    expect(matrix.unresolvedNamedPorts).toEqual(['metrics']);
    expect(matrix.toMarkdown()).toContain('- Named ports no known workload has, so no column checks them: metrics.');
  });

  test('reads the ports of cluster network policies: ClusterNetworkPolicy protocols (v3.32), Admin/BaselineAdminNetworkPolicy ports (v3.31)', () => {
    const cnp = ReachabilityMatrix.fromManifests(manifestsOf(chart => {
      new ApiObject(chart, 'cnp', {
        apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'admin' },
        spec: {
          tier: 'Admin', priority: 10, subject: { namespaces: {} },
          ingress: [{ action: 'Accept', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 8443 } } }, { udp: { destinationPort: { range: { start: 5000, end: 5010 } } } }] }],
        },
      });
    }));
    expect(cnp.ports.map(p => p.label)).toEqual(['8443', '5000/UDP', 'other']);
    const anp = ReachabilityMatrix.fromManifests(manifestsOf(chart => {
      new ApiObject(chart, 'anp', {
        apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'admin' },
        spec: {
          priority: 10, subject: { namespaces: {} },
          ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'TCP', port: 9443 } }, { portRange: { protocol: 'SCTP', start: 7000, end: 7001 } }] }],
        },
      });
    }), { calicoVersion: CalicoVersion.V3_31_7 });
    expect(anp.ports.map(p => p.label)).toEqual(['9443', '7000/SCTP', 'other']);
  });

  test('keeps the ports named by the most rules when there are more than maxPorts, and says which it left out', () => {
    const matrix = ReachabilityMatrix.fromManifests(manifestsOf(chart => {
      calicoPolicy(chart, 'org-1', 'a', [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80, 443, 8080] } }]);
      calicoPolicy(chart, 'org-2', 'b', [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443, 8080, 9090] } }]);
    }), { maxPorts: 2 });
    expect(matrix.ports.map(p => p.label)).toEqual(['443', '8080', 'other']);
    expect(matrix.omittedPorts).toEqual(['80', '9090']);
    expect(matrix.toMarkdown()).toContain('- Ports the policies name that the limits left out (named by the fewest rules): 80, 9090.');
  });
});

describe('ReachabilityMatrix: limits', () => {
  /** Five namespaces with three workloads each, and an open policy naming one port. */
  const wide = manifestsOf(chart => {
    for (const ns of ['a', 'b', 'c', 'd', 'e']) {
      for (const w of ['x', 'y', 'z']) deployment(chart, ns, w, { app: w });
      calicoPolicy(chart, ns, 'open', [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }]);
    }
  });

  test('draws at most 30 workloads by default (the defaults allow 30 x 30 x 13 = 11,700 evaluations)', () => {
    expect(ReachabilityMatrix.DEFAULT_MAX_WORKLOADS).toBe(30);
    expect(ReachabilityMatrix.DEFAULT_MAX_PORTS).toBe(12);
    expect(ReachabilityMatrix.DEFAULT_MAX_EVALUATIONS).toBe(20000);
    const matrix = ReachabilityMatrix.fromManifests(wide);
    expect(matrix.endpoints).toHaveLength(15);
    expect(matrix.evaluations).toBe(15 * 15 * 2);
  });

  test('takes workloads namespace by namespace in turn when maxWorkloads cuts, and lists the rest', () => {
    const matrix = ReachabilityMatrix.fromManifests(wide, { maxWorkloads: 7 });
    expect(matrix.endpoints.map(e => e.label)).toEqual(['a/x', 'a/y', 'b/x', 'b/y', 'c/x', 'd/x', 'e/x']);
    expect(matrix.omittedEndpoints).toEqual(['a/z', 'b/z', 'c/y', 'c/z', 'd/y', 'd/z', 'e/y', 'e/z']);
    expect(matrix.toMarkdown()).toContain('- Left out by the limits: 8 workloads (a/z, b/z, c/y, c/z, d/y, d/z, e/y, e/z).');
  });

  test('draws fewer workloads when workloads x workloads x ports would pass maxEvaluations', () => {
    // Two ports (80 and other): at most floor(sqrt(50 / 2)) = 5 workloads, 50 evaluations.
    const matrix = ReachabilityMatrix.fromManifests(wide, { maxEvaluations: 50 });
    expect(matrix.endpoints.map(e => e.label)).toEqual(['a/x', 'b/x', 'c/x', 'd/x', 'e/x']);
    expect(matrix.evaluations).toBe(50);
  });

  test('never evaluates more than maxEvaluations, whatever the limits', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 400 }), (maxWorkloads, maxPorts, maxEvaluations) => {
      const matrix = ReachabilityMatrix.fromManifests(wide, { maxWorkloads, maxPorts, maxEvaluations });
      expect(matrix.evaluations).toBeLessThanOrEqual(maxEvaluations);
      expect(matrix.endpoints.length).toBeGreaterThanOrEqual(1);
      expect(matrix.endpoints.length + matrix.omittedEndpoints.length).toBe(15);
    }), { numRuns: 30 });
  });

  test('stays bounded on a hostile input: more namespaces and ports than the limits', () => {
    const manifests: any[] = [];
    for (let i = 0; i < 120; i++) {
      manifests.push({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: `ns-${i}` },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 1 + i }, { port: 1 + ((i + 1) % 120) }, { port: 'name-' + i }] }] },
      });
    }
    const matrix = ReachabilityMatrix.fromManifests(manifests);
    expect(matrix.ports).toHaveLength(13);
    expect(matrix.omittedPorts).toHaveLength(108);
    expect(matrix.unresolvedNamedPorts).toHaveLength(120);
    expect(matrix.endpoints).toHaveLength(30);
    expect(matrix.omittedEndpoints).toHaveLength(90);
    expect(matrix.evaluations).toBe(30 * 30 * 13);
    // Names sort as text: ns-0, ns-1, ns-10, ns-100, ns-101, ... The first 30 namespaces are drawn.
    expect(matrix.endpoints.slice(0, 4).map(e => e.label)).toEqual(['ns-0/*', 'ns-1/*', 'ns-10/*', 'ns-100/*']);
    const markdown = matrix.toMarkdown();
    expect(markdown).toMatch(/- Left out by the limits: 90 workloads \(ns-\d+\/\\\*(, ns-\d+\/\\\*){9} and 80 more\)\./);
    expect(markdown).toMatch(/- Named ports no known workload has, so no column checks them: name-0, name-1, name-10, [^\n]* and 110 more\./);
  });

  test('refuses limits out of range', () => {
    expect(errorOf(() => ReachabilityMatrix.fromManifests([], { maxWorkloads: 0 })).message).toMatch(/maxWorkloads 0 must be a whole number from 1 to 1000/);
    expect(errorOf(() => ReachabilityMatrix.fromManifests([], { maxPorts: 2.5 })).message).toMatch(/maxPorts 2.5 must be a whole number from 1 to 200/);
    expect(errorOf(() => ReachabilityMatrix.fromManifests([], { maxEvaluations: 2_000_000 })).message).toMatch(/maxEvaluations 2000000 must be a whole number from 1 to 1000000/);
  });
});

describe('ReachabilityMatrix: renderings', () => {
  const matrix = ReachabilityMatrix.fromManifests(DENY_AND_OVERRIDE, { workloads: INVENTORY });

  test('writes a well-formed SVG 1.1 document sized to the matrix, with a legend', () => {
    const svg = matrix.toSvg();
    const check = checkXml(svg);
    expect(check.problems).toEqual([]);
    expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" version="1\.1" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
    expect(check.elements.filter(e => e === 'g')).toHaveLength(16);
    expect(svg).toContain('<title>org-2/api to org-1/web: 80 (1 of 4 ports)</title>');
    expect(svg).toContain('>none</text>');
    expect(svg).toContain('>all</text>');
    const bigger = ReachabilityMatrix.fromManifests(DENY_AND_OVERRIDE, { workloads: [...INVENTORY, { namespaceName: 'org-4', name: 'db' }] }).toSvg();
    const height = (s: string) => Number(/height="(\d+)"/.exec(s)![1]);
    expect(height(bigger) - height(svg)).toBe(28);
  });

  test('colours a cell by the share of ports allowed: none, a quarter, all', () => {
    const svg = matrix.toSvg();
    const fillOf = (source: string, destination: string) => new RegExp(`<title>${source} to ${destination}:[^<]*</title><rect [^>]*fill="(#[0-9a-f]{6})"`).exec(svg)![1];
    expect(fillOf('org-2/api', 'org-2/api')).toBe('#f4f1ee');
    expect(fillOf('org-2/api', 'org-1/web')).toBe('#bedbc7');
    expect(fillOf('kube-system/coredns', 'org-2/api')).toBe('#1a9850');
  });

  test('escapes hostile names in the SVG and the Markdown', () => {
    const hostile = manifestsOf(chart => deployment(chart, 'a|b<i>', 'web<&">\'\u0001*_`[x]', { app: 'x' }));
    const m = ReachabilityMatrix.fromManifests(hostile);
    expect(m.endpoints[0].label).toBe('a|b<i>/web<&">\'\u0001*_`[x]');
    const svg = m.toSvg();
    expect(checkXml(svg).problems).toEqual([]);
    expect(svg).toContain('1 a|b&lt;i&gt;/web&lt;&amp;&quot;&gt;&apos;\ufffd*_`[x]');
    expect(tableRows(m.toMarkdown())[0][0]).toBe('**1** a\\|b&lt;i&gt;/web&lt;&amp;"&gt;\' \\*\\_\\`\\[x\\]');
  });

  test('the well-formedness check used here finds what breaks a document', () => {
    expect(checkXml('<a>&</a>').problems).toEqual(["bare '&' in text"]);
    expect(checkXml('<a><b></a>').problems).toEqual(['</a> closes <b>', 'unclosed <a>']);
    expect(checkXml('<a x="<" x="1"/>').problems).toEqual(["'<' in attribute x of <a>", 'attribute x twice on <a>']);
    expect(checkXml('<a/><b/>').problems).toEqual(['second root element <b>']);
    expect(checkXml('<a>\u0001</a>').problems).toEqual(['contains a character XML 1.0 does not allow']);
    expect(checkXml('<a>&amp;&#38;&#x26;</a>').problems).toEqual([]);
  });

  test('keeps any name from breaking the SVG (random names)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), name => {
      const m = ReachabilityMatrix.fromManifests(manifestsOf(chart => deployment(chart, 'org-1', name === '' ? 'x' : name, { app: 'x' })));
      expect(checkXml(m.toSvg()).problems).toEqual([]);
      expect(tableRows(m.toMarkdown())).toHaveLength(1);
    }), { numRuns: 25 });
  });

  test('cuts long names in the renderings but keeps them whole in the data', () => {
    const long = 'w'.repeat(200);
    const m = ReachabilityMatrix.fromManifests(manifestsOf(chart => deployment(chart, 'org-1', long, { app: 'x' })));
    expect(m.endpoints[0].label).toBe(`org-1/${long}`);
    expect(m.toSvg()).toContain(`1 org-1/${'w'.repeat(41)}…</text>`);
    expect(m.toSvg()).not.toContain('w'.repeat(42));
  });

  test('is deterministic: the same input gives the same bytes', () => {
    const again = ReachabilityMatrix.fromManifests(DENY_AND_OVERRIDE, { workloads: INVENTORY });
    expect(again.toSvg()).toBe(matrix.toSvg());
    expect(again.toMarkdown()).toBe(matrix.toMarkdown());
  });

  test('follows the Calico release given, and the chart\'s release from fromChart', () => {
    const chart = new Chart(Testing.app(), 'chart');
    new KubernetesNamespaceOverride(chart, 'o', { name: 'allow-http', namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
    const fromChart = ReachabilityMatrix.fromChart(chart, { calicoVersion: CalicoVersion.V3_31_7 });
    expect(fromChart.cell('org-1/*', 'org-1/*').allowedPorts).toEqual(['80']);
  });
});
