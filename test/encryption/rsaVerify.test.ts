import { createHash, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDenoCryptoBackend } from '../../src/core/encryption/denoBackend.node.js';
import { bytesToBigInt, verifyRs256Digest, type RsaPublicKey } from '../../src/core/jwt/rsaVerify.js';
import { makeKeySet, testVerifier } from '../helpers/keys.js';

const INPUT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ';
const sha256 = (text: string) => createHash('sha256').update(text, 'latin1').digest();

/** An RSA key pair as node:crypto keys, a WebCrypto public key (as jose would import it) and its integers. */
async function rsaPair(publicExponent = 65537, modulusLength = 2048) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent });
  const jwk = publicKey.export({ format: 'jwk' });
  const webKey = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  const n = Buffer.from(jwk.n as string, 'base64url');
  const integers: RsaPublicKey = { n: bytesToBigInt(n), e: BigInt(publicExponent), bytes: n.length };
  return { privateKey, publicKey, webKey, integers };
}

const toBytes = (value: bigint, length: number) => Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');

/** Smallest integer whose cube is at least `value`. */
function cubeRootCeil(value: bigint): bigint {
  let low = 0n;
  let high = 1n << BigInt(Math.ceil(value.toString(2).length / 3) + 1);
  while (low < high) {
    const mid = (low + high) / 2n;
    if (mid * mid * mid < value) low = mid + 1n;
    else high = mid;
  }
  return low;
}

describe('RS256 by BigInt arithmetic (the Deno backend)', () => {
  let pair: Awaited<ReturnType<typeof rsaPair>>;
  beforeAll(async () => {
    pair = await rsaPair();
  });

  it('agrees with node:crypto on good, tampered, foreign and malformed signatures', async () => {
    const good = sign('sha256', Buffer.from(INPUT, 'latin1'), pair.privateKey);
    const other = sign('sha256', Buffer.from(INPUT, 'latin1'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const flipped = Buffer.from(good);
    flipped[100] = (flipped[100] as number) ^ 1;
    const n = toBytes(pair.integers.n, pair.integers.bytes);
    const cases: [string, string, Uint8Array][] = [
      ['good', INPUT, good],
      ['another input', `${INPUT}x`, good],
      ['a flipped bit', INPUT, flipped],
      ['a foreign key', INPUT, other],
      ['one byte short', INPUT, good.subarray(1)],
      ['one byte long', INPUT, Buffer.concat([Buffer.from([0]), good])],
      ['zero', INPUT, new Uint8Array(256)],
      ['one', INPUT, toBytes(1n, 256)],
      ['the modulus', INPUT, n],
      ['the modulus minus one', INPUT, toBytes(pair.integers.n - 1n, 256)],
      ['empty', INPUT, new Uint8Array(0)],
    ];
    for (const [name, input, signature] of cases) {
      const expected = verify('sha256', Buffer.from(input, 'latin1'), pair.publicKey, signature);
      expect([name, verifyRs256Digest(pair.integers, sha256(input), signature)]).toEqual([name, expected]);
    }
    expect(verifyRs256Digest(pair.integers, sha256(INPUT), good)).toBe(true);
  });

  it('rejects a signature forged for lenient parsers (e = 3, digest followed by garbage)', async () => {
    const weak = await rsaPair(3);
    const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const prefix = Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(8, 0xff), Buffer.from([0]), digestInfo, sha256(INPUT)]);
    const garbageBits = BigInt((256 - prefix.length) * 8);
    const forged = cubeRootCeil(bytesToBigInt(prefix) << garbageBits);
    // The forgery is real: its cube starts with a well-formed block for this digest, then garbage.
    expect(toBytes(forged ** 3n, 256).subarray(0, prefix.length)).toEqual(prefix);
    const signature = toBytes(forged, 256);
    expect(verify('sha256', Buffer.from(INPUT, 'latin1'), weak.publicKey, signature)).toBe(false);
    expect(verifyRs256Digest(weak.integers, sha256(INPUT), signature)).toBe(false);
    // The same key's real signature still verifies.
    const real = sign('sha256', Buffer.from(INPUT, 'latin1'), weak.privateKey);
    expect(verifyRs256Digest(weak.integers, sha256(INPUT), real)).toBe(true);
  });

  it('reads the integers from the WebCrypto key jose imports, and declines keys it cannot read', async () => {
    const backend = createDenoCryptoBackend();
    const signature = sign('sha256', Buffer.from(INPUT, 'latin1'), pair.privateKey);
    expect(backend.verifyRs256?.(pair.webKey, INPUT, signature)).toBe(true);
    expect(backend.verifyRs256?.(pair.webKey, `${INPUT}x`, signature)).toBe(false);
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    expect(backend.verifyRs256?.(hmac as CryptoKey, INPUT, signature)).toBeUndefined();
  });

  it('gives the WebCrypto outcome through the verifier, for good, foreign and tampered tokens', async () => {
    const keys = await makeKeySet();
    const now = Date.now();
    const claims = {
      sub: 'user_1',
      sid: 'session_1',
      iss: 'https://api.workos.com',
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + 300,
    };
    const good = await keys.sign(claims);
    const foreign = await (await makeKeySet()).sign(claims);
    const [h, p, s] = good.split('.') as [string, string, string];
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
    const signer = KeyObject.from(keys.privateKey);
    const expired = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.iat - 100 })).toString('base64url')}`;
    const expiredToken = `${expired}.${sign('sha256', Buffer.from(expired), signer).toString('base64url')}`;
    for (const token of [good, foreign, tampered, expiredToken, `${h}.${p}.${s.slice(0, -2)}`]) {
      const web = await testVerifier('client_1', { fetch: keys.fetchWithJwks, clock: () => now }).verify(token);
      const deno = await testVerifier('client_1', {
        fetch: keys.fetchWithJwks,
        clock: () => now,
        crypto: createDenoCryptoBackend(),
      }).verify(token);
      expect(deno).toEqual(web);
    }
  });
});
