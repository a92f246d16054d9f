import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one port. `dropAll()` cuts every open connection; `dropWhen(pattern)`
 * cuts the next connection whose client sends bytes matching `pattern`, before forwarding them (so the
 * command is in flight on the client's side and never answered); `holdWhen(pattern)` keeps every such
 * connection's bytes from that point on until `release()` (a command that is slow to be answered).
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private trap: RegExp | undefined;
  private holdPattern: RegExp | undefined;
  private readonly held: { upstream: net.Socket; data: Buffer[] }[] = [];
  /** How many connections `dropWhen` has cut. */
  trapped = 0;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.pipe(client));
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  dropAll(): void {
    for (const pair of this.pairs) this.cut(pair);
  }

  dropWhen(pattern: RegExp): void {
    this.trap = pattern;
  }

  holdWhen(pattern: RegExp): void {
    this.holdPattern = pattern;
  }

  /** Forwards what `holdWhen` kept and stops holding. */
  release(): void {
    this.holdPattern = undefined;
    for (const { upstream, data } of this.held.splice(0)) for (const chunk of data) upstream.write(chunk);
  }

  /** Connections whose bytes are being held. */
  get holding(): number {
    return this.held.length;
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair = { client, upstream };
    this.pairs.add(pair);
    let held: Buffer[] | undefined;
    client.on('data', (data) => {
      if (held && this.holdPattern) return held.push(data);
      if (this.holdPattern?.test(data.toString('latin1'))) {
        held = [data];
        return this.held.push({ upstream, data: held });
      }
      if (this.trap?.test(data.toString('latin1'))) {
        this.trap = undefined;
        this.trapped++;
        return this.cut(pair);
      }
      upstream.write(data);
    });
    upstream.on('data', (data) => client.write(data));
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.cut(pair));
      socket.on('close', () => this.cut(pair));
    }
  }

  private cut(pair: { client: net.Socket; upstream: net.Socket }): void {
    this.pairs.delete(pair);
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
