/**
 * This package as Node loads it: the `node` export condition resolves to the entry built from
 * src/index.node.ts, which passes the node:crypto backend to every service it creates.
 */
export { createAuthService } from '../../src/index.node.js';
export { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
export { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
