import type { Clock } from '../core/clock.js';
import type { SubjectMarks } from '../core/coordination/CoordinationStore.js';
import { parseMarks } from '../core/coordination/marks.js';
import { LIVE_SCRIPT, READ_SCRIPT } from './scripts.js';

/**
 * Feeds from Redis to every instance's local mirror: a subscriber connection on one channel, the source of
 * truth read again after every (re)connection, so a message missed while disconnected is never lost.
 */

/** A Redis connection in subscriber mode (an ioredis `duplicate()` fits). */
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'ready' | 'connect' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  disconnect(): void;
  /** The socket; unreferenced so an idle subscriber never keeps the process alive. */
  readonly stream?: { unref?(): unknown } | undefined;
}

/** What {@link feedChannel} needs. */
export interface ChannelFeedOptions {
  subscriber: RedisSubscriber;
  channel: string;
  /** Reads the source of truth again and delivers all of it; called after every (re)connection. */
  resync: () => Promise<void>;
  onMessage: (message: string) => void;
  /** Told `false` until the first resync is done and whenever the connection is lost, `true` after each resync. */
  onSynced?: ((synced: boolean) => void) | undefined;
  /** Pause before trying a failed resync again, in milliseconds. Default 500. */
  retryMs?: number;
}

/** Starts a feed on one channel; returns a function that stops it and closes the subscriber. */
export function feedChannel(options: ChannelFeedOptions): () => void {
  const { subscriber, channel } = options;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resync = async (): Promise<void> => {
    if (stopped) return;
    try {
      await options.resync();
      if (!stopped) options.onSynced?.(true);
    } catch {
      if (stopped) return;
      timer = setTimeout(() => void resync(), options.retryMs ?? 500);
      (timer as { unref?: () => void }).unref?.();
    }
  };
  subscriber.on('connect', () => subscriber.stream?.unref?.());
  subscriber.on('error', () => undefined);
  options.onSynced?.(false);
  subscriber.on('close', () => options.onSynced?.(false));
  subscriber.on('message', (from, message) => {
    if (from === channel) options.onMessage(message);
  });
  // Subscribed first, then the source read: a change recorded in between arrives by one or the other.
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(resync, () => undefined);
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    subscriber.disconnect();
  };
}

/** Milliseconds left at `nowMs` until an epoch-milliseconds expiry, or `undefined` when it has passed or is not a number. */
export function remainingMs(expiresAt: unknown, nowMs: number): number | undefined {
  const ttlMs = Number(expiresAt) - nowMs;
  return Number.isFinite(ttlMs) && ttlMs > 0 ? ttlMs : undefined;
}

/** Splits `<expiry> <id>[ <rest>]` (a feed message), its time left counted from `nowMs`. */
export function parseMessage(message: string, nowMs: number): { ttlMs: number; id: string; rest: string } | undefined {
  const first = message.indexOf(' ');
  if (first <= 0) return undefined;
  const ttlMs = remainingMs(message.slice(0, first), nowMs);
  const tail = message.slice(first + 1);
  const second = tail.indexOf(' ');
  const id = second === -1 ? tail : tail.slice(0, second);
  if (ttlMs === undefined || !id) return undefined;
  return { ttlMs, id, rest: second === -1 ? '' : tail.slice(second + 1) };
}

/** What {@link resyncLive} needs. */
export interface ResyncOptions {
  /** Runs a script (EVAL) with `numberOfKeys` keys followed by its arguments. */
  run: (script: string, numberOfKeys: number, keysAndArgs: string[]) => Promise<unknown>;
  /** The sorted set of live ids (scored by expiry). */
  key: string;
  /** The key holding a subject's marks. */
  marksKey: (subject: string) => string;
  onLive?: ((id: string, ttlMs: number) => void) | undefined;
  onLiveMarks?: ((subject: string, marks: SubjectMarks, ttlMs: number) => void) | undefined;
  /** Milliseconds since the epoch (the store's clock). */
  clock: Clock;
}

/** Reads a live set (and, for marks, each subject's marks) and delivers every entry. */
export async function resyncLive(options: ResyncOptions): Promise<void> {
  const now = options.clock();
  const live = await options.run(LIVE_SCRIPT, 1, [options.key, String(now)]);
  if (!Array.isArray(live)) throw new Error('unexpected reply');
  const entries: { id: string; ttlMs: number }[] = [];
  for (let i = 0; i + 1 < live.length; i += 2) {
    const ttlMs = remainingMs(live[i + 1], now);
    if (ttlMs !== undefined) entries.push({ id: String(live[i]), ttlMs });
  }
  for (const { id, ttlMs } of entries) options.onLive?.(id, ttlMs);
  const { onLiveMarks } = options;
  if (!onLiveMarks || entries.length === 0) return;
  const keys = entries.map(({ id }) => options.marksKey(id));
  const values = (await options.run(READ_SCRIPT, keys.length, keys)) as (string | null)[];
  entries.forEach(({ id, ttlMs }, i) => onLiveMarks(id, parseMarks(Array.isArray(values) ? values[i] : null), ttlMs));
}
