import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { closeNow, listenOnLoopback, readBody } from '../loopbackServer.js';

/**
 * A small round-robin HTTP load balancer on loopback, without session affinity: each request goes to the
 * next backend in turn. A backend that refuses the connection (a dead process) is skipped for that request,
 * as load balancers do; a request lost in flight (the process died under it) answers 502.
 */
export class RoundRobinBalancer {
  /** Backend ports; replace an entry to point at a restarted process. */
  readonly backends: number[];
  /** Requests answered 502 because no backend took them or the backend died mid-request. */
  badGateway = 0;
  private next = 0;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(backends: number[]) {
    this.backends = [...backends];
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await listenOnLoopback(this.server, this.sockets);
    return this;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await closeNow(this.server, this.sockets);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    for (let attempt = 0; attempt < this.backends.length; attempt++) {
      const port = this.backends[this.next % this.backends.length] as number;
      this.next = (this.next + 1) % this.backends.length;
      const outcome = await this.forward(port, req, body, res);
      if (outcome !== 'refused') return;
    }
    this.badGateway += 1;
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ reason: 'bad_gateway', retryable: true }));
  }

  /** Forwards one request; 'refused' when the backend did not take the connection (try the next one). */
  private forward(port: number, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<'done' | 'refused'> {
    return new Promise((resolve) => {
      const upstream = http.request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => resolve('done'));
          answer.on('error', () => {
            res.destroy();
            resolve('done');
          });
        },
      );
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') return resolve('refused');
        if (!res.headersSent) {
          this.badGateway += 1;
          res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ reason: 'bad_gateway', retryable: true }));
        } else res.destroy();
        resolve('done');
      });
      upstream.end(body);
    });
  }
}
