import type { Clock } from '../clock.js';
import type { CoordinationStore, SubjectMarks } from './CoordinationStore.js';

/** What the lazy store needs from the `authkit-session/redis` module. */
export interface RedisStoreModule {
  createRedisCoordinationStore(url: string, options?: { clock?: Clock }): CoordinationStore;
}

/**
 * Where `authkit-session/redis` is: the package's own subpath export when running from the build, the
 * source file when running from source (tests, `tsx`). Held in a variable so that bundlers and the compiler
 * leave the optional Redis client out of the core.
 */
export function redisModuleSpecifier(): string {
  const here = import.meta.url;
  return typeof here === 'string' && here.endsWith('.ts') ? new URL('../../redis/index.ts', here).href : 'authkit-session/redis';
}

async function importRedisModule(): Promise<RedisStoreModule> {
  const specifier = redisModuleSpecifier();
  const loaded = (await import(/* @vite-ignore */ specifier)) as Partial<RedisStoreModule>;
  if (typeof loaded.createRedisCoordinationStore !== 'function') throw new Error('authkit-session/redis could not be loaded');
  return loaded as RedisStoreModule;
}

/**
 * The {@link CoordinationStore} `createAuthService` builds from `redisUrl`: it loads `authkit-session/redis`
 * (and so the optional `ioredis` peer dependency) on first use, starting when it is constructed. When the
 * module cannot be loaded every operation rejects, which the coordinator turns into a fallback to
 * per-instance coordination (`coordination.fallback`), never a logout.
 */
export class LazyCoordinationStore implements CoordinationStore {
  readonly local = false;
  private readonly store: Promise<CoordinationStore>;

  /**
   * @param url Redis or Valkey URL, e.g. `redis://localhost:6379`. It may hold a password: it never appears in errors.
   * @param load Loads the Redis module. Default: dynamic import of `authkit-session/redis`.
   * @param clock Milliseconds since the epoch, for expiries kept in Redis. Default: the system clock.
   */
  constructor(url: string, load: () => Promise<RedisStoreModule> = importRedisModule, clock?: Clock) {
    this.store = load().then((module) => module.createRedisCoordinationStore(url, clock ? { clock } : {}));
    // Failures surface on use; this only keeps an unused failed load from being reported as unhandled.
    this.store.catch(() => undefined);
  }

  async acquire(key: string, leaseMs: number): Promise<string | undefined> {
    return (await this.store).acquire(key, leaseMs);
  }

  async release(key: string, owner: string): Promise<void> {
    return (await this.store).release(key, owner);
  }

  async getResult(key: string): Promise<string | undefined> {
    return (await this.store).getResult(key);
  }

  async setResult(key: string, sealed: string, ttlMs: number): Promise<void> {
    return (await this.store).setResult(key, sealed, ttlMs);
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    return (await this.store).revoke(sessionId, ttlMs);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.store).isRevoked(sessionId);
  }

  async mark(subject: string, marks: SubjectMarks, ttlMs: number): Promise<void> {
    return (await this.store).mark(subject, marks, ttlMs);
  }

  async marksOf(subjects: readonly string[]): Promise<SubjectMarks> {
    return (await this.store).marksOf(subjects);
  }

  async claimOnce(id: string, ttlMs: number): Promise<boolean> {
    return (await this.store).claimOnce(id, ttlMs);
  }

  /** Not in sync until the Redis module has loaded and its feed says so. */
  watchRevocations(onRevoked: (sessionId: string, ttlMs: number) => void, onSynced?: (synced: boolean) => void): () => void {
    onSynced?.(false);
    return this.whenLoaded((store) => store.watchRevocations?.(onRevoked, onSynced));
  }

  /** Not in sync until the Redis module has loaded and its feed says so. */
  watchMarks(onMarks: (subject: string, marks: SubjectMarks, ttlMs: number) => void, onSynced?: (synced: boolean) => void): () => void {
    onSynced?.(false);
    return this.whenLoaded((store) => store.watchMarks?.(onMarks, onSynced));
  }

  /** Starts a feed once the store is loaded; the returned function stops it (also before it started). */
  private whenLoaded(start: (store: CoordinationStore) => (() => void) | undefined): () => void {
    let stopped = false;
    let stop: (() => void) | undefined;
    this.store.then(
      (store) => {
        if (!stopped) stop = start(store);
      },
      () => undefined,
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  /** Closes the store it loaded (the Redis connections it made from the URL). */
  async close(): Promise<void> {
    const store = await this.store.catch(() => undefined);
    await store?.close?.();
  }
}
