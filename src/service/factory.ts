import type { WorkOS } from '@workos-inc/node';
import { createWorkOSClient } from '../core/client/workos.js';
import { getConfigurationProvider } from '../core/config/index.js';
import { resolveConfig } from '../core/config/resolve.js';
import { LazyCoordinationStore } from '../core/coordination/LazyCoordinationStore.js';
import { LazySessionStore } from '../core/sessionStore/LazySessionStore.js';
import type { ResolvedConfig } from '../core/config/resolve.js';
import type { AuthKitConfig } from '../core/config/types.js';
import type { SessionEncryption, SessionStorage } from '../core/session/types.js';
import { AuthService, LAZY, type AuthServiceOptions } from './AuthService.js';

/** Options of {@link createAuthService}. */
export interface CreateAuthServiceOptions<TRequest, TResponse> extends AuthServiceOptions {
  /** Builds the storage adapter from the resolved configuration. */
  sessionStorageFactory: (config: AuthKitConfig) => SessionStorage<TRequest, TResponse>;
  /** Builds the WorkOS client. Default: a client for this configuration (host, port, scheme, timeout). */
  clientFactory?: (config: AuthKitConfig) => WorkOS;
  /** Builds the session encryption. Default: iron with the `wos-session` parameters, on the `crypto` backend. */
  encryptionFactory?: (config: AuthKitConfig) => SessionEncryption;
  /** Configuration to use instead of the global `configure()` / environment one (the environment is not read). */
  config?: Partial<AuthKitConfig>;
}

/**
 * Creates an {@link AuthService} whose construction waits for first use, so `configure()` may run later.
 * The result is a real `AuthService`; a missing configuration makes its methods reject (and retry on
 * the next call). With `redisUrl` configured and no `coordination` option, instances coordinate through
 * Redis (`authkit-session/redis`, loaded on first use; needs the `ioredis` peer dependency); in
 * `sessionMode: 'server'` sessions are then kept in that Redis too.
 */
export function createAuthService<TRequest, TResponse>(
  options: CreateAuthServiceOptions<TRequest, TResponse>,
): AuthService<TRequest, TResponse> {
  const { sessionStorageFactory, clientFactory, encryptionFactory, config: explicit, ...serviceOptions } = options;
  return new AuthService<TRequest, TResponse>(LAZY, () => {
    const config = explicit ? resolveConfig(explicit) : getConfigurationProvider().getResolvedConfig();
    const { redisUrl } = config;
    const opened =
      redisUrl && !serviceOptions.coordination ? new LazyCoordinationStore(redisUrl, undefined, serviceOptions.clock) : undefined;
    const options = withRedisSessionStore(config, opened ? { ...serviceOptions, coordination: opened } : serviceOptions);
    return {
      config,
      storage: sessionStorageFactory(config),
      client: clientFactory
        ? clientFactory(config)
        : createWorkOSClient(config, serviceOptions.fetch ? { fetch: serviceOptions.fetch } : {}),
      encryption: encryptionFactory?.(config),
      options,
      // Stores made here from `redisUrl` (never ones passed in) are closed by `close()`.
      opened: [opened, options.sessionStore === serviceOptions.sessionStore ? undefined : options.sessionStore],
    };
  });
}

/** In `sessionMode: 'server'` with `redisUrl` and no `sessionStore` option, sessions live in that Redis. */
function withRedisSessionStore(config: ResolvedConfig, options: AuthServiceOptions): AuthServiceOptions {
  if (config.sessionMode !== 'server' || !config.redisUrl || options.sessionStore) return options;
  return { ...options, sessionStore: new LazySessionStore(config.redisUrl) };
}
