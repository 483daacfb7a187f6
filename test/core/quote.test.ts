import { isShortened, quote, quoteJson } from '../../src/core/quote';

describe('quote', () => {
  test('shows short strings whole, in single quotes', () => {
    expect(quote('10.0.0.0/33')).toBe("'10.0.0.0/33'");
    expect(quote('')).toBe("''");
    expect(quote('x'.repeat(78))).toBe(`'${'x'.repeat(78)}'`);
  });

  test('shows a long string as its first 60 characters, ... and its length', () => {
    expect(quote('x'.repeat(79))).toBe(`'${'x'.repeat(60)}...' (79 characters)`);
    const huge = 'a == "' + 'x'.repeat(9_000_000);
    const quoted = quote(huge);
    expect(quoted).toBe(`'a == "${'x'.repeat(54)}...' (9000006 characters)`);
    expect(isShortened(huge)).toBe(true);
    expect(isShortened('short')).toBe(false);
  });

  test('never cuts a character in half', () => {
    const text = `${'x'.repeat(59)}\u{1f600}${'y'.repeat(40)}`;
    expect(quote(text)).toBe(`'${'x'.repeat(59)}...' (101 characters)`);
  });

  test('escapes what would not print as one line, and halves of surrogate pairs', () => {
    expect(quote('a\nb\tc\u0000')).toBe("'a\\nb\\tc\\u0000'");
    expect(quote('x\ud800y')).toBe("'x\\ud800y'");
    expect(quote('\u{1f600}')).toBe("'\u{1f600}'");
    expect(quote("it's")).toBe("'it's'");
  });

  test('shows other values as JSON, bounded', () => {
    expect(quote(5)).toBe('5');
    expect(quote(null)).toBe('null');
    expect(quote(undefined)).toBe('undefined');
    expect(quote(true)).toBe('true');
    expect(quote({ cidr: 1, list: ['a', null] })).toBe('{"cidr":1,"list":["a",null]}');
    expect(quote(NaN)).toBe('NaN');
    expect(quote(26n)).toBe('26');
    expect(quote(Symbol('s'))).toBe('Symbol(s)');
    expect(quote(function named() {})).toBe('[function named]');
    expect(quote(new Date(0))).toBe('[object Date]');
    const big = quote({ list: Array.from({ length: 100_000 }, (_, i) => i) });
    expect(big.length).toBeLessThanOrEqual(63);
    expect(big.endsWith('...')).toBe(true);
  });

  test('never calls a getter and never throws', () => {
    const getter = {};
    Object.defineProperty(getter, 'x', { enumerable: true, get() { throw new Error('called'); } });
    expect(quote(getter)).toBe('{"x":(getter)}');
    const cycle: any = { a: 1 };
    cycle.self = cycle;
    expect(quote(cycle).endsWith('...')).toBe(true);
    const hostile = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });
    expect(quote(hostile)).toBe('a value that cannot be shown');
    expect(quote(Object.create(null))).toBe('{}');
  });

  test('quoteJson quotes strings as JSON does', () => {
    expect(quoteJson('a "b"')).toBe('"a \\"b\\""');
    expect(quoteJson('x'.repeat(100))).toBe(`"${'x'.repeat(60)}..." (100 characters)`);
    expect(quoteJson('x'.repeat(100), { length: false })).toBe(`"${'x'.repeat(60)}..."`);
    expect(quoteJson(['a'])).toBe('["a"]');
  });
});
