import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import type { VerifyOutcome } from '../../src/core/jwt/verifier.js';
import { makeKeySet, testVerifier } from '../helpers/keys.js';

const ISSUER = 'https://api.workos.com';
const CLIENT = 'client_fast';
const now = Date.now();
const s = Math.floor(now / 1000);

let keys: Awaited<ReturnType<typeof makeKeySet>>;
let foreign: Awaited<ReturnType<typeof makeKeySet>>;
let signer: KeyObject;
let fastChecks: boolean[] = [];

/** The node backend, recording what its RS256 checks (fast-jwt's, per key; node:crypto's as fallback) answered. */
const countingNode: CryptoBackend = {
  ...nodeCryptoBackend,
  rs256Checker(key) {
    const check = nodeCryptoBackend.rs256Checker?.(key);
    return (
      check &&
      ((token) => {
        const result = check(token);
        fastChecks.push(result === true);
        return result;
      })
    );
  },
  verifyRs256(key, input, signature) {
    const result = nodeCryptoBackend.verifyRs256?.(key, input, signature);
    fastChecks.push(result === true);
    return result;
  },
};

function verifier(fetchImpl: typeof fetch = keys.fetchWithJwks, crypto: CryptoBackend = createWebCryptoBackend()) {
  return testVerifier(CLIENT, { fetch: fetchImpl, clock: () => now, crypto });
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A token with any header and payload (objects are JSON-encoded), RS256-signed with the JWKS key. */
function craft(header: unknown, payload: unknown, key: KeyObject = signer): string {
  const encode = (part: unknown) => b64(typeof part === 'string' || Buffer.isBuffer(part) ? part : JSON.stringify(part));
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

const header = { alg: 'RS256', kid: 'test-key', typ: 'JWT' };
const claims = { sub: 'user_1', sid: 'session_1', iss: ISSUER, aud: CLIENT, iat: s, exp: s + 300 };

beforeAll(async () => {
  keys = await makeKeySet();
  foreign = await makeKeySet('test-key');
  signer = KeyObject.from(keys.privateKey);
});

afterEach(() => {
  fastChecks = [];
});

/** Verifies with a fresh verifier under each backend; both must agree. Returns the outcome. */
async function sameOutcome(token: string, options: { fresh?: boolean } = {}): Promise<VerifyOutcome> {
  const web = await verifier().verify(token, options);
  const node = await verifier(keys.fetchWithJwks, countingNode).verify(token, options);
  expect(node).toEqual(web);
  return web;
}

describe('RS256 with node:crypto gives jose’s outcome for every token', () => {
  it('verifies a good token through the fast path', async () => {
    expect(await sameOutcome(craft(header, claims))).toMatchObject({ status: 'valid', claims: { sid: 'session_1' } });
    expect(fastChecks).toEqual([true]);
  });

  it('verifies tokens made by jose itself, and on the fresh path', async () => {
    const token = await keys.sign(claims);
    expect((await sameOutcome(token)).status).toBe('valid');
    expect((await sameOutcome(token, { fresh: true })).status).toBe('valid');
    expect(fastChecks).toEqual([true, true]);
  });

  it('checks an expired token’s signature once: node:crypto concludes, jose does not verify it again', async () => {
    const subtle = globalThis.crypto.subtle;
    const original = subtle.verify;
    let webCryptoChecks = 0;
    subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
      webCryptoChecks++;
      return original.apply(this, args);
    };
    try {
      const expired = craft(header, { ...claims, exp: s - 100 });
      const outcome = await verifier(keys.fetchWithJwks, countingNode).verify(expired);
      expect(outcome).toMatchObject({ status: 'expired', claims: { sid: 'session_1' } });
      expect(fastChecks).toEqual([true]);
      expect(webCryptoChecks).toBe(0);
    } finally {
      subtle.verify = original;
    }
  });

  it('checks a forged signature once: node:crypto rejects it under the set’s key, jose does not check it again', async () => {
    const subtle = globalThis.crypto.subtle;
    const original = subtle.verify;
    let webCryptoChecks = 0;
    subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
      webCryptoChecks++;
      return original.apply(this, args);
    };
    try {
      const node = verifier(keys.fetchWithJwks, countingNode);
      const [h, p, sig] = craft(header, claims).split('.') as [string, string, string];
      const forged = [
        craft(header, claims, KeyObject.from(foreign.privateKey)),
        `${h}.${b64(JSON.stringify({ ...claims, sub: 'admin' }))}.${sig}`,
        `${h}.${p}.${sig.slice(0, -4)}`,
      ];
      for (const token of [...forged, ...forged]) expect(await node.verify(token)).toEqual({ status: 'invalid' });
      expect(fastChecks).toEqual(Array(6).fill(false));
      expect(webCryptoChecks).toBe(0);
    } finally {
      subtle.verify = original;
    }
  });

  const times: [string, Record<string, unknown>, VerifyOutcome['status']][] = [
    ['expired', { exp: s - 100 }, 'expired'],
    ['expired within the clock tolerance', { exp: s - 3 }, 'valid'],
    ['expiring exactly at the tolerance', { exp: s - 5 }, 'expired'],
    ['not yet valid', { nbf: s + 100 }, 'invalid'],
    ['not yet valid within the tolerance', { nbf: s + 5 }, 'valid'],
    ['a string iat', { iat: String(s) }, 'invalid'],
    ['a string nbf', { nbf: String(s) }, 'invalid'],
    ['a string exp', { exp: String(s + 300) }, 'invalid'],
    ['a fractional exp', { exp: s + 300.5 }, 'valid'],
    ['no iat', { iat: undefined }, 'valid'],
  ];
  it.each(times)('times: %s', async (_name, patch, status) => {
    expect((await sameOutcome(craft(header, { ...claims, ...patch }))).status).toBe(status);
  });

  const claimCases: [string, Record<string, unknown>, VerifyOutcome['status']][] = [
    ['no sid', { sid: undefined }, 'invalid'],
    ['no sub', { sub: undefined }, 'invalid'],
    ['no exp', { exp: undefined }, 'invalid'],
    ['a numeric sub', { sub: 42 }, 'invalid'],
    ['a null sid', { sid: null }, 'invalid'],
    ['a foreign issuer', { iss: 'https://evil.example' }, 'invalid'],
    ['the user-management issuer', { iss: `${ISSUER}/user_management/${CLIENT}` }, 'valid'],
    ['a foreign audience', { aud: 'client_other' }, 'invalid'],
    ['an audience list with ours', { aud: ['x', CLIENT] }, 'valid'],
    ['no audience', { aud: undefined }, 'valid'],
    ['custom claims', { permissions: ['a'], org_id: 'org_1', nested: { deep: [1] } }, 'valid'],
  ];
  it.each(claimCases)('claims: %s', async (_name, patch, status) => {
    const payload: Record<string, unknown> = { ...claims, ...patch };
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    expect((await sameOutcome(craft(header, payload))).status).toBe(status);
  });

  const headers: [string, unknown][] = [
    ['alg RS384', { ...header, alg: 'RS384' }],
    ['alg none', { ...header, alg: 'none' }],
    ['no alg', { kid: 'test-key' }],
    ['a crit extension', { ...header, crit: ['exp'] }],
    ['crit b64', { ...header, crit: ['b64'], b64: true }],
    ['b64 false', { ...header, b64: false }],
    ['an unknown kid', { ...header, kid: 'other-key' }],
    ['no kid', { alg: 'RS256' }],
    ['an embedded jwk', { ...header, jwk: { kty: 'RSA' } }],
    ['a header that is an array', [header]],
    ['a header that is not JSON', '{alg'],
  ];
  it.each(headers)('headers: %s', async (_name, value) => {
    await sameOutcome(craft(value, claims));
  });

  it.each([
    ['a payload that is an array', [claims]],
    ['a payload that is not JSON', 'not json'],
    ['a payload that is not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['a payload with a byte-order mark', `\uFEFF${JSON.stringify(claims)}`],
    ['a payload with __proto__', `{"__proto__":{"x":1},${JSON.stringify(claims).slice(1)}`],
  ])('payloads: %s', async (_name, payload) => {
    await sameOutcome(craft(header, payload));
  });

  it('rejects a foreign signature, tampered parts and malformed tokens alike', async () => {
    const good = craft(header, claims);
    const [h, p, sig] = good.split('.') as [string, string, string];
    const other = KeyObject.from(foreign.privateKey);
    const forged = [
      craft(header, claims, other),
      `${h}.${b64(JSON.stringify({ ...claims, sub: 'admin' }))}.${sig}`,
      `${h}.${p}.${sig.slice(0, -2)}`,
    ];
    for (const token of forged) expect((await sameOutcome(token)).status).toBe('invalid');
    // Odd encodings: whatever jose concludes (it reads some of them leniently), the fast path concludes too.
    const odd = [
      `${h}.${p}.${sig}A`,
      `${h}.${p}.`,
      `${h}.${p}`,
      `${h}.${p}.${sig}.x`,
      `${h}=.${p}.${sig}`,
      `${h}.${p}=.${sig}`,
      `${h}.${p}.${sig}==`,
      `${h}.${p}.${sig.replace(/[-_]/g, '+')}`,
      '',
      'a.b.c',
    ];
    for (const token of odd) await sameOutcome(token);
  });

  it('treats a key under 2048 bits, and keys that cannot be fetched, as jose does', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'small', alg: 'RS256' };
    const small: typeof fetch = async () => Response.json({ keys: [jwk] });
    const token = craft({ alg: 'RS256', kid: 'small' }, claims, privateKey);
    const web = await verifier(small).verify(token);
    expect(await verifier(small, nodeCryptoBackend).verify(token)).toEqual(web);

    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await verifier(down, nodeCryptoBackend).verify(craft(header, claims))).toEqual({ status: 'jwks_unavailable' });
    const notFound: typeof fetch = async () => new Response('no', { status: 404 });
    expect(await verifier(notFound, nodeCryptoBackend).verify(craft(header, claims))).toEqual({ status: 'jwks_unavailable' });
  });
});
