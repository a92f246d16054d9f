import type { CryptoBackend } from './backend.js';
import { webCryptoBackend } from './webCryptoBackend.js';

/**
 * The backend used when none is passed: WebCrypto, which every runtime has. The package's `node` entry
 * passes the `node:crypto` backend explicitly (see `src/index.node.ts`); nothing is installed globally.
 */
export const defaultCryptoBackend: CryptoBackend = webCryptoBackend;
