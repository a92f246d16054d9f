/** What {@link waitForFirstConnection} reads of a client: ioredis's status and events. */
export interface ConnectionStatus {
  readonly status?: string;
  once?(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
  off?(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
}

/** Statuses of a first connection still under way; any other non-ready status fails fast. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * Tracks a client's first connection: {@link wait} resolves at once after it (and for clients that report no
 * status), so a lost connection fails fast instead of queueing commands; while the first connection is
 * still being made it waits for `ready` (or rejects on `error`).
 */
export class FirstConnection {
  private pending: Promise<void> | undefined;
  private done = false;

  constructor(private readonly client: ConnectionStatus) {
    if (client.status === 'ready') this.done = true;
    else client.once?.('ready', () => (this.done = true));
  }

  async wait(): Promise<void> {
    const { client } = this;
    if (this.done || !client.once || client.status === undefined || !CONNECTING.has(client.status)) return;
    this.pending ??= new Promise<void>((resolve, reject) => {
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
      this.pending = undefined;
    });
    await this.pending;
  }
}
