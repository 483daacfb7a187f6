// The `cdk8s-calico` command line: `lint` for pipelines, `report` for the architecture report of
// manifests that did not come from this library. Arguments are parsed with Node's own
// util.parseArgs; the function takes argv and writers so tests run it in-process.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { quote } from '../core/quote';
import { CalicoVersion } from '../core/calico-version';
import { analyze } from '../analysis/analyze';
import { parseRelease } from '../analysis/calico-release';
import { AUDIT_RULES } from '../analysis/lint-rules';
import { renderReport } from '../analysis/report-markdown';
import { MtuOverhead } from '../install/routing';
import { parseCidr } from '../net/address';
import { readInputs } from './input';
import { EXIT_CLEAN, EXIT_UNREADABLE, formatJson, formatText, lint } from './lint';

export { EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE } from './lint';

/** Where the command writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The process's own streams. */
export const PROCESS_IO: CliIo = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

const DEFAULT_MAX_FILE_MIB = 10;

const OPTIONS = {
  'nodes': { type: 'string' },
  'network-mtu': { type: 'string' },
  'node-subnets': { type: 'string' },
  'service-cidrs': { type: 'string' },
  'calico-version': { type: 'string' },
  'disable': { type: 'string', multiple: true },
  'format': { type: 'string' },
  'max-file-size': { type: 'string' },
  'help': { type: 'boolean', short: 'h' },
  'version': { type: 'boolean' },
} as const;

function usage(): string {
  const rules = Object.entries(AUDIT_RULES).map(([rule, what]) => `  ${rule.padEnd(18)} ${what}`).join('\n');
  return `Usage:
  cdk8s-calico lint <file or directory>... [options]
  cdk8s-calico report <file or directory>... [options]

lint     validates every Calico object (as calicoctl would) and audits the set against the
         reference architecture. One line per finding: file:line: object [rule] message.
         Exit code 0: no findings; 1: findings; 2: unreadable input (or bad arguments).
report   prints the architecture report (Markdown) of the manifests.

Directories are searched recursively for .yaml, .yml and .json files (hidden entries skipped).

Options:
  --nodes <n>            number of nodes the cluster has (Typha replica rule, mesh size, sessions)
  --network-mtu <bytes>  MTU of the node network (checks veth_mtu against the encapsulation)
  --node-subnets <cidrs> the node subnets, comma-separated (pools and service ranges must stay clear of them)
  --service-cidrs <cidrs> the service cluster IP ranges, comma-separated (pools must stay clear of them)
  --calico-version <tag> the Calico release the objects are for, e.g. v3.31.7: the kinds and fields
                         they are checked against (default: the release of the calico-node, calico-typha
                         and calico-kube-controllers images, else ${CalicoVersion.DEFAULT.tag}; supported lines:
                         ${CalicoVersion.supportedLines().join(', ')})
  --disable <rule>       skip a rule (repeat, or separate rules with commas), e.g. --disable no-default-deny
  --format <text|json>   output of lint (default text)
  --max-file-size <MiB>  largest file read (default ${DEFAULT_MAX_FILE_MIB})
  -h, --help             this help
  --version              the cdk8s-calico version

Rules:
${rules}
`;
}

/**
 * Runs the command line.
 * @param argv the arguments after the program name
 * @param io where to write
 * @returns the exit code
 */
export function main(argv: readonly string[], io: CliIo = PROCESS_IO): number {
  const bad = (message: string) => {
    io.stderr(`cdk8s-calico: ${message}\nRun 'cdk8s-calico --help' for the usage.\n`);
    return EXIT_UNREADABLE;
  };
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return bad(argumentError(e));
  }
  const args = parsed.values;
  if (args.help) {
    io.stdout(usage());
    return EXIT_CLEAN;
  }
  if (args.version) {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_CLEAN;
  }
  const positional = parsed.positionals;
  const command = positional[0];
  if (command !== 'lint' && command !== 'report') {
    return bad(command === undefined ? 'name a command: lint or report' : `unknown command ${quote(command)}; use lint or report`);
  }
  const paths = positional.slice(1);
  if (paths.length === 0) return bad(`${command} needs at least one file or directory, e.g. cdk8s-calico ${command} dist/`);

  const nodes = wholeNumber(args.nodes, '--nodes', 0, 1_000_000);
  if (typeof nodes === 'string') return bad(nodes);
  const networkMtu = wholeNumber(args['network-mtu'], '--network-mtu', MtuOverhead.MIN_IPV4_MTU, MtuOverhead.MAX_NETWORK_MTU);
  if (typeof networkMtu === 'string') return bad(networkMtu);
  const maxMib = wholeNumber(args['max-file-size'], '--max-file-size', 1, 4096);
  if (typeof maxMib === 'string') return bad(maxMib);
  const nodeSubnets = cidrList(args['node-subnets'], '--node-subnets');
  if (typeof nodeSubnets === 'string') return bad(nodeSubnets);
  const serviceCidrs = cidrList(args['service-cidrs'], '--service-cidrs');
  if (typeof serviceCidrs === 'string') return bad(serviceCidrs);
  const calicoVersion = args['calico-version'] === undefined ? undefined : parseRelease(args['calico-version']);
  if (typeof calicoVersion === 'string') return bad(`--calico-version ${quote(args['calico-version']!)}: ${calicoVersion}`);
  const disabled = (args.disable ?? []).flatMap(d => d.split(',')).map(d => d.trim()).filter(d => d !== '');
  const unknownRule = disabled.find(rule => !Object.prototype.hasOwnProperty.call(AUDIT_RULES, rule));
  if (unknownRule !== undefined) return bad(`--disable '${shorten(unknownRule)}' is not a rule; the rules are ${Object.keys(AUDIT_RULES).join(', ')}`);
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'json') return bad(`--format ${quote(format)} is not a format; use text or json`);

  const input = readInputs(paths, { maxFileBytes: (maxMib ?? DEFAULT_MAX_FILE_MIB) * 1024 * 1024 });
  if (command === 'report') {
    for (const e of input.errors) io.stderr(`${e.file}${e.line !== undefined ? `:${e.line}` : ''}: error: ${e.message}\n`);
    if (input.errors.length > 0) return EXIT_UNREADABLE;
    if (input.objects.length === 0) return bad('no Kubernetes objects in the input; nothing to report');
    const analysis = analyze({ objects: input.objects, expectedNodes: nodes, networkMtu, nodeSubnets, serviceCidrs, calicoVersion });
    io.stdout(renderReport(analysis, { sourceDescription: input.files.join(', '), maxDiagramGroups: 24 }));
    return EXIT_CLEAN;
  }
  const result = lint(input, { nodes, networkMtu, nodeSubnets, serviceCidrs, calicoVersion, disabledRules: disabled });
  if (format === 'json') {
    io.stdout(formatJson(result));
  } else {
    const text = formatText(result);
    io.stdout(text.out);
    io.stderr(text.err);
  }
  return result.exitCode;
}

/** At most a short prefix of a value for a message. */
function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}... (${text.length} characters)` : text;
}

/** Parses a comma-separated CIDR list option: the CIDRs (network form), undefined when absent, or a message. */
function cidrList(value: string | undefined, name: string): string[] | undefined | string {
  if (value === undefined) return undefined;
  const out: string[] = [];
  for (const item of value.split(',').map(x => x.trim()).filter(x => x !== '')) {
    const cidr = parseCidr(item);
    if (!cidr || !cidr.strict) return `${name} '${shorten(item)}' is not a CIDR without host bits, e.g. 10.0.0.0/24`;
    out.push(cidr.text);
  }
  return out;
}

/** The message of a util.parseArgs error, in this command's words. */
function argumentError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-[^' <]*)/.exec(message)?.[1] ?? '';
  const shown = shorten(option);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${shown}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `option ${shown} needs a value`;
  return message;
}

/** Parses a whole-number option: the number, undefined when absent, or a message. */
function wholeNumber(value: unknown, name: string, min: number, max: number): number | undefined | string {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    return `${name} ${quote(text)} is not a whole number from ${min} to ${max}`;
  }
  return Number(text);
}

function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      if (pkg.name === 'cdk8s-calico') return String(pkg.version);
    } catch {
      // not here; look further up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
