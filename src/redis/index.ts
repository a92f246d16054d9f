// `authkit-session/redis`: refresh and sign-out coordination across instances on Redis or Valkey (ioredis).

// Store
export { RedisCoordinationStore } from './RedisCoordinationStore.js';
export type { RedisCommandClient, RedisCoordinationStoreOptions } from './RedisCoordinationStore.js';

// Factory
export { createRedisCoordinationStore, FAIL_FAST_CLIENT_OPTIONS } from './createRedisCoordinationStore.js';
export type { CreateRedisCoordinationStoreOptions } from './createRedisCoordinationStore.js';

// The port it implements
export type { CoordinationStore } from '../core/coordination/CoordinationStore.js';

// Server-side sessions (`sessionMode: 'server'`)
export { RedisSessionStore } from './RedisSessionStore.js';
export type { RedisSessionClient, RedisSessionStoreOptions } from './RedisSessionStore.js';
export { createRedisSessionStore } from './createRedisSessionStore.js';
export type { CreateRedisSessionStoreOptions } from './createRedisSessionStore.js';
export type { SessionStore } from '../core/sessionStore/SessionStore.js';
