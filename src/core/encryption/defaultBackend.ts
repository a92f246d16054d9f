import type { CryptoBackend } from './backend.js';
import { createWebCryptoBackend } from './webCryptoBackend.js';

/**
 * The backend a core gets when none is passed, one per call: WebCrypto, which every runtime has. The
 * package's `node` entry passes the `node:crypto` backend explicitly (see `src/index.node.ts`); nothing is
 * installed globally and nothing is shared between cores.
 */
export function createDefaultCryptoBackend(): CryptoBackend {
  return createWebCryptoBackend();
}
