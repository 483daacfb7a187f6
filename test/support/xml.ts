// A small XML 1.0 well-formedness check for the SVG the library writes by hand: one root element,
// tags that nest and close, attributes quoted once each, text and attribute values with no bare
// '<' or '&' (only the five named entities and character references), no characters XML forbids.
// Returns the problems found (none for a well-formed document) and the element names in order.

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/;
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface XmlCheck {
  readonly problems: string[];
  readonly elements: string[];
}

export function checkXml(text: string): XmlCheck {
  const problems: string[] = [];
  const elements: string[] = [];
  if (FORBIDDEN.test(text)) problems.push('contains a character XML 1.0 does not allow');
  let i = 0;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) return { problems: ['unterminated XML declaration'], elements };
    i = end + 2;
  }
  const open: string[] = [];
  let roots = 0;
  const checkText = (chunk: string, where: string) => {
    for (let at = chunk.indexOf('&'); at >= 0; at = chunk.indexOf('&', at + 1)) {
      if (!ENTITY.test(chunk.slice(at, at + 12))) problems.push(`bare '&' in ${where}`);
    }
    if (chunk.includes('<')) problems.push(`'<' in ${where}`);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (open.length === 0 && chunk.trim() !== '') problems.push(`text outside the root element: ${JSON.stringify(chunk.slice(0, 40))}`);
    checkText(chunk, 'text');
    if (lt < 0) break;
    const gt = text.indexOf('>', lt);
    if (gt < 0) {
      problems.push('unterminated tag');
      break;
    }
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const top = open.pop();
      if (top !== name) problems.push(`</${name}> closes <${top ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const space = body.search(/\s/);
    const name = space < 0 ? body : body.slice(0, space);
    if (!NAME.test(name)) problems.push(`bad element name ${JSON.stringify(name)}`);
    elements.push(name);
    if (open.length === 0 && ++roots > 1) problems.push(`second root element <${name}>`);
    checkAttributes(space < 0 ? '' : body.slice(space), name, problems, checkText);
    if (!selfClosing) open.push(name);
  }
  if (open.length > 0) problems.push(`unclosed <${open.join('>, <')}>`);
  if (roots === 0) problems.push('no root element');
  return { problems, elements };
}

function checkAttributes(source: string, element: string, problems: string[], checkText: (chunk: string, where: string) => void): void {
  const seen = new Set<string>();
  let rest = source.trim();
  while (rest !== '') {
    const eq = rest.indexOf('=');
    if (eq < 0 || rest[eq + 1] !== '"') {
      problems.push(`malformed attributes of <${element}>: ${JSON.stringify(rest.slice(0, 40))}`);
      return;
    }
    const name = rest.slice(0, eq).trim();
    if (!NAME.test(name)) problems.push(`bad attribute name ${JSON.stringify(name)} on <${element}>`);
    if (seen.has(name)) problems.push(`attribute ${name} twice on <${element}>`);
    seen.add(name);
    const close = rest.indexOf('"', eq + 2);
    if (close < 0) {
      problems.push(`unterminated attribute ${name} on <${element}>`);
      return;
    }
    checkText(rest.slice(eq + 2, close), `attribute ${name} of <${element}>`);
    rest = rest.slice(close + 1).trim();
  }
}
