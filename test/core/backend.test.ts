import { describe, expect, it } from 'vitest';
import { createDefaultCryptoBackend } from '../../src/core/encryption/defaultBackend.js';

describe('crypto backend of this test project', () => {
  it('is node:crypto in the node-crypto project and WebCrypto otherwise', () => {
    const expected = (globalThis as { __authkitTestBackend?: string }).__authkitTestBackend === 'node' ? 'node' : 'webcrypto';
    expect(createDefaultCryptoBackend().name).toBe(expected);
  });
});
