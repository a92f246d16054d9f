import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JWK } from 'jose';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import { makeKeySet, testVerifier } from '../helpers/keys.js';

// The verifier remembers the key of each kid it has verified with (no key-set lookup per token). These
// are the rotation rules that must still hold: a new kid is fetched (after jose's 30 s cooldown), a key
// removed from the set stops verifying as soon as the set is fetched again (an unknown kid past the
// cooldown, or the set older than 10 minutes), and unknown kids within the cooldown fetch nothing.

const CLIENT = 'client_rotation';
let a: Awaited<ReturnType<typeof makeKeySet>>;
let b: Awaited<ReturnType<typeof makeKeySet>>;
let c: Awaited<ReturnType<typeof makeKeySet>>;
let served: JWK[] = [];
let fetches = 0;

const jwks: typeof fetch = async () => {
  fetches++;
  return Response.json({ keys: served });
};

const claims = () => {
  const s = Math.floor(Date.now() / 1000);
  return { sub: 'user_1', sid: 'session_1', iss: 'https://api.workos.com', aud: CLIENT, iat: s, exp: s + 3_600 };
};

beforeAll(async () => {
  [a, b, c] = await Promise.all([makeKeySet('key-a'), makeKeySet('key-b'), makeKeySet('key-c')]);
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  served = [a.jwk];
  fetches = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

const backends: [string, () => CryptoBackend][] = [
  ['node:crypto', () => nodeCryptoBackend],
  ['WebCrypto', createWebCryptoBackend],
];

describe.each(backends)('signing key rotation (%s)', (_name, backend) => {
  const verifier = () => testVerifier(CLIENT, { fetch: jwks, clock: () => Date.now(), crypto: backend() });
  const status = async (v: ReturnType<typeof verifier>, token: string) => (await v.verify(token)).status;

  it('verifies a known kid without fetching the set again', async () => {
    const v = verifier();
    const token = await a.sign(claims());
    for (let i = 0; i < 5; i++) expect(await status(v, token)).toBe('valid');
    expect(fetches).toBe(1);
  });

  it('fetches a new kid past the cooldown, and keeps verifying the old one while the set has it', async () => {
    const v = verifier();
    const old = await a.sign(claims());
    for (let i = 0; i < 2; i++) expect(await status(v, old)).toBe('valid');
    served = [a.jwk, b.jwk];
    const fresh = await b.sign(claims());
    expect(await status(v, fresh)).toBe('invalid'); // within jose's 30 s cooldown: not fetched
    expect(fetches).toBe(1);
    vi.setSystemTime(Date.now() + 31_000);
    const later = await b.sign(claims());
    for (let i = 0; i < 2; i++) expect(await status(v, later)).toBe('valid');
    expect(fetches).toBe(2);
    expect(await status(v, await a.sign(claims()))).toBe('valid');
    expect(fetches).toBe(2);
  });

  it('stops verifying a removed key as soon as an unknown kid fetches the set', async () => {
    const v = verifier();
    const old = await a.sign(claims());
    for (let i = 0; i < 2; i++) expect(await status(v, old)).toBe('valid');
    served = [b.jwk];
    vi.setSystemTime(Date.now() + 31_000);
    expect(await status(v, await c.sign(claims()))).toBe('invalid'); // unknown kid: the set is fetched again
    expect(fetches).toBe(2);
    expect(await status(v, await a.sign(claims()))).toBe('invalid');
    expect(await status(v, await b.sign(claims()))).toBe('valid');
  });

  it('stops verifying a removed key once the set is older than 10 minutes', async () => {
    const v = verifier();
    for (let i = 0; i < 2; i++) expect(await status(v, await a.sign(claims()))).toBe('valid');
    served = [b.jwk];
    vi.setSystemTime(Date.now() + 599_000);
    expect(await status(v, await a.sign(claims()))).toBe('valid');
    expect(fetches).toBe(1);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await status(v, await a.sign(claims()))).toBe('invalid');
    expect(fetches).toBe(2);
    expect(await status(v, await b.sign(claims()))).toBe('valid');
  });

  it('answers jwks_unavailable when a stale set cannot be fetched, even for a known kid', async () => {
    let down = false;
    const v = testVerifier(CLIENT, {
      fetch: async (input, init) => {
        if (down) throw new TypeError('fetch failed');
        return jwks(input, init);
      },
      clock: () => Date.now(),
      crypto: backend(),
    });
    for (let i = 0; i < 2; i++) expect(await status(v, await a.sign(claims()))).toBe('valid');
    down = true;
    vi.setSystemTime(Date.now() + 601_000);
    expect(await status(v, await a.sign(claims()))).toBe('jwks_unavailable');
  });
});
