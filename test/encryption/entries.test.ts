import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as web from '../../src/index.js';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { configFor } from '../helpers/emulator.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { sha256Hex } from '../../src/core/refresh/digest.js';

const PASSWORD = 'a-cookie-password-of-at-least-32-characters';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('runtime entries', () => {
  const config = configFor(1, 'sk_test_entries');

  it('the default entry runs on WebCrypto', async () => {
    expect(new web.AuthKitCore(config, createWorkOSClient(config)).deps.crypto.name).toBe('webcrypto');
    const service = web.createAuthService({ config, sessionStorageFactory: (c) => new FetchSessionStorage(c) });
    expect((await service.getCore()).deps.crypto.name).toBe('webcrypto');
  });

  it('the node entry passes the node:crypto backend to what it builds, installs nothing, and exports exactly the same names', async () => {
    const node = await import('../../src/index.node.js');
    expect(Object.keys(node).sort()).toEqual(Object.keys(web).sort());
    const core = new node.AuthKitCore(config, createWorkOSClient(config));
    expect(core).toBeInstanceOf(web.AuthKitCore);
    expect(core.deps.crypto).toBe(nodeCryptoBackend);
    const built = node.createAuthService({ config, sessionStorageFactory: (c) => new FetchSessionStorage(c) });
    expect((await built.getCore()).deps.crypto).toBe(nodeCryptoBackend);
    const direct = new node.AuthService(config, new FetchSessionStorage(config), createWorkOSClient(config), node.sessionEncryption);
    expect((await direct.getCore()).deps.crypto).toBe(nodeCryptoBackend);
    // Importing the node entry changed nothing for code that imports the default one.
    expect(new web.AuthKitCore(config, createWorkOSClient(config)).deps.crypto.name).toBe('webcrypto');
    expect(
      await node.sessionEncryption.unsealData(await web.sessionEncryption.sealData({ a: 1 }, { password: PASSWORD }), {
        password: PASSWORD,
      }),
    ).toEqual({ a: 1 });
  });

  it('package.json sends Node, Bun and Deno to the node:crypto entry and every other runtime to the default one, with one set of types', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, Record<string, string>> };
    const root = pkg.exports['.'] as Record<string, string>;
    expect(Object.keys(root)[0]).toBe('types');
    expect(Object.keys(root).at(-1)).toBe('default');
    expect(root).toMatchObject({
      node: './dist/index.node.js',
      default: './dist/index.js',
      bun: './dist/index.node.js',
      deno: './dist/index.node.js',
    });
    expect(Object.keys(root).indexOf('bun')).toBeLessThan(Object.keys(root).indexOf('node'));
    expect(Object.keys(root).indexOf('deno')).toBeLessThan(Object.keys(root).indexOf('node'));
  });

  it('declares no module with a side effect (the node entry passes its backend instead of installing it)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { sideEffects: unknown };
    expect(pkg.sideEffects).toBe(false);
  });

  it('keeps node: imports and Node globals in *.node.ts files only', () => {
    const offenders = sourceFiles('src')
      .filter((file) => !file.endsWith('.node.ts'))
      .filter((file) => /from ['"]node:|\bBuffer\.|\bprocess\.(?!env)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('node backend primitives', () => {
  it('hashes like WebCrypto, synchronously', async () => {
    for (const value of ['', 'wos-session', 'é日本🎉', 'x'.repeat(5000)]) {
      const hex = nodeCryptoBackend.sha256Hex(value);
      expect(typeof hex).toBe('string');
      expect(hex).toBe(await sha256Hex(value));
    }
  });

  it('checks RS256 signatures like WebCrypto, and declines keys it cannot use', async () => {
    const { privateKey, publicKey } = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const input = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0';
    const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, new TextEncoder().encode(input)));
    expect(nodeCryptoBackend.verifyRs256?.(publicKey, input, signature)).toBe(true);
    expect(nodeCryptoBackend.verifyRs256?.(publicKey, `${input}x`, signature)).toBe(false);
    expect(nodeCryptoBackend.verifyRs256?.(publicKey, input, signature.slice(1))).toBe(false);
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    expect(nodeCryptoBackend.verifyRs256?.(hmac as CryptoKey, input, signature)).toBeUndefined();
  });
});
