import { defaults, seal, unseal } from 'iron-webcrypto';
import { offsetFromSystemMs } from '../clock.js';
import { sha256Hex } from '../refresh/digest.js';
import type { CryptoBackend } from './backend.js';

/** Iron password id written into every seal; other WorkOS libraries read id `1`. */
export const PASSWORD_ID = '1';

/** The default backend: iron-webcrypto and WebCrypto digests, for every runtime. */
export const webCryptoBackend: CryptoBackend = {
  name: 'webcrypto',
  sha256Hex,
  seal: (data, password, ttlMs, nowMs) =>
    seal(data, { id: PASSWORD_ID, secret: password }, { ...defaults, ttl: ttlMs, localtimeOffsetMsec: offsetFromSystemMs(nowMs) }),
  unseal: (body, password, nowMs) =>
    unseal(body, { [PASSWORD_ID]: password }, { ...defaults, localtimeOffsetMsec: offsetFromSystemMs(nowMs) }),
};
