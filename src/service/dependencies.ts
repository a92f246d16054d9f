import type { WorkOS } from '@workos-inc/node';
import { AuthKitCore, type AuthKitCoreOptions } from '../core/AuthKitCore.js';
import type { Clock } from '../core/clock.js';
import type { ResolvedConfig } from '../core/config/resolve.js';
import type { SessionEncryption, SessionStorage } from '../core/session/types.js';
import { AuthOperations } from '../operations/AuthOperations.js';
import { cookieStoreFor, type CookieStore } from './cookieStore.js';
import { DEFAULT_SESSION_DATA_MAX_BYTES, serverSessionsFor, type ServerModeOptions } from './server/serverMode.js';
import type { ServerSessions } from './server/ServerSessions.js';

/** Seams and tuning for `AuthService`. */
export interface AuthServiceOptions extends AuthKitCoreOptions, ServerModeOptions {}

/** A store `close()` releases. */
export interface Closable {
  close?(): Promise<void>;
}

/** Everything a service method uses, built once (on first use for `createAuthService`). */
export interface ServiceDependencies<TRequest, TResponse> {
  config: ResolvedConfig;
  /** The storage as the app gave it: `saveSession`/`clearSession` pass through to it. */
  storage: SessionStorage<TRequest, TResponse>;
  /** The same storage, wrapped once: every read and write of the service goes through it. */
  cookies: CookieStore<TRequest, TResponse>;
  client: WorkOS;
  core: AuthKitCore;
  operations: AuthOperations;
  /** Present in `sessionMode: 'server'`. */
  server: ServerSessions | undefined;
  dataMaxBytes: number;
  clock: Clock;
  /** Stores this service made (from `redisUrl`: coordination, server-mode sessions), closed by `close()`. */
  opened: readonly (Closable | undefined)[];
}

/** @internal Passed by `createAuthService` to defer construction until first use. */
export const LAZY = Symbol('authkit.lazy');

/** @internal What `createAuthService` resolves on first use. */
export type LazyInit<TRequest, TResponse> = () => {
  config: ResolvedConfig;
  storage: SessionStorage<TRequest, TResponse>;
  client: WorkOS;
  encryption: SessionEncryption | undefined;
  options: AuthServiceOptions;
  opened?: readonly (Closable | undefined)[] | undefined;
};

/** Builds the core, operations and (in server mode) the session pipeline over one clock and one event handler. */
export function buildDependencies<TRequest, TResponse>(
  config: ResolvedConfig,
  storage: SessionStorage<TRequest, TResponse>,
  client: WorkOS,
  encryption: SessionEncryption | undefined,
  options: AuthServiceOptions,
  opened: readonly (Closable | undefined)[] = [],
): ServiceDependencies<TRequest, TResponse> {
  const core = new AuthKitCore(config, client, encryption, options);
  const { clock } = core.deps;
  return {
    config,
    storage,
    cookies: cookieStoreFor(storage, options.onEvent),
    client,
    core,
    operations: new AuthOperations(core, client, config),
    server: serverSessionsFor(core, config, { ...options, clock }),
    dataMaxBytes: options.sessionDataMaxBytes ?? DEFAULT_SESSION_DATA_MAX_BYTES,
    clock,
    opened,
  };
}
