import { describe, expect, it } from 'vitest';
import { defaultCryptoBackend } from '../../src/core/encryption/defaultBackend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { webCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';

describe('crypto backend of this test project', () => {
  it('is node:crypto in the node-crypto project and WebCrypto otherwise', () => {
    const expected =
      (globalThis as { __authkitTestBackend?: string }).__authkitTestBackend === 'node' ? nodeCryptoBackend : webCryptoBackend;
    expect(defaultCryptoBackend).toBe(expected);
  });
});
