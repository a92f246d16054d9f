/**
 * The Node entry (export condition `node`): the same API as `index.ts`, with the `node:crypto` backend
 * installed for sealing, unsealing, SHA-256 and RS256 checks. Other runtimes load `index.ts`.
 */
import { installCryptoBackend } from './core/encryption/backend.js';
import { nodeCryptoBackend } from './core/encryption/nodeBackend.node.js';

installCryptoBackend(nodeCryptoBackend);

// The public surface is index.ts's, unchanged (test/encryption/entries.test.ts checks both lists match).
export * from './index.js';
