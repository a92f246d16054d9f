import { defaults, seal } from 'iron-webcrypto';
import { offsetFromSystemMs } from '../clock.js';
import { sha256Hex } from '../refresh/digest.js';
import type { CryptoBackend } from './backend.js';
import { WebCryptoUnsealer } from './ironWebCrypto.js';
import { PASSWORD_ID } from './sealFields.js';

const encoder = new TextEncoder();

/** iron-webcrypto's `seal` with the `wos-session` parameters, the expiry counted from `nowMs`. Keeps nothing. */
export function webCryptoSeal(data: unknown, password: string, ttlMs: number, nowMs: number): Promise<string> {
  return seal(data, { id: PASSWORD_ID, secret: password }, { ...defaults, ttl: ttlMs, localtimeOffsetMsec: offsetFromSystemMs(nowMs) });
}

/**
 * A WebCrypto backend, for every runtime: WebCrypto digests, iron-webcrypto seals, iron unsealing with
 * WebCrypto that imports each password once (see {@link WebCryptoUnsealer}), and RS256 checked on jose's
 * key directly (on workerd about 55% of the CPU of jose's `jwtVerify`, which decodes the token again).
 * Each call makes a backend with its own key cache, so a core (or `sessionEncryption`) keeps its
 * passwords' keys to itself.
 */
export function createWebCryptoBackend(): CryptoBackend {
  const unsealer = new WebCryptoUnsealer();
  return {
    name: 'webcrypto',
    sha256Hex,
    seal: webCryptoSeal,
    unseal: (body, password, nowMs, parts) => unsealer.unseal(body, password, nowMs, parts),
    verifyRs256: (key, signingInput, signature) =>
      crypto.subtle
        .verify('RSASSA-PKCS1-v1_5', key as CryptoKey, signature as Uint8Array<ArrayBuffer>, encoder.encode(signingInput))
        .catch(() => undefined),
  };
}
