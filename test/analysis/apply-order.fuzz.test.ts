// The Argo CD sync-wave parser against a model of Go's strconv.Atoi (64-bit): any string, whole
// numbers of the int64 range in every spelling, and numbers just past it. Seeds are fixed so that
// a failure reproduces.
import * as fc from 'fast-check';
import { parseSyncWave } from '../../src/analysis/private/apply-order';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.Atoi's answer: a decimal whole number with an optional sign, in the int64 range; undefined for an error. */
function atoi(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text.replace(/^\+/, ''));
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** A whole number written with an optional sign and leading zeros. */
const spelled = (n: fc.Arbitrary<bigint>) => fc.tuple(n, fc.constantFrom('', '+'), fc.nat({ max: 30 }))
  .map(([value, plus, zeros]) => `${value < 0n ? '-' : plus}${'0'.repeat(zeros)}${value < 0n ? -value : value}`);

const PIECES = ['0', '1', '9', '-', '+', ' ', '_', '.', 'e', 'x', '\n', '٣', '１', '9223372036854775807', '9223372036854775808'];

describe('parseSyncWave', () => {
  test('reads every int64 in every spelling as strconv.Atoi does', () => {
    fc.assert(fc.property(spelled(fc.bigInt({ min: INT64_MIN, max: INT64_MAX })), text => {
      expect(parseSyncWave(text)).toBe(atoi(text));
      expect(parseSyncWave(text)).not.toBeUndefined();
    }), { seed: 1414, numRuns: 2000 });
  });

  test('refuses numbers past the int64 range, however written', () => {
    const outside = fc.oneof(fc.bigInt({ min: INT64_MAX + 1n, max: 2n ** 200n }), fc.bigInt({ min: -(2n ** 200n), max: INT64_MIN - 1n }));
    fc.assert(fc.property(spelled(outside), text => {
      expect(parseSyncWave(text)).toBeUndefined();
    }), { seed: 1415, numRuns: 1000 });
  });

  test('agrees with the model on any string, and on strings of digits, signs and look-alikes', () => {
    const lookAlike = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map(p => p.join(''));
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), lookAlike), text => {
      expect(parseSyncWave(text)).toBe(atoi(text));
    }), { seed: 1416, numRuns: 3000 });
  });

  test('answers values that are no string, and very long ones, at once', () => {
    for (const value of [undefined, null, 3, 3n, ['1'], { wave: '1' }]) expect(parseSyncWave(value)).toBeUndefined();
    const started = Date.now();
    expect(parseSyncWave(`${'0'.repeat(1_000_000)}7`)).toBe(7n);
    expect(parseSyncWave('9'.repeat(1_000_000))).toBeUndefined();
    expect(parseSyncWave(`${'1'.repeat(1_000_000)}x`)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
