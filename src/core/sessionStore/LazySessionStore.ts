import { redisModuleSpecifier } from '../coordination/LazyCoordinationStore.js';
import type { SessionStore } from './SessionStore.js';

/** What the lazy store needs from the `authkit-session/redis` module. */
export interface RedisSessionStoreModule {
  createRedisSessionStore(url: string): SessionStore;
}

async function importRedisModule(): Promise<RedisSessionStoreModule> {
  const loaded = (await import(/* @vite-ignore */ redisModuleSpecifier())) as Partial<RedisSessionStoreModule>;
  if (typeof loaded.createRedisSessionStore !== 'function') throw new Error('authkit-session/redis could not be loaded');
  return loaded as RedisSessionStoreModule;
}

/**
 * The {@link SessionStore} `createAuthService` builds from `redisUrl` in `sessionMode: 'server'`: it loads
 * `authkit-session/redis` (and so the optional `ioredis` peer) on first use, starting when constructed.
 * When the module cannot be loaded every operation rejects, which the service reports as the retryable
 * `session_store_unavailable`, never as a sign-out.
 */
export class LazySessionStore implements SessionStore {
  private readonly store: Promise<SessionStore>;

  /** @param url Redis or Valkey URL; it may hold a password, which never appears in errors. */
  constructor(url: string, load: () => Promise<RedisSessionStoreModule> = importRedisModule) {
    this.store = load().then((module) => module.createRedisSessionStore(url));
    this.store.catch(() => undefined);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.store).get(key);
  }

  async set(key: string, value: string, ttlMs: number, userId?: string): Promise<void> {
    return (await this.store).set(key, value, ttlMs, userId);
  }

  async delete(key: string): Promise<void> {
    return (await this.store).delete(key);
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.store).deleteByUser(userId);
  }

  async listByUser(userId: string): Promise<string[]> {
    return (await this.store).listByUser(userId);
  }

  /** Closes the store it loaded (the Redis connection it made from the URL). */
  async close(): Promise<void> {
    const store = await this.store.catch(() => undefined);
    await store?.close?.();
  }
}
