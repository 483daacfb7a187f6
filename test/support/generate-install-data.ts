// Generates src/install/private/upstream/: upstream's manifest install of each supported Calico
// line (src/core/private/calico-lines.ts) as TypeScript data, the objects the install renderers
// start from. `npm run gen:install-data` writes it; test/install/install-data.test.ts fails when
// the committed modules differ from what this produces.
//
// Read for each line, at the line's reference release:
// - reference-data/calico/<tag>/install-typha.yaml: the Kubernetes-datastore install with Typha
//   (upstream's calico-typha.yaml, CRDs removed);
// - test/fixtures/calico-etcd-<tag>.yaml: the etcd-datastore install (upstream's calico-etcd.yaml,
//   derived from the release's Helm chart as its header says).
// - reference-data/calico/<tag>/apiserver.yaml: the aggregated Calico API server;
// - reference-data/calico/<tag>/install-v3-crds.yaml (lines with native v3 CRDs): the objects it
//   has beyond the Typha install (the calico-webhooks workload and its webhook, the admission
//   policies), as the library adds them to its install in that mode;
// - reference-data/calico/<tag>/crds.yaml and v3-crds.yaml (lines with native v3 CRDs): the CRDs,
//   kept as gzip-compressed JSON (base64) so that the package can include them in a cluster's
//   output offline at little size.
// Adding a line is its reference data, its etcd fixture, its entry in calico-lines.ts and a run.
import * as fs from 'fs';
import * as zlib from 'zlib';
import * as path from 'path';
import * as YAML from 'yaml';
import { CALICO_LINES } from '../../src/core/private/calico-lines';
import { REFERENCE_DATA, REPO_ROOT as ROOT, upstreamTyphaFile } from './util';

/** Where the generated modules are committed. */
export const INSTALL_DATA_DIR = path.join(ROOT, 'src', 'install', 'private', 'upstream');

/** Upstream's etcd-datastore install (calico-etcd.yaml) of a release, as derived in the fixture. */
export function upstreamEtcdFile(tag: string): string {
  return path.join(ROOT, 'test', 'fixtures', `calico-etcd-${tag}.yaml`);
}

/** The objects of a multi-document YAML file, read as Kubernetes reads it (YAML 1.1). */
export function loadManifests(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' })
    .map(d => d.toJS()).filter(d => d && d.kind && d.kind !== 'CustomResourceDefinition');
}

/** The module of one line's variant: `v3.32`, `kubernetes` -> file `v3-32-kubernetes.ts`, constant `V3_32_KUBERNETES`. */
function moduleOf(line: string, variant: Variant): { file: string; constant: string } {
  const base = `${line.replace(/\./g, '-')}-${variant}`;
  return { file: `${base}.ts`, constant: base.replace(/-/g, '_').toUpperCase() };
}

/** Upstream's install on native v3 CRDs of a release (calico-v3-crds.yaml, CRDs removed); absent before v3.32. */
export function upstreamNativeV3File(tag: string): string {
  return path.join(REFERENCE_DATA, tag, 'install-v3-crds.yaml');
}

/** Upstream's aggregated API server of a release (apiserver.yaml). */
export function upstreamApiServerFile(tag: string): string {
  return path.join(REFERENCE_DATA, tag, 'apiserver.yaml');
}

/** The objects of upstream's native-v3 install that its Typha install lacks (by kind and name). */
export function nativeV3Additions(tag: string): any[] {
  const typha = loadManifests(upstreamTyphaFile(tag));
  return loadManifests(upstreamNativeV3File(tag))
    .filter(o => !typha.some(t => t.kind === o.kind && t.metadata.name === o.metadata.name));
}

/** The object-list variants of the install, the reference each is read from, and what the entry holds. */
type Variant = 'kubernetes' | 'etcd' | 'apiserver' | 'native-v3';
interface VariantSource {
  readonly variant: Variant;
  /** The field of UpstreamInstall. */
  readonly field: string;
  readonly file: (tag: string) => string;
  readonly objects: (tag: string) => any[];
  readonly what: string;
  /** Only lines whose reference data has the file carry it. */
  readonly optional?: boolean;
}
const VARIANTS: readonly VariantSource[] = [
  { variant: 'kubernetes', field: 'kubernetes', file: upstreamTyphaFile, objects: t => loadManifests(upstreamTyphaFile(t)), what: 'Kubernetes-datastore install with Typha' },
  { variant: 'etcd', field: 'etcd', file: upstreamEtcdFile, objects: t => loadManifests(upstreamEtcdFile(t)), what: 'etcd-datastore install' },
  { variant: 'apiserver', field: 'apiServer', file: upstreamApiServerFile, objects: t => loadManifests(upstreamApiServerFile(t)), what: 'aggregated Calico API server' },
  {
    variant: 'native-v3', field: 'nativeV3', file: upstreamNativeV3File, objects: nativeV3Additions, optional: true,
    what: 'install on native v3 CRDs, the objects it has beyond the Typha install (webhooks, admission policies),',
  },
];

/**
 * The compressed bundles: the file each is read from, the field of UpstreamInstall, what it holds
 * (the CRDs of the file, or its other objects) and how the module's doc names it.
 */
const BUNDLES: ReadonlyArray<{
  readonly suffix: string; readonly file: string; readonly field: string; readonly optional?: boolean;
  readonly objects: 'crds' | 'objects'; readonly what: string;
}> = [
  { suffix: 'crds', file: 'crds.yaml', field: 'crds', objects: 'crds', what: 'The CustomResourceDefinitions' },
  { suffix: 'v3-crds', file: 'v3-crds.yaml', field: 'v3Crds', optional: true, objects: 'crds', what: 'The CustomResourceDefinitions' },
  { suffix: 'operator', file: 'operator.yaml', field: 'operator', objects: 'objects', what: 'The Tigera operator\'s own objects (namespace, RBAC, Deployment)' },
  { suffix: 'operator-crds', file: 'operator-crds.yaml', field: 'operatorCrds', objects: 'crds', what: 'The operator.tigera.io CustomResourceDefinitions' },
];

/** Whether a line's reference data has the file. */
function has(file: string): boolean {
  return fs.existsSync(file);
}

/** Each generated module's text by file name (below INSTALL_DATA_DIR). */
export function generateInstallData(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of CALICO_LINES) {
    const tag = line.referenceTag;
    for (const { variant, file, objects, what, optional } of VARIANTS) {
      if (optional && !has(file(tag))) continue;
      const { file: name, constant } = moduleOf(line.line, variant);
      out.set(name, [
        '// GENERATED by test/support/generate-install-data.ts (`npm run gen:install-data`) from',
        `// ${path.relative(ROOT, file(tag))}. Never edit it by hand: test/install/install-data.test.ts`,
        '// fails when it differs from the generator\'s output.',
        'import type { KubeJson } from \'../kube-json\';',
        '',
        `/** The ${what} of Calico ${tag}: every object as upstream writes it, in upstream's order. */`,
        `export const ${constant}: readonly KubeJson[] = ${literal(objects(tag), '')};`,
        '',
      ].join('\n'));
    }
  }
  for (const line of CALICO_LINES) {
    for (const bundle of BUNDLES) {
      const source = path.join(REFERENCE_DATA, line.referenceTag, bundle.file);
      if (bundle.optional && !has(source)) continue;
      const { file, constant } = crdsModuleOf(line.line, bundle.suffix);
      out.set(file, [
        '// GENERATED by test/support/generate-install-data.ts (`npm run gen:install-data`) from',
        `// ${path.relative(ROOT, source)}. Never edit it by hand: test/install/install-data.test.ts`,
        '// fails when it differs from the generator\'s output.',
        '',
        `/** ${bundle.what} of Calico ${line.referenceTag} (${bundle.file}${bundle.objects === 'crds' ? ', descriptions left out' : ''}), as gzip-compressed JSON in base64. */`,
        `export const ${constant} =`,
        ...chunks(bundle.objects === 'crds' ? bundleCrds(source) : bundleObjects(source), LINE_WIDTH - 6).map((c, i, all) => `  '${c}'${i === all.length - 1 ? ';' : ' +'}`),
        '',
      ].join('\n'));
    }
  }
  const entries = CALICO_LINES.map(l => {
    const tag = l.referenceTag;
    const fields = [
      ...VARIANTS.filter(v => !v.optional || has(v.file(tag))).map(v => ({ field: v.field, ...moduleOf(l.line, v.variant) })),
      ...BUNDLES.filter(b => !b.optional || has(path.join(REFERENCE_DATA, tag, b.file))).map(b => ({ field: b.field, ...crdsModuleOf(l.line, b.suffix) })),
    ];
    return { line: l.line, tag, fields };
  });
  const modules = entries.flatMap(e => e.fields).sort((a, b) => (a.file < b.file ? -1 : 1));
  out.set('installs.ts', [
    '// GENERATED by test/support/generate-install-data.ts (`npm run gen:install-data`): one entry per',
    '// line of src/core/private/calico-lines.ts. Never edit it by hand.',
    'import type { UpstreamInstall } from \'../kube-json\';',
    ...modules.map(m => `import { ${m.constant} } from './${m.file.replace(/\.ts$/, '')}';`),
    '',
    '/** Each supported line\'s upstream install, by line (`v3.32`). */',
    'export const UPSTREAM_INSTALLS: { readonly [line: string]: UpstreamInstall } = {',
    ...entries.flatMap(e => [`  '${e.line}': {`, `    tag: '${e.tag}',`, ...e.fields.map(f => `    ${f.field}: ${f.constant},`), '  },']),
    '};',
    '',
  ].join('\n'));
  return out;
}

/** The CRD module of a line: `v3.32`, `crds` -> file `v3-32-crds.ts`, constant `V3_32_CRDS`. */
function crdsModuleOf(line: string, suffix: string): { file: string; constant: string } {
  const base = `${line.replace(/\./g, '-')}-${suffix}`;
  return { file: `${base}.ts`, constant: base.replace(/-/g, '_').toUpperCase() };
}

/** The CRDs of a file as gzip-compressed JSON (a list of the documents), in base64. Deterministic. */
export function bundleCrds(file: string): string {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map(d => d.toJS())
    .filter(d => d && d.kind === 'CustomResourceDefinition');
  return zlib.gzipSync(Buffer.from(JSON.stringify(docs)), { level: 9 }).toString('base64');
}

/** The objects of a file other than CRDs as gzip-compressed JSON (a list), in base64. Deterministic. */
export function bundleObjects(file: string): string {
  return zlib.gzipSync(Buffer.from(JSON.stringify(loadManifests(file))), { level: 9 }).toString('base64');
}

/** `text` cut into pieces of at most `width` characters. */
function chunks(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

/** Longest line a value is written on before it is broken up. */
const LINE_WIDTH = 120;

/**
 * `value` as a TypeScript literal, at `indent`: on one line when it fits, else broken into items,
 * the short ones packed several to a line (as prettier would not, to keep the modules short).
 */
function literal(value: unknown, indent: string): string {
  const flat = flatLiteral(value);
  if (flat !== undefined && indent.length + flat.length <= LINE_WIDTH - 10) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${packed(value.map(v => literal(v, inner)), inner)}${indent}]`;
  if (value !== null && typeof value === 'object') {
    return `{\n${packed(Object.entries(value).map(([k, v]) => `${key(k)}: ${literal(v, inner)}`), inner)}${indent}}`;
  }
  return scalar(value);
}

/** `items`, each followed by a comma: one-line items packed up to LINE_WIDTH, the others alone. */
function packed(items: string[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const multiLine = item.includes('\n');
    if (line && (multiLine || `${line} ${item},`.length > LINE_WIDTH)) {
      lines.push(line);
      line = '';
    }
    if (multiLine) lines.push(`${indent}${item},`);
    else line = line ? `${line} ${item},` : `${indent}${item},`;
  }
  if (line) lines.push(line);
  return lines.map(l => `${l}\n`).join('');
}

/** `value` on one line, or undefined when it holds a multi-line string. */
function flatLiteral(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const items = value.map(flatLiteral);
    return items.some(i => i === undefined) ? undefined : `[${items.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(([k, v]) => [k, flatLiteral(v)]);
    if (fields.some(([, v]) => v === undefined)) return undefined;
    return fields.length === 0 ? '{}' : `{ ${fields.map(([k, v]) => `${key(k!)}: ${v}`).join(', ')} }`;
  }
  return typeof value === 'string' && value.includes('\n') ? undefined : scalar(value);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') {
    if (value.includes('\n')) return `\`${value.replace(/[\\`]/g, c => `\\${c}`).replace(/\$\{/g, '\\${')}\``;
    return `'${value.replace(/[\\']/g, c => `\\${c}`)}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  throw new Error(`cannot write ${typeof value} as install data`);
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `'${name}'`;
}

if (require.main === module) {
  fs.mkdirSync(INSTALL_DATA_DIR, { recursive: true });
  for (const [file, text] of generateInstallData()) {
    fs.writeFileSync(path.join(INSTALL_DATA_DIR, file), text);
    process.stdout.write(`wrote ${path.relative(ROOT, path.join(INSTALL_DATA_DIR, file))}\n`);
  }
}
