import { defaults, seal } from 'iron-webcrypto';
import { offsetFromSystemMs } from '../clock.js';
import { sha256Hex } from '../refresh/digest.js';
import type { CryptoBackend } from './backend.js';
import { WebCryptoUnsealer } from './ironWebCrypto.js';

/** Iron password id written into every seal; other WorkOS libraries read id `1`. */
export const PASSWORD_ID = '1';

/** Opens seals for the default backend, keeping each password's imported key. */
const unsealer = new WebCryptoUnsealer();

/**
 * The default backend, for every runtime: WebCrypto digests, iron-webcrypto seals, and iron unsealing with
 * WebCrypto that imports each password once (see {@link WebCryptoUnsealer}).
 */
export const webCryptoBackend: CryptoBackend = {
  name: 'webcrypto',
  sha256Hex,
  seal: (data, password, ttlMs, nowMs) =>
    seal(data, { id: PASSWORD_ID, secret: password }, { ...defaults, ttl: ttlMs, localtimeOffsetMsec: offsetFromSystemMs(nowMs) }),
  unseal: (body, password, nowMs) => unsealer.unseal(body, password, nowMs),
};
