import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { b64, claims, header, s, useFastVerify } from './fastVerifyKit.js';

// The node backend's RS256 check (fast-jwt per kept key) against jose's, signature by signature; the claim and
// header rules are in fastVerifyRules.test.ts.
const t = useFastVerify();

describe('RS256 with node:crypto gives jose’s outcome for every token', () => {
  it('verifies a good token through the fast path', async () => {
    expect(await t.sameOutcome(t.craft(header, claims))).toMatchObject({ status: 'valid', claims: { sid: 'session_1' } });
    expect(t.fastChecks).toEqual([true]);
  });

  it('verifies tokens made by jose itself, and on the fresh path', async () => {
    const token = await t.keys.sign(claims);
    expect((await t.sameOutcome(token)).status).toBe('valid');
    expect((await t.sameOutcome(token, { fresh: true })).status).toBe('valid');
    expect(t.fastChecks).toEqual([true, true]);
  });

  it('checks an expired token’s signature once: node:crypto concludes, jose does not verify it again', async () => {
    const webCryptoChecks = await countWebCryptoChecks(async () => {
      const expired = t.craft(header, { ...claims, exp: s - 100 });
      const outcome = await t.verifier(t.keys.fetchWithJwks, t.countingNode).verify(expired);
      expect(outcome).toMatchObject({ status: 'expired', claims: { sid: 'session_1' } });
    });
    expect(t.fastChecks).toEqual([true]);
    expect(webCryptoChecks).toBe(0);
  });

  it('checks a forged signature once: node:crypto rejects it under the set’s key, jose does not check it again', async () => {
    const webCryptoChecks = await countWebCryptoChecks(async () => {
      const node = t.verifier(t.keys.fetchWithJwks, t.countingNode);
      const [h, p, sig] = t.craft(header, claims).split('.') as [string, string, string];
      const forged = [
        t.craft(header, claims, KeyObject.from(t.foreign.privateKey)),
        `${h}.${b64(JSON.stringify({ ...claims, sub: 'admin' }))}.${sig}`,
        `${h}.${p}.${sig.slice(0, -4)}`,
      ];
      for (const token of [...forged, ...forged]) expect(await node.verify(token)).toEqual({ status: 'invalid' });
    });
    expect(t.fastChecks).toEqual(Array(6).fill(false));
    expect(webCryptoChecks).toBe(0);
  });

  it('rejects a foreign signature, tampered parts and malformed tokens alike', async () => {
    const good = t.craft(header, claims);
    const [h, p, sig] = good.split('.') as [string, string, string];
    const other = KeyObject.from(t.foreign.privateKey);
    const forged = [
      t.craft(header, claims, other),
      `${h}.${b64(JSON.stringify({ ...claims, sub: 'admin' }))}.${sig}`,
      `${h}.${p}.${sig.slice(0, -2)}`,
    ];
    for (const token of forged) expect((await t.sameOutcome(token)).status).toBe('invalid');
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
    for (const token of odd) await t.sameOutcome(token);
  });

  it('treats a key under 2048 bits, and keys that cannot be fetched, as jose does', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'small', alg: 'RS256' };
    const small: typeof fetch = async () => Response.json({ keys: [jwk] });
    const token = t.craft({ alg: 'RS256', kid: 'small' }, claims, privateKey);
    const web = await t.verifier(small).verify(token);
    expect(await t.verifier(small, nodeCryptoBackend).verify(token)).toEqual(web);

    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await t.verifier(down, nodeCryptoBackend).verify(t.craft(header, claims))).toEqual({ status: 'jwks_unavailable' });
    const notFound: typeof fetch = async () => new Response('no', { status: 404 });
    expect(await t.verifier(notFound, nodeCryptoBackend).verify(t.craft(header, claims))).toEqual({ status: 'jwks_unavailable' });
  });
});

/** How many WebCrypto signature checks `run` made (jose verifies through `crypto.subtle.verify`). */
async function countWebCryptoChecks(run: () => Promise<void>): Promise<number> {
  const subtle = globalThis.crypto.subtle;
  const original = subtle.verify;
  let checks = 0;
  subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
    checks++;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    subtle.verify = original;
  }
  return checks;
}
