import type { CoordinationStore, SubjectMarks } from '../core/coordination/CoordinationStore.js';
import { mergeMarks, parseMarks } from '../core/coordination/marks.js';

/**
 * The few commands the store sends. An ioredis `Redis` client fits (a `Cluster` one too: every command
 * touches one key), and so does anything with the same method shapes, e.g. a wrapper over an HTTP Redis.
 */
export interface RedisCommandClient {
  set(key: string, value: string, expiryMode: 'PX', ttlMs: number, condition: 'NX'): Promise<string | null>;
  set(key: string, value: string, expiryMode: 'PX', ttlMs: number): Promise<string | null>;
  get(key: string): Promise<string | null>;
  exists(key: string): Promise<number>;
  eval(script: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /**
   * Connection state, as ioredis reports it. When present, commands issued while the first connection is
   * still being made wait for it (instead of failing on a client without an offline queue).
   */
  readonly status?: string;
  once?(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
  off?(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
  /** End the connection (gracefully, or at once); called by {@link RedisCoordinationStore.close} when the store owns the client. */
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** Options of {@link RedisCoordinationStore}. */
export interface RedisCoordinationStoreOptions {
  /** Prepended to every key, so several applications can share one database. Default `'authkit:'`. */
  prefix?: string;
  /** Whether {@link RedisCoordinationStore.close} also quits the client. Default `false` (the client is yours). */
  ownsClient?: boolean;
}

/** Deletes the lease only while it still holds this owner's token (a lease that expired and was retaken is kept). */
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Merges marks into a subject's JSON atomically: times keep the later value, a new digest replaces the old,
 * and the key lives at least `ARGV[2]` milliseconds more.
 */
const MARK_SCRIPT = `
local current = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then current = value end
end
local next = cjson.decode(ARGV[1])
for _, field in ipairs({'revokedAt', 'staleAt'}) do
  local value = tonumber(next[field])
  if value and (tonumber(current[field]) == nil or value > tonumber(current[field])) then current[field] = value end
end
if type(next.digest) == 'string' then current.digest = next.digest end
local ttl = tonumber(ARGV[2])
local remaining = redis.call('PTTL', KEYS[1])
if remaining > ttl then ttl = remaining end
redis.call('SET', KEYS[1], cjson.encode(current), 'PX', ttl)
return 1`;

/** Statuses of a first connection still under way; any other non-ready status fails fast. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * {@link CoordinationStore} on Redis (or Valkey): leases are `SET NX PX` with a random owner token and a
 * compare-and-delete release script, sealed refresh results are `SET PX`, revocations are `SET PX` +
 * `EXISTS`. Keys are the prefix, a kind, and the SHA-256 digest the coordinator passes (or the session id).
 * Commands reject when Redis is unreachable; the caller's time bound turns that into a fallback.
 *
 * @example
 * const coordination = new RedisCoordinationStore(new Redis(url, FAIL_FAST_CLIENT_OPTIONS), { prefix: 'shop:' });
 * const service = createAuthService({ sessionStorageFactory, coordination });
 */
export class RedisCoordinationStore implements CoordinationStore {
  readonly local = false;
  private readonly prefix: string;
  private firstConnection: Promise<void> | undefined;
  private connectedOnce = false;

  constructor(
    private readonly client: RedisCommandClient,
    private readonly options: RedisCoordinationStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'authkit:';
    if (client.status === 'ready') this.connectedOnce = true;
    else client.once?.('ready', () => (this.connectedOnce = true));
  }

  async acquire(key: string, leaseMs: number): Promise<string | undefined> {
    await this.connected();
    const owner = crypto.randomUUID();
    const reply = await this.client.set(this.key('lease', key), owner, 'PX', milliseconds(leaseMs), 'NX');
    return reply === 'OK' ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.connected();
    await this.client.eval(RELEASE_SCRIPT, 1, this.key('lease', key), owner);
  }

  async getResult(key: string): Promise<string | undefined> {
    await this.connected();
    return (await this.client.get(this.key('result', key))) ?? undefined;
  }

  async setResult(key: string, sealed: string, ttlMs: number): Promise<void> {
    await this.connected();
    await this.client.set(this.key('result', key), sealed, 'PX', milliseconds(ttlMs));
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    await this.connected();
    await this.client.set(this.key('revoked', sessionId), '1', 'PX', milliseconds(ttlMs));
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    await this.connected();
    return (await this.client.exists(this.key('revoked', sessionId))) > 0;
  }

  async mark(subject: string, marks: SubjectMarks, ttlMs: number): Promise<void> {
    await this.connected();
    await this.client.eval(MARK_SCRIPT, 1, this.key('marks', subject), JSON.stringify(marks), String(milliseconds(ttlMs)));
  }

  async marksOf(subjects: readonly string[]): Promise<SubjectMarks> {
    if (subjects.length === 0) return {};
    await this.connected();
    // One GET per subject, in parallel: each touches one key, so subjects may live in different cluster slots.
    const values = await Promise.all(subjects.map((subject) => this.client.get(this.key('marks', subject))));
    let merged: SubjectMarks = {};
    for (const value of values) merged = mergeMarks(parseMarks(value), merged);
    return merged;
  }

  async claimOnce(id: string, ttlMs: number): Promise<boolean> {
    await this.connected();
    return (await this.client.set(this.key('claimed', id), '1', 'PX', milliseconds(ttlMs), 'NX')) === 'OK';
  }

  /** Quits the client when the store owns it (made by `createRedisCoordinationStore` from a URL). */
  async close(): Promise<void> {
    if (!this.options.ownsClient) return;
    // quit() waits for pending replies; it fails while disconnected, and disconnect() also stops reconnecting.
    await this.client.quit?.().catch(() => undefined);
    this.client.disconnect?.();
  }

  private key(kind: 'lease' | 'result' | 'revoked' | 'marks' | 'claimed', id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  /**
   * Waits for the client's first connection when it is still being made; afterwards (and for clients that
   * report no status) returns at once, so a lost connection fails fast instead of queueing commands.
   */
  private async connected(): Promise<void> {
    const { client } = this;
    if (this.connectedOnce || !client.once || client.status === undefined || !CONNECTING.has(client.status)) return;
    this.firstConnection ??= new Promise<void>((resolve, reject) => {
      const onReady = () => {
        client.off?.('error', onError);
        resolve();
      };
      const onError = (error: unknown) => {
        client.off?.('ready', onReady);
        reject(error instanceof Error ? error : new Error('Redis connection failed'));
      };
      client.once?.('ready', onReady);
      client.once?.('error', onError);
    }).finally(() => {
      this.firstConnection = undefined;
    });
    await this.firstConnection;
  }
}

/** Redis wants a whole, positive number of milliseconds. */
function milliseconds(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
