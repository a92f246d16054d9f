import type { RedisSubscriber } from './feed.js';
import type { SocketEvents } from './idleSocket.js';

/**
 * The few commands the store sends. An ioredis `Redis` client fits (a `Cluster` one too: every command
 * touches one key), and so does anything with the same method shapes, e.g. a wrapper over an HTTP Redis.
 */
export interface RedisCommandClient extends SocketEvents {
  set(key: string, value: string, expiryMode: 'PX', ttlMs: number, condition: 'NX'): Promise<string | null>;
  set(key: string, value: string, expiryMode: 'PX', ttlMs: number): Promise<string | null>;
  get(key: string): Promise<string | null>;
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
  /**
   * A second connection for the revocation feed (pub/sub). Without it the store has no
   * `watchRevocations`, and every request asks Redis whether its session is revoked. Asked for without
   * ioredis's own re-subscription (`autoResubscribe: false`): the feed subscribes again after every
   * reconnection itself and handles a failure, where ioredis would leave the rejection unhandled.
   */
  duplicate?(options?: { autoResubscribe?: boolean }): RedisSubscriber;
}
