import { createHmac } from 'node:crypto';
import { exportSPKI } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenVerifierOptions } from '../../src/core/jwt/verifier.js';
import { makeKeySet, testVerifier } from '../helpers/keys.js';

const ISSUER = 'https://api.workos.com';
const CLIENT = 'client_rules';
let keys: Awaited<ReturnType<typeof makeKeySet>>;
let foreign: Awaited<ReturnType<typeof makeKeySet>>;
let now = Date.now();

function verifier(extra: Partial<AccessTokenVerifierOptions> = {}) {
  return testVerifier(CLIENT, { fetch: keys.fetchWithJwks, clock: () => now, ...extra });
}

const base = () => {
  const s = Math.floor(now / 1000);
  return { sub: 'user_1', sid: 'session_1', iss: ISSUER, aud: CLIENT, iat: s, exp: s + 300 };
};

beforeAll(async () => {
  keys = await makeKeySet();
  foreign = await makeKeySet('test-key');
  now = Date.now();
});

describe('access-token rules', () => {
  it('accepts a well-formed RS256 token from the configured JWKS', async () => {
    expect(await verifier().verify(await keys.sign(base()))).toMatchObject({ status: 'valid', claims: { sid: 'session_1' } });
  });

  it('accepts the WorkOS user-management issuer form and a missing aud', async () => {
    const { aud: _aud, ...noAud } = base();
    expect((await verifier().verify(await keys.sign({ ...noAud, iss: `${ISSUER}/user_management/${CLIENT}` }))).status).toBe('valid');
  });

  it.each([
    ['no exp', { exp: undefined }],
    ['no sid', { sid: undefined }],
    ['no sub', { sub: undefined }],
    ['a foreign aud', { aud: 'client_other' }],
    ['a foreign issuer', { iss: 'https://evil.example' }],
    ['the issuer of another host', { iss: 'http://localhost:1234' }],
  ])('rejects a token with %s', async (_name, patch) => {
    const claims: Record<string, unknown> = { ...base(), ...patch };
    for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
    expect((await verifier().verify(await keys.sign(claims))).status).toBe('invalid');
  });

  it('rejects alg none, HS256 keyed with the public key, and a foreign key with the same kid', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none', typ: 'JWT' })}.${enc(base())}.`;
    const hsInput = `${enc({ alg: 'HS256', kid: 'test-key' })}.${enc(base())}`;
    const pem = await exportSPKI(keys.publicKey);
    const hs = `${hsInput}.${createHmac('sha256', pem).update(hsInput).digest('base64url')}`;
    for (const token of [none, hs, await foreign.sign(base())]) expect((await verifier().verify(token)).status).toBe('invalid');
    // The same with the key already known by its kid (a verifier that has verified a good token twice).
    const warm = verifier();
    const good = await keys.sign(base());
    for (let i = 0; i < 2; i++) expect((await warm.verify(good)).status).toBe('valid');
    for (const token of [none, hs, await foreign.sign(base()), await foreign.sign(base(), { kid: 'other-key' })]) {
      expect((await warm.verify(token)).status).toBe('invalid');
    }
    expect((await warm.verify(good)).status).toBe('valid');
  });

  it('reports an expired token as expired, within a small clock tolerance', async () => {
    const s = Math.floor(now / 1000);
    expect((await verifier().verify(await keys.sign({ ...base(), exp: s - 3 }))).status).toBe('valid');
    expect((await verifier().verify(await keys.sign({ ...base(), exp: s - 60 }))).status).toBe('expired');
    expect((await verifier({ clockToleranceSeconds: 0 }).verify(await keys.sign({ ...base(), exp: s - 3 }))).status).toBe('expired');
  });

  it('treats an unreachable key set as jwks_unavailable, not as an invalid token', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect((await verifier({ fetch: down }).verify(await keys.sign(base()))).status).toBe('jwks_unavailable');
    const error500: typeof fetch = async () => new Response('nope', { status: 500 });
    expect((await verifier({ fetch: error500 }).verify(await keys.sign(base()))).status).toBe('jwks_unavailable');
  });

  it('answers garbage without fetching keys', async () => {
    let fetched = 0;
    const counting: typeof fetch = async (input, init) => {
      fetched += 1;
      return keys.fetchWithJwks(input, init);
    };
    for (const token of ['', 'abc', 'a.b.c', `${'x'.repeat(10)}.${'y'.repeat(10)}.`]) {
      expect((await verifier({ fetch: counting }).verify(token)).status).toBe('invalid');
    }
    expect(fetched).toBe(0);
  });
});
