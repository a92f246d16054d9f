import { Redis } from 'ioredis';
import { FAIL_FAST_CLIENT_OPTIONS, type CreateRedisCoordinationStoreOptions } from './createRedisCoordinationStore.js';
import { RedisSessionStore, type RedisSessionClient } from './RedisSessionStore.js';

/** Options of {@link createRedisSessionStore}: the prefix, ioredis options and an error listener. */
export type CreateRedisSessionStoreOptions = CreateRedisCoordinationStoreOptions;

/**
 * A {@link RedisSessionStore} on a Redis or Valkey URL (`redis://`, `rediss://`), with a client made with
 * `FAIL_FAST_CLIENT_OPTIONS` (the same fail-fast rules as the coordination store) that the store owns
 * (`close()` quits it), or on a client you made.
 *
 * @example
 * const service = createAuthService({ sessionStorageFactory, sessionStore: createRedisSessionStore(process.env.REDIS_URL!) });
 */
export function createRedisSessionStore(
  urlOrClient: string | RedisSessionClient,
  options: CreateRedisSessionStoreOptions = {},
): RedisSessionStore {
  const prefix = options.prefix !== undefined ? { prefix: options.prefix } : {};
  if (typeof urlOrClient !== 'string') return new RedisSessionStore(urlOrClient, prefix);
  const client = new Redis(urlOrClient, { ...FAIL_FAST_CLIENT_OPTIONS, ...options.clientOptions });
  const onError = options.onError;
  client.on('error', (error: Error) => onError?.(error));
  return new RedisSessionStore(client, { ...prefix, ownsClient: true });
}
