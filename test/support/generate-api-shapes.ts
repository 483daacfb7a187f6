// Generates src/core/private/api-shapes.ts: the runtime type descriptions of the public API, read
// with the TypeScript compiler from everything src/index.ts exports. `npm run gen:shapes` writes
// it; test/core/api-shapes.test.ts fails when the committed module differs from what this produces,
// so a new prop, parameter or enum value can never miss its runtime check.
//
// What it describes:
// - every data struct (an exported interface whose name is not `I` + capital letter): its fields,
//   inherited ones included, each with its type and whether it is optional;
// - every public constructor and every public method (static or not) with parameters of every
//   exported class: its parameters in order;
// - every behavioural interface (`I` + capital letter) a described type uses: its properties;
// - every enum that a described type uses, with its values;
// - every class a described type uses, with the calls that make one (for messages).
//
// Types are written as short phrases (see PHRASES below) that src/core/argument-check.ts compiles
// once into closures.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const INDEX = path.join(ROOT, 'src', 'index.ts');
const SRC = path.join(ROOT, 'src') + path.sep;
/** Where the generated module is committed. */
export const API_SHAPES_FILE = path.join(ROOT, 'src', 'core', 'private', 'api-shapes.ts');

/** The description of the public API, before printing. */
interface Description {
  readonly structs: Map<string, Array<[string, string]>>;
  readonly interfaces: Map<string, Array<[string, string]>>;
  readonly callables: Map<string, Array<[string, string]>>;
  readonly enums: Map<string, Array<string | number>>;
  readonly classes: Map<string, string>;
}

const BEHAVIOURAL = /^I[A-Z]/;

/** The generated module's text. */
export function generateApiShapes(): string {
  const program = ts.createProgram([INDEX], {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(INDEX);
  if (!index) throw new Error(`cannot read ${INDEX}`);
  const moduleSymbol = checker.getSymbolAtLocation(index)!;
  const description: Description = { structs: new Map(), interfaces: new Map(), callables: new Map(), enums: new Map(), classes: new Map() };
  const reader = new ApiReader(checker, description);
  const exported = checker.getExportsOfModule(moduleSymbol)
    .map(s => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const symbol of exported) {
    if (symbol.flags & ts.SymbolFlags.Class) reader.readClass(symbol);
    else if (symbol.flags & ts.SymbolFlags.Interface && !BEHAVIOURAL.test(symbol.name)) reader.readStruct(symbol);
  }
  return print(description);
}

class ApiReader {
  constructor(private readonly checker: ts.TypeChecker, private readonly out: Description) {}

  /** Reads a struct's fields (inherited ones included), once. */
  public readStruct(symbol: ts.Symbol): void {
    this.readFields(symbol, this.out.structs);
  }

  /**
   * Reads the fields (inherited ones included) of a struct, or the properties of a behavioural
   * interface (its methods are left out), once.
   */
  private readFields(symbol: ts.Symbol, into: Map<string, Array<[string, string]>>): void {
    if (into.has(symbol.name)) return;
    const fields: Array<[string, string]> = [];
    into.set(symbol.name, fields);
    const type = this.checker.getDeclaredTypeOfSymbol(symbol);
    for (const property of this.checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (!declaration || !(property.flags & ts.SymbolFlags.Property)) continue;
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const propertyType = this.checker.getTypeOfSymbolAtLocation(property, declaration);
      fields.push([property.name, `${optional ? 'optional ' : ''}${this.typeText(propertyType, `${symbol.name}.${property.name}`)}`]);
    }
  }

  /**
   * Reads a class's public constructor and the public methods with parameters that it declares or
   * inherits from base classes in src/ (an unexported base's methods are public through the class:
   * they are described under the base's name, which is what the base's own code passes).
   */
  public readClass(symbol: ts.Symbol): void {
    const declaration = symbol.valueDeclaration as ts.ClassDeclaration;
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    if (constructor && isPublic(constructor)) this.out.callables.set(symbol.name, this.parameters(constructor, symbol.name));
    for (let c: ts.ClassDeclaration | undefined = declaration; c && isOurs(c); c = baseClassOf(this.checker, c)) {
      const className = c.name!.text;
      for (const member of c.members) {
        if (!isPublic(member) || !ts.isMethodDeclaration(member) || member.parameters.length === 0) continue;
        const name = `${className}.${member.name.getText()}`;
        if (!this.out.callables.has(name)) this.out.callables.set(name, this.parameters(member, name));
      }
    }
  }

  private parameters(callable: ts.SignatureDeclaration, where: string): Array<[string, string]> {
    return callable.parameters.map(p => {
      const name = p.name.getText();
      const type = this.checker.getTypeAtLocation(p);
      if (p.dotDotDotToken) {
        const element = this.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
        if (!element) throw new Error(`${where}: rest parameter ${name} is not an array`);
        return [`...${name}`, this.typeText(element, `${where}(${name})`)];
      }
      const optional = p.questionToken !== undefined || p.initializer !== undefined;
      return [name, `${optional ? 'optional ' : ''}${this.typeText(type, `${where}(${name})`)}`];
    });
  }

  /** The phrase for a type (`undefined` stripped from optional ones). */
  private typeText(type: ts.Type, where: string): string {
    const checker = this.checker;
    if (type.isUnion() && !(type.flags & ts.TypeFlags.EnumLiteral)) {
      const members = type.types.filter(t => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      if (members.every(t => t.flags & ts.TypeFlags.BooleanLiteral)) return 'boolean';
      const enumOf = members.map(t => enumSymbolOf(t)?.name);
      if (members.length > 1 && enumOf[0] && enumOf.every(e => e === enumOf[0])) return this.enumText(enumSymbolOf(members[0])!);
      if (members.length !== 1) throw new Error(`${where}: union type ${checker.typeToString(type)} is not in jsii's type system`);
      return this.typeText(members[0], where);
    }
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'any';
    if (type.flags & ts.TypeFlags.StringLike && !(type.flags & ts.TypeFlags.EnumLike)) return 'string';
    if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
    const enumSymbol = enumSymbolOf(type);
    if (enumSymbol) return this.enumText(enumSymbol);
    if (type.flags & ts.TypeFlags.NumberLike) return 'number';
    if (checker.isArrayType(type)) {
      return `array of ${this.typeText(checker.getTypeArguments(type as ts.TypeReference)[0], where)}`;
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol && symbol.flags & ts.SymbolFlags.Class) return this.classText(symbol);
    if (symbol && symbol.flags & ts.SymbolFlags.Interface) {
      if (BEHAVIOURAL.test(symbol.name)) {
        this.readFields(symbol, this.out.interfaces);
        return `interface ${symbol.name}`;
      }
      if (!symbol.declarations?.some(isOurs)) return `external ${qualifiedName(symbol)}`;
      this.readStruct(symbol);
      return `struct ${symbol.name}`;
    }
    const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    if (index && checker.getPropertiesOfType(type).length === 0) return `map of ${this.typeText(index, where)}`;
    throw new Error(`${where}: cannot describe type ${checker.typeToString(type)}`);
  }

  private enumText(symbol: ts.Symbol): string {
    if (!this.out.enums.has(symbol.name)) {
      const declaration = symbol.valueDeclaration as ts.EnumDeclaration;
      this.out.enums.set(symbol.name, declaration.members.map(m => this.checker.getConstantValue(m)!));
    }
    return `enum ${symbol.name}`;
  }

  /** `class X`, recording how a caller makes an X: its public constructor or its static factories. */
  private classText(symbol: ts.Symbol): string {
    if (!this.out.classes.has(symbol.name)) {
      const type = this.checker.getDeclaredTypeOfSymbol(symbol);
      const declaration = symbol.valueDeclaration as ts.ClassDeclaration | undefined;
      const makers: string[] = [];
      for (const member of declaration?.members ?? []) {
        if (!isPublic(member) || !isStatic(member)) continue;
        const memberType = this.checker.getTypeAtLocation(member);
        const returned = ts.isMethodDeclaration(member)
          ? memberType.getCallSignatures()[0]?.getReturnType()
          : ts.isPropertyDeclaration(member) ? memberType : undefined;
        if (returned && returned.getSymbol() === type.getSymbol()) {
          const made = `${symbol.name}.${member.name!.getText()}`;
          makers.push(ts.isMethodDeclaration(member) ? `${made}()` : made);
        }
      }
      const constructor = declaration?.members.find(ts.isConstructorDeclaration);
      const abstract = declaration?.modifiers?.some(m => m.kind === ts.SyntaxKind.AbstractKeyword);
      if (!abstract && (!constructor || isPublic(constructor))) makers.unshift(`new ${symbol.name}(...)`);
      this.out.classes.set(symbol.name, makers.length > 3 ? `${makers.slice(0, 3).join(', ')}, ...` : makers.join(', '));
    }
    return `class ${symbol.name}`;
  }
}

function isOurs(node: ts.Node): boolean {
  return node.getSourceFile().fileName.startsWith(SRC.split(path.sep).join('/'));
}

function baseClassOf(checker: ts.TypeChecker, c: ts.ClassDeclaration): ts.ClassDeclaration | undefined {
  const extended = c.heritageClauses?.find(h => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const base = extended ? checker.getTypeAtLocation(extended.expression).getSymbol() : undefined;
  const declaration = base?.valueDeclaration;
  return declaration && ts.isClassDeclaration(declaration) ? declaration : undefined;
}

function isPublic(member: ts.ClassElement): boolean {
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  const name = member.name?.getText() ?? '';
  return !name.startsWith('_') && !name.startsWith('#');
}

function isStatic(member: ts.ClassElement): boolean {
  return (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static) !== 0;
}

/** The enum a type belongs to (an enum type, or one of its members), or undefined. */
function enumSymbolOf(type: ts.Type): ts.Symbol | undefined {
  if (!(type.flags & ts.TypeFlags.EnumLike)) return undefined;
  const symbol = type.getSymbol();
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Enum) return symbol;
  if (symbol.flags & ts.SymbolFlags.EnumMember) return (symbol as any).parent as ts.Symbol;
  return undefined;
}

/**
 * The name users write for an interface of another package: `k8s.Toleration` for one declared in a
 * module or namespace (cdk8s-plus-28 exports its `imports/k8s` module as `k8s`), else its plain name.
 */
function qualifiedName(symbol: ts.Symbol): string {
  const parent = (symbol as any).parent as ts.Symbol | undefined;
  if (!parent || !(parent.flags & (ts.SymbolFlags.Namespace | ts.SymbolFlags.ValueModule))) return symbol.name;
  return `${path.basename(parent.name.replace(/"/g, ''))}.${symbol.name}`;
}

function sortedEntries<V>(map: Map<string, V>): Array<[string, V]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `'${name}'`;
}

/** What the type phrases of the generated module mean (printed at its top). */
const PHRASES = [
  'Type phrases: `string`, `number`, `boolean`, `any`; `enum X` (one of ENUMS.X); `class X` (an',
  'instance of a class named X, by the names along its prototype chain); `struct X` (an object with',
  'the fields of STRUCTS.X); `interface X` (an object with the properties of INTERFACES.X);',
  '`external X` (a struct of another package: an object); `array of T`; `map of T` (an object whose',
  'values are T). A field or parameter that may be left out starts with `optional `.',
];

/** Longest line the module is written with (fields are packed up to it, so it stays short). */
const LINE_WIDTH = 140;

/** `items`, each followed by a comma, on as few lines of at most LINE_WIDTH characters as they fit on. */
function packed(items: string[], indent: string): string[] {
  const out: string[] = [];
  let line: string[] = [];
  for (const item of items) {
    if (line.length && [indent, ...line, item].join(' ').length + 1 > LINE_WIDTH) {
      out.push(`${indent}${line.join(' ')}`);
      line = [];
    }
    line.push(`${item},`);
  }
  if (line.length) out.push(`${indent}${line.join(' ')}`);
  return out;
}

function print(d: Description): string {
  const lines: string[] = [
    '// GENERATED by test/support/generate-api-shapes.ts (`npm run gen:shapes`) from what src/index.ts',
    '// exports. Never edit it by hand: test/core/api-shapes.test.ts fails when it differs from the',
    '// generator\'s output. src/core/argument-check.ts reads it.',
    '//',
    ...PHRASES.map(line => `// ${line}`.trimEnd()),
    '',
    '/** Each struct\'s fields: field name -> type phrase. */',
    'export const STRUCTS: { readonly [struct: string]: { readonly [field: string]: string } } = {',
  ];
  for (const [name, fields] of sortedEntries(d.structs)) {
    const entries = fields.map(([field, type]) => `${key(field)}: '${type}'`);
    const oneLine = `  ${name}: { ${entries.join(', ')} },`;
    if (oneLine.length <= LINE_WIDTH) {
      lines.push(oneLine);
    } else {
      lines.push(`  ${name}: {`, ...packed(entries, '    '), '  },');
    }
  }
  lines.push('};', '', '/** Each behavioural interface a described type names: its properties (not its methods), as for structs. */');
  lines.push('export const INTERFACES: { readonly [name: string]: { readonly [property: string]: string } } = {');
  for (const [name, fields] of sortedEntries(d.interfaces)) {
    const entries = fields.map(([field, type]) => `${key(field)}: '${type}'`);
    lines.push(`  ${name}: { ${entries.join(', ')} },`);
  }
  lines.push('};', '', '/** Each public constructor (`Class`) and method (`Class.method`): its parameters in order (`...rest`). */');
  lines.push('export const CALLABLES: { readonly [callable: string]: ReadonlyArray<readonly [string, string]> } = {');
  // Several short callables to a line, so the module stays under the 600 lines a source file may have.
  lines.push(...packed(sortedEntries(d.callables).map(([name, params]) => `${key(name)}: [${params.map(([p, t]) => `['${p}', '${t}']`).join(', ')}]`), '  '));
  lines.push('};', '', '/** Each enum\'s values. */', 'export const ENUMS: { readonly [enumName: string]: ReadonlyArray<string | number> } = {');
  // Enums and classes are short: several to a line, so the module stays under the 600 lines a source file may have.
  lines.push(...packed(sortedEntries(d.enums).map(([name, values]) => `${name}: [${values.map(v => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}]`), '  '));
  lines.push('};', '', '/** Each class a described type names, with the calls that make one (for messages). */');
  lines.push('export const CLASSES: { readonly [className: string]: string } = {');
  lines.push(...packed(sortedEntries(d.classes).map(([name, makers]) => `${key(name)}: '${makers}'`), '  '));
  lines.push('};', '');
  return lines.join('\n');
}

if (require.main === module) {
  fs.writeFileSync(API_SHAPES_FILE, generateApiShapes());
  process.stdout.write(`wrote ${path.relative(ROOT, API_SHAPES_FILE)}\n`);
}
