import { systemClock, type Clock } from '../core/clock.js';
import type { CoordinationStore, SubjectMarks } from '../core/coordination/CoordinationStore.js';
import { mergeMarks, parseMarks } from '../core/coordination/marks.js';
import { FirstConnection } from './connection.js';
import type { RedisCommandClient } from './commandClient.js';
import { IdleSocket } from './idleSocket.js';
import { feedChannel, parseMessage, resyncLive, type RedisSubscriber } from './feed.js';
import { IS_REVOKED_SCRIPT, MARK_SCRIPT, READ_SCRIPT, RELEASE_SCRIPT, REVOKE_SCRIPT } from './scripts.js';

export type { RedisCommandClient } from './commandClient.js';

/** Options of {@link RedisCoordinationStore}. */
export interface RedisCoordinationStoreOptions {
  /** Prepended to every key, so several applications can share one database. Default `'authkit:'`. */
  prefix?: string;
  /** Whether {@link RedisCoordinationStore.close} also quits the client. Default `false` (the client is yours). */
  ownsClient?: boolean;
  /** Milliseconds since the epoch, for revocation and mark expiries. Default: the system clock. */
  clock?: Clock;
}

/**
 * {@link CoordinationStore} on Redis (or Valkey): leases are `SET NX PX` with a random owner token and a
 * compare-and-delete release script, sealed refresh results are `SET PX`, revocations live in one sorted
 * set and are pushed to every instance over pub/sub (see `revocationFeed.ts`). Keys are the prefix, a kind,
 * and the SHA-256 digest the coordinator passes (or the session id).
 * Commands reject when Redis is unreachable; the caller's time bound turns that into a fallback.
 *
 * @example
 * const coordination = new RedisCoordinationStore(new Redis(url, FAIL_FAST_CLIENT_OPTIONS), { prefix: 'shop:' });
 * const service = createAuthService({ sessionStorageFactory, coordination });
 */
export class RedisCoordinationStore implements CoordinationStore {
  readonly local = false;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly firstConnection: FirstConnection;
  private readonly socket: IdleSocket;
  private readonly feeds = new Set<() => void>();
  /** Present when the client can open a subscriber connection (ioredis can). */
  readonly watchRevocations?: CoordinationStore['watchRevocations'];
  /** Present when the client can open a subscriber connection (ioredis can). */
  readonly watchMarks?: CoordinationStore['watchMarks'];

  constructor(
    private readonly client: RedisCommandClient,
    private readonly options: RedisCoordinationStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'authkit:';
    this.clock = options.clock ?? systemClock;
    this.firstConnection = new FirstConnection(client);
    this.socket = new IdleSocket(client, options.ownsClient === true);
    if (typeof client.duplicate === 'function') {
      this.watchRevocations = (onRevoked, onSynced) =>
        this.watch(onSynced, 'revocations', (message) => onRevoked(message.id, message.ttlMs), onRevoked);
      this.watchMarks = (onMarks, onSynced) =>
        this.watch(onSynced, 'marked', (message) => onMarks(message.id, parseMarks(message.rest), message.ttlMs), undefined, onMarks);
    }
  }

  async acquire(key: string, leaseMs: number): Promise<string | undefined> {
    await this.firstConnection.wait();
    const owner = crypto.randomUUID();
    const reply = await this.busy(this.client.set(this.key('lease', key), owner, 'PX', milliseconds(leaseMs), 'NX'));
    return reply === 'OK' ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.firstConnection.wait();
    await this.busy(this.client.eval(RELEASE_SCRIPT, 1, this.key('lease', key), owner));
  }

  async getResult(key: string): Promise<string | undefined> {
    await this.firstConnection.wait();
    return (await this.busy(this.client.get(this.key('result', key)))) ?? undefined;
  }

  async setResult(key: string, sealed: string, ttlMs: number): Promise<void> {
    await this.firstConnection.wait();
    await this.busy(this.client.set(this.key('result', key), sealed, 'PX', milliseconds(ttlMs)));
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    await this.firstConnection.wait();
    const now = this.clock();
    const expiresAt = String(now + milliseconds(ttlMs));
    const key = this.kindKey('revocations');
    await this.busy(this.client.eval(REVOKE_SCRIPT, 1, key, sessionId, expiresAt, String(now), key));
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    await this.firstConnection.wait();
    return (await this.busy(this.client.eval(IS_REVOKED_SCRIPT, 1, this.kindKey('revocations'), sessionId, String(this.clock())))) === 1;
  }

  async mark(subject: string, marks: SubjectMarks, ttlMs: number): Promise<void> {
    await this.firstConnection.wait();
    const index = this.kindKey('marked');
    const args = [JSON.stringify(marks), String(milliseconds(ttlMs)), String(this.clock()), index, subject];
    await this.busy(this.client.eval(MARK_SCRIPT, 2, this.key('marks', subject), index, ...args));
  }

  async marksOf(subjects: readonly string[]): Promise<SubjectMarks> {
    if (subjects.length === 0) return {};
    await this.firstConnection.wait();
    const keys = subjects.map((subject) => this.key('marks', subject));
    const values = (await this.busy(this.client.eval(READ_SCRIPT, keys.length, ...keys))) as (string | null)[];
    let merged: SubjectMarks = {};
    for (const value of values) merged = mergeMarks(parseMarks(value), merged);
    return merged;
  }

  async claimOnce(id: string, ttlMs: number): Promise<boolean> {
    await this.firstConnection.wait();
    return (await this.busy(this.client.set(this.key('claimed', id), '1', 'PX', milliseconds(ttlMs), 'NX'))) === 'OK';
  }

  /** Quits the client when the store owns it (made by `createRedisCoordinationStore` from a URL). */
  async close(): Promise<void> {
    for (const stop of this.feeds) stop();
    this.feeds.clear();
    if (!this.options.ownsClient) return;
    // quit() waits for pending replies; it fails while disconnected, and disconnect() also stops reconnecting.
    await this.client.quit?.().catch(() => undefined);
    this.client.disconnect?.();
  }

  /** The key (and channel) of a whole kind: `revocations` or the subject index `marked`. */
  private kindKey(kind: 'revocations' | 'marked'): string {
    return `${this.prefix}${kind}`;
  }

  /**
   * Starts a feed on the `kind` channel over a subscriber connection of its own and hands each well-formed
   * message to `onMessage`; after every (re)connection the live set under the same key is read again and
   * delivered (revocations as ids, marks with their JSON).
   */
  private watch(
    onSynced: ((synced: boolean) => void) | undefined,
    kind: 'revocations' | 'marked',
    onMessage: (message: NonNullable<ReturnType<typeof parseMessage>>) => void,
    onLive?: (id: string, ttlMs: number) => void,
    onLiveMarks?: (subject: string, marks: SubjectMarks, ttlMs: number) => void,
  ): () => void {
    const channel = this.kindKey(kind);
    const resync = () =>
      resyncLive({
        run: (script, numberOfKeys, keysAndArgs) => this.busy(this.client.eval(script, numberOfKeys, ...keysAndArgs)),
        key: channel,
        marksKey: (id) => this.key('marks', id),
        onLive,
        onLiveMarks,
        clock: this.clock,
      });
    const subscriber = (this.client.duplicate as NonNullable<RedisCommandClient['duplicate']>)({ autoResubscribe: false });
    const stop = feedChannel({
      subscriber,
      channel,
      resync,
      onMessage: (message) => {
        const parsed = parseMessage(message, this.clock());
        if (parsed) onMessage(parsed);
      },
      onSynced,
    });
    this.feeds.add(stop);
    return () => {
      this.feeds.delete(stop);
      stop();
    };
  }

  /** Keeps an owned client's socket referenced while `command` is pending. */
  private busy<T>(command: Promise<T>): Promise<T> {
    return this.socket.run(command);
  }

  private key(kind: 'lease' | 'result' | 'marks' | 'claimed', id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }
}

/** Redis wants a whole, positive number of milliseconds. */
function milliseconds(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
