import type { WorkOS } from '@workos-inc/node';
import type { AuthKitCore } from '../core/AuthKitCore.js';
import { resolveConfig } from '../core/config/resolve.js';
import type { AuthKitConfig } from '../core/config/types.js';
import type { SessionEncryption, SessionStorage } from '../core/session/types.js';
import { buildDependencies, LAZY, type AuthServiceOptions, type LazyInit, type ServiceDependencies } from './dependencies.js';

/**
 * The lifecycle part of `AuthService`: its dependencies, built at construction or (through
 * `createAuthService`) on first use, retried after a failed build, and released by `close()`.
 */
export class LazyService<TRequest, TResponse> {
  private readonly init: () => ServiceDependencies<TRequest, TResponse>;
  private resolved: ServiceDependencies<TRequest, TResponse> | undefined;

  /** @throws AuthKitError `config_invalid` when the configuration is missing or invalid. */
  constructor(
    config: AuthKitConfig,
    storage: SessionStorage<TRequest, TResponse>,
    client: WorkOS,
    encryption: SessionEncryption,
    options?: AuthServiceOptions,
  );
  /** @internal */
  constructor(lazy: typeof LAZY, init: LazyInit<TRequest, TResponse>);
  constructor(
    configOrLazy: AuthKitConfig | typeof LAZY,
    storageOrInit: SessionStorage<TRequest, TResponse> | LazyInit<TRequest, TResponse>,
    client?: WorkOS,
    encryption?: SessionEncryption,
    options: AuthServiceOptions = {},
  ) {
    if (configOrLazy === LAZY) {
      const init = storageOrInit as LazyInit<TRequest, TResponse>;
      this.init = () => {
        const parts = init();
        return buildDependencies(parts.config, parts.storage, parts.client, parts.encryption, parts.options, parts.opened);
      };
    } else {
      const config = resolveConfig(configOrLazy);
      const deps = buildDependencies(config, storageOrInit as SessionStorage<TRequest, TResponse>, client as WorkOS, encryption, options);
      this.init = () => deps;
    }
  }

  /**
   * Releases what this service opened: the revocation feed and, when it made them from `redisUrl`, its Redis
   * connections (coordination and, in server mode, sessions), so scripts, tests and serverless handlers can
   * exit. A store passed as `coordination` or `sessionStore` stays open (close it yourself). Idle connections
   * never hold the process open even without this.
   */
  async close(): Promise<void> {
    const deps = this.resolved;
    if (!deps) return;
    deps.core.close();
    await Promise.all(deps.opened.map((store) => store?.close?.()));
  }

  /**
   * The WorkOS client this service uses.
   * @throws AuthKitError `config_invalid` when configuration is missing.
   */
  getWorkOS(): WorkOS {
    return this.deps.client;
  }

  /** The core this service uses (advanced use). */
  getCore(): Promise<AuthKitCore> {
    return Promise.resolve().then(() => this.deps.core);
  }

  /** Dependencies, built on first use; a failed build is retried on the next call. */
  protected get deps(): ServiceDependencies<TRequest, TResponse> {
    this.resolved ??= this.init();
    return this.resolved;
  }
}
