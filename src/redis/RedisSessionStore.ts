import type { SessionStore } from '../core/sessionStore/SessionStore.js';
import { FirstConnection, type ConnectionEvents } from './connection.js';
import { IdleSocket, type SocketEvents } from './idleSocket.js';

/**
 * The commands {@link RedisSessionStore} sends. An ioredis `Redis` client fits. Not a `Cluster` client:
 * a record and its user index are written by one script, so they must live on one node.
 */
export interface RedisSessionClient extends ConnectionEvents, SocketEvents {
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
  eval(script: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** Prepended to every key. Default `'authkit:'` (records are `…session:<key>`, user indexes `…user:<id>`). */
  prefix?: string;
  /** Whether {@link RedisSessionStore.close} also quits the client. Default `false` (the client is yours). */
  ownsClient?: boolean;
}

/** SET the record with its TTL; add it to the user's set, whose TTL is stretched to the longest record's. */
const SET_SCRIPT = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('SADD', KEYS[2], ARGV[3])
  if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
end
return 1`;

/** The user's live record keys; members whose record expired or was deleted leave the set. */
const LIST_SCRIPT = `local live = {}
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. member) == 1 then table.insert(live, member) else redis.call('SREM', KEYS[1], member) end
end
return live`;

/** Deletes every record of the user and the index; returns how many records existed. */
const DELETE_USER_SCRIPT = `local deleted = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do deleted = deleted + redis.call('DEL', ARGV[1] .. member) end
redis.call('DEL', KEYS[1])
return deleted`;

/**
 * {@link SessionStore} on Redis (or Valkey): a record is a string key with a TTL (`SET PX`), indexed in a
 * per-user set. Commands reject when Redis is unreachable (with the fail-fast client of
 * `createRedisSessionStore`, at once); the service answers `session_store_unavailable` and keeps the cookie.
 *
 * @example
 * const sessionStore = new RedisSessionStore(new Redis(url, FAIL_FAST_CLIENT_OPTIONS));
 * const service = createAuthService({ sessionStorageFactory, sessionStore, config: { ...config, sessionMode: 'server' } });
 */
export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;
  private readonly connection: FirstConnection;
  private readonly socket: IdleSocket;

  constructor(
    private readonly client: RedisSessionClient,
    private readonly options: RedisSessionStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'authkit:';
    this.connection = new FirstConnection(client);
    this.socket = new IdleSocket(client, options.ownsClient === true);
  }

  async get(key: string): Promise<string | undefined> {
    await this.connection.wait();
    return (await this.socket.run(this.client.get(this.recordKey(key)))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number, userId?: string): Promise<void> {
    await this.connection.wait();
    const ttl = String(Math.max(1, Math.ceil(ttlMs)));
    const userKey = this.userKey(userId ?? '');
    await this.socket.run(this.client.eval(SET_SCRIPT, 2, this.recordKey(key), userKey, value, ttl, userId === undefined ? '' : key));
  }

  async delete(key: string): Promise<void> {
    await this.connection.wait();
    await this.socket.run(this.client.del(this.recordKey(key)));
  }

  async deleteByUser(userId: string): Promise<number> {
    await this.connection.wait();
    return Number(await this.socket.run(this.client.eval(DELETE_USER_SCRIPT, 1, this.userKey(userId), this.recordKey(''))));
  }

  async listByUser(userId: string): Promise<string[]> {
    await this.connection.wait();
    const live = await this.socket.run(this.client.eval(LIST_SCRIPT, 1, this.userKey(userId), this.recordKey('')));
    return Array.isArray(live) ? live.map(String) : [];
  }

  /** Quits the client when the store owns it (made by `createRedisSessionStore` from a URL). */
  async close(): Promise<void> {
    if (!this.options.ownsClient) return;
    await this.client.quit?.().catch(() => undefined);
    this.client.disconnect?.();
  }

  private recordKey(key: string): string {
    return `${this.prefix}session:${key}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }
}
