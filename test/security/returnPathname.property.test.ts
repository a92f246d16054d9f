import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeReturnPathname } from '../../src/operations/returnPathname.js';

// What a sanitised return path may be: `/` then percent-encoded path characters (never a second `/` or a `\`
// right after the first), then an optional query and fragment; `%` only in escapes.
const SAFE_PATH =
  /^\/(?![/\\])(?:[A-Za-z0-9\-._~!$&()*+,;=:@/]|%[0-9A-Fa-f]{2})*(?:\?(?:[A-Za-z0-9\-._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?(?:#(?:[A-Za-z0-9\-._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/;

// Inputs an attacker would try: absolute and protocol-relative URLs, backslashes, dot segments, quotes and
// angle brackets, escapes (valid, broken and encoded slashes), non-ASCII, lone surrogates, control characters.
const PIECES = [
  '/',
  '//',
  '\\',
  '/\\',
  '.',
  '..',
  '%',
  '%2e',
  '%2F',
  '%5c',
  '%25',
  '%zz',
  '?',
  '#',
  '"',
  "'",
  '<',
  '>',
  '`',
  ' ',
  '{',
  '|',
  '^',
  '@',
  ':',
  'evil.com',
  'https:',
  'javascript:',
  '日本',
  '\u{1F600}',
  '\uD800',
  '\t',
  '\u0000',
  'a',
  'b/c',
  '=',
  '&',
];
const attackerInput = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

describe('sanitizeReturnPathname (property)', () => {
  it('always answers a percent-encoded same-origin path', () => {
    fc.assert(
      fc.property(attackerInput, (input) => {
        const output = sanitizeReturnPathname(input);
        expect(output).toMatch(SAFE_PATH);
        // A browser resolving it against our origin stays on our origin.
        expect(new URL(output, 'https://app.example').origin).toBe('https://app.example');
      }),
      { numRuns: 3000, seed: 20261201 },
    );
  });

  it('is idempotent: sanitising its output again changes nothing', () => {
    fc.assert(
      fc.property(attackerInput, (input) => {
        const once = sanitizeReturnPathname(input);
        expect(sanitizeReturnPathname(once)).toBe(once);
      }),
      { numRuns: 3000, seed: 20261201 },
    );
  });

  it('keeps ordinary paths as they are and encodes the characters of markup', () => {
    expect(sanitizeReturnPathname('/dashboard?tab=1#top')).toBe('/dashboard?tab=1#top');
    expect(sanitizeReturnPathname(`/a"'<>b?q="'<>#"'<>`)).toBe('/a%22%27%3C%3Eb?q=%22%27%3C%3E#%22%27%3C%3E');
    expect(sanitizeReturnPathname('/100%')).toBe('/100%25');
    expect(sanitizeReturnPathname('/日本')).toBe('/%E6%97%A5%E6%9C%AC');
    expect(sanitizeReturnPathname('https://evil.com//x')).toBe('/x');
  });
});
