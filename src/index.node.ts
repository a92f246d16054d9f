/**
 * The Node entry (export conditions `node`, `bun`, `deno`): the same API as `index.ts`, on the `node:crypto`
 * backend for sealing, unsealing, SHA-256 and RS256 checks (under Deno, RS256 by BigInt arithmetic, which
 * is faster there: see `createDenoCryptoBackend`). The entry passes a backend to everything it builds;
 * nothing is installed globally, so importing it has no side effect. Other runtimes load `index.ts`.
 */
import type { WorkOSPort } from './core/client/port.js';
import { AuthKitCore as PortableAuthKitCore, type AuthKitCoreOptions } from './core/AuthKitCore.js';
import type { ConfigurationProvider } from './core/config/ConfigurationProvider.js';
import type { AuthKitConfig } from './core/config/types.js';
import { ironEncryption } from './core/encryption/ironWebcryptoEncryption.js';
import type { CryptoBackend } from './core/encryption/backend.js';
import { createDenoCryptoBackend } from './core/encryption/denoBackend.node.js';
import { nodeCryptoBackend } from './core/encryption/nodeBackend.node.js';
import type { SessionEncryption, SessionStorage } from './core/session/types.js';
import { AuthService as PortableAuthService, type AuthServiceOptions } from './service/AuthService.js';
import { createAuthService as portableCreateAuthService, type CreateAuthServiceOptions } from './service/factory.js';
import type { WorkOS } from '@workos-inc/node';

// The public surface is index.ts's (test/encryption/entries.test.ts checks both lists match); the names
// declared below take precedence over the re-exported ones and differ only in their default backend.
export * from './index.js';

/** Deno, whose native RSA is slow (its `Deno` global; Node and Bun have none). */
const isDeno = typeof (globalThis as { Deno?: unknown }).Deno === 'object';

/** The backend for one service or core: node:crypto, or under Deno its own {@link createDenoCryptoBackend}. */
function entryBackend(): CryptoBackend {
  return isDeno ? createDenoCryptoBackend() : nodeCryptoBackend;
}

/** The default {@link SessionEncryption}: iron with the `wos-session` parameters, on `node:crypto`. */
export const sessionEncryption: SessionEncryption = ironEncryption(nodeCryptoBackend);

/** `createAuthService` on the `node:crypto` backend (unless `crypto` is given). */
export function createAuthService<TRequest, TResponse>(
  options: CreateAuthServiceOptions<TRequest, TResponse>,
): PortableAuthService<TRequest, TResponse> {
  return portableCreateAuthService({ crypto: entryBackend(), ...options });
}

/** `AuthKitCore` on the `node:crypto` backend (unless `options.crypto` is given). */
export class AuthKitCore extends PortableAuthKitCore {
  constructor(
    config: AuthKitConfig | ConfigurationProvider,
    client: WorkOSPort,
    encryption?: SessionEncryption,
    options: AuthKitCoreOptions = {},
  ) {
    super(config, client, encryption, { crypto: entryBackend(), ...options });
  }
}

/** `AuthService` on the `node:crypto` backend (unless `options.crypto` is given). */
export class AuthService<TRequest, TResponse> extends PortableAuthService<TRequest, TResponse> {
  constructor(
    config: AuthKitConfig,
    storage: SessionStorage<TRequest, TResponse>,
    client: WorkOS,
    encryption: SessionEncryption,
    options: AuthServiceOptions = {},
  ) {
    super(config, storage, client, encryption, { crypto: entryBackend(), ...options });
  }
}
