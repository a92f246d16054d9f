import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiJson, decodeByTable, decodeBytes, decodeNative } from '../../src/core/encoding/base64url.js';
import { decodeClaims } from '../../src/core/jwt/claims.js';
import { decodeToken } from '../../src/core/jwt/decode.js';

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const HEADER = b64('{"alg":"RS256","kid":"k1"}');
const token = (payload: string) => `${HEADER}.${payload}.c2ln`;

/** Payload parts (base64url text) that the fast ASCII path must decode exactly as jose and the strict decoder do, or leave to them. */
const PAYLOADS: [string, string][] = [
  ['ASCII claims', b64('{"sub":"user_1","sid":"session_1","exp":1700000000,"permissions":["a","b"]}')],
  ['non-ASCII claims', b64('{"name":"名前 é 🎉"}')],
  ['a byte-order mark', b64('\uFEFF{"sub":"u"}')],
  ['bytes that are not UTF-8', b64(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))],
  ['an array', b64('["sub"]')],
  ['a JSON string', b64('"sub"')],
  ['null', b64('null')],
  ['text that is not JSON', b64('{sub: 1}')],
  ['padding', `${b64('{"sub":"u1"}')}==`],
  ['standard base64 characters', b64('{"s":">>>???"}').replace(/-/g, '+').replace(/_/g, '/')],
  ['whitespace', ` ${b64('{"sub":"u"}')}`],
  ['a length of 4n+1', `${b64('{"sub":"u"}')}A`],
  ['nothing', ''],
];

/** What a decoder came to: the value, or that it threw. */
function outcome(decode: () => unknown): { value: unknown } | 'threw' {
  try {
    return { value: decode() };
  } catch {
    return 'threw';
  }
}

/** The general way, as decodeToken did before its ASCII path: strict UTF-8, then JSON. */
function strictJson(part: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(part, 'base64url')));
  } catch {
    return undefined;
  }
}

describe('JWT decoding: the ASCII fast path', () => {
  it.each(PAYLOADS)('decodes claims with %s exactly as jose does (or refuses as it does)', (_name, payload) => {
    expect(outcome(() => decodeClaims(token(payload)))).toEqual(outcome(() => decodeJwt(token(payload))));
  });

  it.each(PAYLOADS.filter(([, payload]) => /^[A-Za-z0-9_-]+$/.test(payload)))(
    'decodes a token with %s as the strict UTF-8 decoder does',
    (_name, payload) => {
      const claims = strictJson(payload);
      const plain = typeof claims === 'object' && claims !== null && !Array.isArray(claims);
      expect(decodeToken(token(payload))?.claims).toEqual(plain ? claims : undefined);
    },
  );

  it('takes only unpadded base64url of ASCII JSON; the rest is left to the general decoders', () => {
    expect(asciiJson(b64('{"a":[1,"x"]}'))).toEqual({ value: { a: [1, 'x'] } });
    expect(asciiJson(b64('null'))).toEqual({ value: null });
    for (const name of [
      'non-ASCII claims',
      'a byte-order mark',
      'bytes that are not UTF-8',
      'text that is not JSON',
      'padding',
      'whitespace',
      'a length of 4n+1',
      'nothing',
    ]) {
      expect(asciiJson(PAYLOADS.find(([n]) => n === name)?.[1] as string), name).toBeUndefined();
    }
  });

  it('leaves tokens of other shapes to jose', () => {
    const payload = b64('{"sub":"u"}');
    for (const shape of [payload, `${HEADER}.${payload}`, `${HEADER}.${payload}.s.x`, `${HEADER}.${payload}.a.b.c`]) {
      expect(outcome(() => decodeClaims(shape))).toEqual(outcome(() => decodeJwt(shape)));
    }
  });
});

describe('decodeBytes', () => {
  const atobBytes = (text: string) => {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  };

  it('decodes as atob does: every length, every alphabet character, trailing bits dropped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64url');
        expect(decodeBytes(text)).toEqual(new Uint8Array(bytes));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), (text) => {
        if (text.length % 4 === 1) expect(decodeBytes(text)).toBeUndefined();
        else expect(decodeBytes(text)).toEqual(atobBytes(text));
      }),
    );
  });

  it.each(['abc=', 'ab+c', 'ab/c', 'ab c', 'abcd\u00e9fg', 'abcde', 'ab\u0100c', '=', 'abc.'])('refuses %j', (text) => {
    expect(decodeBytes(text)).toBeUndefined();
  });
});

describe('decodeBytes with a platform decoder (Uint8Array.fromBase64 on workerd, Deno, Bun)', () => {
  // Node 20 has no Uint8Array.fromBase64: Buffer's decoder stands in as one that skips what it does not take
  // (whitespace and '=' like fromBase64, and more), to show the byte-count guard refuses every skip.
  const lenient = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));
  const text = fc
    .array(fc.oneof(fc.constantFrom(...'AZaz09-_'), fc.constantFrom(' ', '\t', '\n', '=', '.', '*')), { maxLength: 24 })
    .map((chars) => chars.join(''))
    .filter((value) => value.length % 4 !== 1);

  it("gives the table decoder's bytes, or undefined where the table refuses, whatever the platform decoder skips", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(decodeNative(lenient, value)).toEqual(decodeByTable(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses text the platform decoder throws on', () => {
    const throwing = () => {
      throw new SyntaxError('not base64');
    };
    expect(decodeNative(throwing, 'abcd')).toBeUndefined();
  });
});
