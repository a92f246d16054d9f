/** What {@link FirstConnection} needs of a client: ioredis's status and events. */
export interface ConnectionEvents {
  readonly status?: string;
  once?(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
  off?(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
}

/** Statuses of a first connection still under way; any other non-ready status fails fast. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * Lets commands issued while a client's first connection is still being made wait for it (a client without
 * an offline queue would fail them); afterwards, and for clients that report no status, it answers at once,
 * so a lost connection fails fast instead of queueing commands.
 */
export class FirstConnection {
  private pending: Promise<void> | undefined;
  private connectedOnce = false;

  constructor(private readonly client: ConnectionEvents) {
    if (client.status === 'ready') this.connectedOnce = true;
    else client.once?.('ready', () => (this.connectedOnce = true));
  }

  /** Resolves once the first connection is made (at once when it was, or is not being made). */
  async wait(): Promise<void> {
    const { client } = this;
    if (this.connectedOnce || !client.once || client.status === undefined || !CONNECTING.has(client.status)) return;
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
