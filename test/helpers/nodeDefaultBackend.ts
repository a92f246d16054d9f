// The `node-crypto` test project's stand-in for src/core/encryption/defaultBackend.ts (see vitest.config.ts):
// the default a core gets when no `crypto` is passed is the backend the package's `node` entry passes.
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';

export function createDefaultCryptoBackend(): CryptoBackend {
  return nodeCryptoBackend;
}
