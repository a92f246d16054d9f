import { Buffer } from 'node:buffer';
import { createHash, KeyObject, type webcrypto } from 'node:crypto';
import type { CryptoBackend } from './backend.js';
import { nodeCryptoBackend } from './nodeBackend.node.js';
import { bytesToBigInt, verifyRs256Digest, type RsaPublicKey } from '../jwt/rsaVerify.js';

/**
 * The backend the `node` entry passes under Deno: the node:crypto backend, but RS256 checked by BigInt
 * arithmetic (see `rsaVerify.ts`), about five times faster there than Deno's native RSA (node:crypto and
 * WebCrypto alike). Each call makes a backend with its own cache of the keys' integers, so a core keeps its
 * keys to itself; the cache is weak (jose's keys leave it with their key set).
 */
export function createDenoCryptoBackend(): CryptoBackend {
  const integers = new WeakMap<object, RsaPublicKey | null>();
  const integersOf = (key: object): RsaPublicKey | null => {
    let found = integers.get(key);
    if (found === undefined) {
      found = rsaIntegers(key);
      integers.set(key, found);
    }
    return found;
  };
  return {
    ...nodeCryptoBackend,
    name: 'deno',
    // fast-jwt would check with Deno's native RSA, the slow one: keys are checked by verifyRs256 below.
    rs256Checker: undefined,
    verifyRs256(key, signingInput, signature) {
      const integers = integersOf(key);
      if (!integers) return nodeCryptoBackend.verifyRs256?.(key, signingInput, signature);
      const digest = createHash('sha256').update(signingInput, 'latin1').digest();
      return verifyRs256Digest(integers, digest, signature);
    },
  };
}

/** The modulus and exponent of an RSA public `CryptoKey`; `null` when it has none to give. */
function rsaIntegers(key: object): RsaPublicKey | null {
  try {
    const { n, e } = KeyObject.from(key as webcrypto.CryptoKey).export({ format: 'jwk' });
    if (typeof n !== 'string' || typeof e !== 'string') return null;
    const modulus = Buffer.from(n, 'base64url');
    const start = modulus.findIndex((byte) => byte !== 0);
    if (start === -1) return null;
    return { n: bytesToBigInt(modulus), e: bytesToBigInt(Buffer.from(e, 'base64url')), bytes: modulus.length - start };
  } catch {
    return null;
  }
}
