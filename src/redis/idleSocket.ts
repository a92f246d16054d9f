/** What {@link IdleSocket} needs of a client: ioredis's `connect` event and its socket. */
export interface SocketEvents {
  on?(event: 'connect', listener: () => void): unknown;
  /** The client's socket: unreferenced while no command is pending, so it never holds the process open. */
  readonly stream?: { ref?(): unknown; unref?(): unknown } | undefined;
}

/**
 * Keeps the socket of a client a store owns (made from a URL) unreferenced while idle, so a script that
 * forgets `close()` still exits, and referenced while a command is pending, so the reply is awaited.
 * A client the caller made is left alone: its socket is theirs.
 */
export class IdleSocket {
  private pending = 0;

  constructor(
    private readonly client: SocketEvents,
    private readonly owned: boolean,
  ) {
    if (!owned) return;
    // Every (re)connection makes a new socket.
    client.on?.('connect', () => this.pending === 0 && client.stream?.unref?.());
    client.stream?.unref?.();
  }

  /** Awaits `command` with the socket referenced. */
  async run<T>(command: Promise<T>): Promise<T> {
    if (!this.owned) return command;
    if (this.pending++ === 0) this.client.stream?.ref?.();
    try {
      return await command;
    } finally {
      if (--this.pending === 0) this.client.stream?.unref?.();
    }
  }
}
