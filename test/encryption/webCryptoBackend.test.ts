import { afterEach, describe, expect, it, vi } from 'vitest';
import * as web from '../../src/index.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { createWebCryptoBackend, webCryptoSeal } from '../../src/core/encryption/webCryptoBackend.js';
import { configFor } from '../helpers/emulator.js';

const PASSWORD = 'a-cookie-password-of-at-least-32-characters';

/** Counts the password imports (`importKey` of a PBKDF2 base key) while `run` runs; the real import still happens. */
async function passwordImports(run: () => Promise<unknown>): Promise<number> {
  const importKey = vi.spyOn(crypto.subtle, 'importKey');
  try {
    await run();
    return importKey.mock.calls.filter(([, , algorithm]) => algorithm === 'PBKDF2').length;
  } finally {
    importKey.mockRestore();
  }
}

describe('WebCrypto backend key cache', () => {
  afterEach(() => vi.restoreAllMocks());

  it('belongs to its backend: a second backend imports the password itself, the first reuses its own key', async () => {
    const body = await webCryptoSeal({ a: 1 }, PASSWORD, 0, Date.now());
    const first = createWebCryptoBackend();
    const second = createWebCryptoBackend();
    expect(await passwordImports(() => Promise.resolve(first.unseal(body, PASSWORD, Date.now())))).toBe(1);
    expect(await passwordImports(() => Promise.resolve(first.unseal(body, PASSWORD, Date.now())))).toBe(0);
    expect(await passwordImports(() => Promise.resolve(second.unseal(body, PASSWORD, Date.now())))).toBe(1);
  });

  it('is not shared between two services of the default entry', async () => {
    const config = configFor(1, 'sk_test_key_cache');
    const one = new web.AuthKitCore(config, createWorkOSClient(config)).deps.crypto;
    const two = new web.AuthKitCore(config, createWorkOSClient(config)).deps.crypto;
    expect(one).not.toBe(two);
    const body = await webCryptoSeal({ a: 1 }, PASSWORD, 0, Date.now());
    expect(await passwordImports(() => Promise.resolve(one.unseal(body, PASSWORD, Date.now())))).toBe(1);
    expect(await passwordImports(() => Promise.resolve(two.unseal(body, PASSWORD, Date.now())))).toBe(1);
    expect(await passwordImports(() => Promise.resolve(one.unseal(body, PASSWORD, Date.now())))).toBe(0);
  });
});
