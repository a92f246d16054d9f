import { Redis, type RedisOptions } from 'ioredis';
import { RedisCoordinationStore, type RedisCommandClient, type RedisCoordinationStoreOptions } from './RedisCoordinationStore.js';

/** Options of {@link createRedisCoordinationStore}. */
export interface CreateRedisCoordinationStoreOptions extends Pick<RedisCoordinationStoreOptions, 'prefix' | 'clock'> {
  /** ioredis options laid over the fail-fast defaults (used only when a URL is given). */
  clientOptions?: RedisOptions;
  /** Receives connection errors of a client made from a URL. Default: ignored (fallbacks report `coordination.fallback`). */
  onError?: (error: Error) => void;
}

/**
 * Defaults of a client made from a URL: commands fail at once while disconnected (no offline queue, no
 * per-command retries), a dead or silent server is noticed within a second, and reconnection goes on in the
 * background, backing off to 2 s between attempts.
 */
export const FAIL_FAST_CLIENT_OPTIONS: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 1_000,
  commandTimeout: 1_000,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2_000),
});

/**
 * A {@link RedisCoordinationStore} on a Redis or Valkey URL (`redis://`, `rediss://` for TLS), with a client
 * made with {@link FAIL_FAST_CLIENT_OPTIONS} that the store owns (`close()` quits it), or on a client you made.
 *
 * @example
 * const service = createAuthService({ sessionStorageFactory, coordination: createRedisCoordinationStore(process.env.REDIS_URL!) });
 */
export function createRedisCoordinationStore(
  urlOrClient: string | RedisCommandClient,
  options: CreateRedisCoordinationStoreOptions = {},
): RedisCoordinationStore {
  const shared = {
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  };
  if (typeof urlOrClient !== 'string') return new RedisCoordinationStore(urlOrClient, shared);
  const client = new Redis(urlOrClient, { ...FAIL_FAST_CLIENT_OPTIONS, ...options.clientOptions });
  const onError = options.onError;
  client.on('error', (error: Error) => onError?.(error));
  return new RedisCoordinationStore(client, { ...shared, ownsClient: true });
}
