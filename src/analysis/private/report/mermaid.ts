// A Mermaid flowchart of the BGP peering topology (GitHub renders it). Nodes are drawn as groups
// with counts, inside one box per node subnet; topologies with more groups than the limit are
// summarized by role (nodes, reflectors, routers), so a 5,000-node cluster is a few boxes.
import { groupsPeer, routersOf, Topology } from './topology';

/** Draws the topology. `maxGroups`: most node groups drawn one by one. */
export function mermaidDiagram(t: Topology, maxGroups: number): string {
  const lines = ['flowchart LR'];
  const usable = t.groups.filter(g => t.reps[g.index].length > 0);
  if (usable.length === 0 && t.routers.length === 0) {
    lines.push('  empty["no nodes described"]');
    return lines.join('\n');
  }
  if (usable.length > maxGroups || t.routers.length > maxGroups) return summarized(t, lines);

  // Boxes: node groups by subnet, then routers.
  const bySubnet = new Map<string, number[]>();
  const loose: number[] = [];
  for (const g of usable) {
    if (g.subnet) bySubnet.set(g.subnet, [...(bySubnet.get(g.subnet) ?? []), g.index]);
    else loose.push(g.index);
  }
  const box = (i: number) => {
    const g = t.groups[i];
    const count = g.count === undefined ? 'n nodes' : g.described && g.names.length === 1 ? g.names[0] : `${g.count} node${g.count === 1 ? '' : 's'}`;
    const detail: string[] = [];
    if (!(g.described && g.names.length === 1)) detail.push(g.described ? g.names.slice(0, 3).join(', ') + (g.names.length > 3 ? ', ...' : '') : labelText(g.labels));
    if (g.clusterId !== undefined) detail.push(`reflector, cluster ${g.clusterId}`);
    if (g.address) detail.push(g.address);
    if (g.asNumber !== undefined && t.groups.some(h => h.asNumber !== g.asNumber)) detail.push(`AS ${g.asNumber}`);
    if (groupsPeer(t, i, i) && !(t.meshEnabled && g.clusterId === undefined)) detail.push('peer with each other');
    const text = [count, ...detail.filter(d => d !== '')].map(escape).join('<br/>');
    return g.clusterId !== undefined ? `g${i}[["${text}"]]` : `g${i}["${text}"]`;
  };
  [...bySubnet.keys()].sort().forEach((subnet, s) => {
    lines.push(`  subgraph net${s}["subnet ${escape(subnet)}"]`);
    for (const i of bySubnet.get(subnet)!) lines.push(`    ${box(i)}`);
    lines.push('  end');
  });
  for (const i of loose) lines.push(`  ${box(i)}`);
  for (const r of t.routers) lines.push(`  r${r.index}{{"router ${escape(r.address)}<br/>AS ${r.asNumber}"}}`);

  // The mesh as one hub instead of every pair.
  const meshMembers = usable.filter(g => t.meshEnabled && g.clusterId === undefined).map(g => g.index);
  if (meshMembers.length > 0) {
    lines.push('  mesh(("node-to-node mesh"))');
    for (const i of meshMembers) lines.push(`  g${i} --- mesh`);
  }
  // Peerings configured by BGPPeers.
  for (const a of usable) {
    for (const b of usable) {
      if (b.index <= a.index || !configuredPeering(t, a.index, b.index)) continue;
      lines.push(`  g${a.index} ---|"${sessionLabel(t, a.index, b.index)}"| g${b.index}`);
    }
    for (const r of routersOf(t, a.index)) {
      lines.push(`  g${a.index} ---|"${t.routers[r].asNumber === a.asNumber ? 'iBGP' : 'eBGP'}"| r${r}`);
    }
  }
  return lines.join('\n');
}

/** Whether a BGPPeer (not only the mesh) peers two groups. */
function configuredPeering(t: Topology, i: number, j: number): boolean {
  if (!groupsPeer(t, i, j)) return false;
  const link = t.links[t.reps[i][0]].get(t.reps[j][0])!;
  return [...link.via].some(v => v !== 'mesh');
}

function sessionLabel(t: Topology, i: number, j: number): string {
  const a = t.reps[i][0];
  const b = t.reps[j][0];
  const ab = t.links[a].get(b)!;
  const ba = t.links[b].get(a)!;
  if (ab.rrClient && ba.rrClient) return 'reflectors, each a client of the other';
  if (ab.rrClient || ba.rrClient) return 'reflector client';
  return t.speakers[a].asNumber === t.speakers[b].asNumber ? 'iBGP' : 'eBGP';
}

function summarized(t: Topology, lines: string[]): string {
  const roles = [
    { id: 'nodes', groups: t.groups.filter(g => g.clusterId === undefined && t.reps[g.index].length > 0) },
    { id: 'reflectors', groups: t.groups.filter(g => g.clusterId !== undefined && t.reps[g.index].length > 0) },
  ].filter(r => r.groups.length > 0);
  const countOf = (groups: typeof t.groups) => (groups.every(g => g.count !== undefined) ? String(groups.reduce((s, g) => s + g.count!, 0)) : 'n');
  for (const r of roles) {
    const text = `${countOf(r.groups)} ${r.id === 'nodes' ? 'nodes' : 'route reflectors'}<br/>in ${r.groups.length} group${r.groups.length === 1 ? '' : 's'}`;
    lines.push(r.id === 'reflectors' ? `  reflectors[["${text}"]]` : `  nodes["${text}"]`);
  }
  if (t.routers.length > 0) lines.push(`  routers{{"${t.routers.length} router${t.routers.length === 1 ? '' : 's'}"}}`);
  const peer = (as: typeof t.groups, bs: typeof t.groups) => as.some(a => bs.some(b => groupsPeer(t, a.index, b.index)));
  for (let x = 0; x < roles.length; x++) {
    for (let y = x; y < roles.length; y++) {
      if (!peer(roles[x].groups, roles[y].groups)) continue;
      if (x === y) lines.push(`  ${roles[x].id} ---|"${roles[x].id === 'nodes' && t.meshEnabled ? 'node-to-node mesh' : 'peer with each other'}"| ${roles[x].id}`);
      else lines.push(`  ${roles[x].id} ---|"reflector client"| ${roles[y].id}`);
    }
    if (roles[x].groups.some(g => routersOf(t, g.index).length > 0)) lines.push(`  ${roles[x].id} --- routers`);
  }
  return lines.join('\n');
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(', ');
}

/** Escapes text for a quoted Mermaid label. */
function escape(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
