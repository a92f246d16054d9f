// Setup of the `node-crypto` vitest project: the same tests again, on the node:crypto backend that Node
// users get through the package's `node` export condition.
import { installCryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';

installCryptoBackend(nodeCryptoBackend);

/** Read by test/core/backend.test.ts to check that each project runs on the backend it claims. */
(globalThis as { __authkitTestBackend?: string }).__authkitTestBackend = 'node';
