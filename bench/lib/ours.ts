/**
 * This package as Node loads it: the `node` export condition resolves to the entry built from
 * src/index.node.ts, which installs the node:crypto backend before anything runs.
 */
export { createAuthService } from '../../src/index.node.js';
export { cryptoBackend } from '../../src/core/encryption/backend.js';
export { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
