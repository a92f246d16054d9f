import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeNow, listenOnLoopback, readBody } from './loopbackServer.js';

/** What the proxy does to a matching request. */
export type Fault =
  { kind: 'status'; status: number; retryAfter?: number; body?: unknown } | { kind: 'reset' } | { kind: 'hang' } | { kind: 'none' };

export interface FaultRule {
  /** Which requests the rule applies to (default: refresh-token grants). */
  match?: (request: { method: string; path: string; body: string }) => boolean;
  fault: Fault;
  /** How many matching requests to affect; default unlimited. */
  times?: number;
}

export interface ProxyStats {
  /** Refresh-token grants that reached the upstream, by upstream status. */
  refreshAccepted: number;
  refreshRejected: number;
  /** Refresh-token grants answered by a fault (never reached the upstream). */
  refreshFaulted: number;
  /** Every request seen, by path. */
  requests: Record<string, number>;
}

/** One request as the proxy received it. */
export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

/** The refresh-token grants in a proxy log, with their JSON bodies parsed. */
export function refreshGrants(log: readonly ProxiedRequest[]): Record<string, unknown>[] {
  return log.filter(isRefreshGrant).map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

/** True for `POST /user_management/authenticate` with `grant_type=refresh_token`. */
export function isRefreshGrant(request: { method: string; path: string; body: string }): boolean {
  return request.method === 'POST' && request.path.startsWith('/user_management/authenticate') && request.body.includes('refresh_token');
}

/**
 * A small HTTP proxy in front of the emulator that injects faults the emulator cannot produce
 * (429 with Retry-After, 5xx, connection resets, hangs, added latency) and counts refresh grants.
 */
export class FaultProxy {
  latencyMs = 0;
  rules: FaultRule[] = [];
  stats: ProxyStats = FaultProxy.emptyStats();
  /** Every request seen, in order, with its body: what WorkOS would have received. */
  log: ProxiedRequest[] = [];
  private server: http.Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly hung = new Set<http.ServerResponse>();

  constructor(private readonly upstreamPort: number) {}

  static emptyStats(): ProxyStats {
    return { refreshAccepted: 0, refreshRejected: 0, refreshFaulted: 0, requests: {} };
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await listenOnLoopback(this.server, this.sockets);
    return this;
  }

  reset(): void {
    this.latencyMs = 0;
    this.rules = [];
    this.stats = FaultProxy.emptyStats();
    this.log = [];
    this.releaseHung();
  }

  /** Ends requests held by a `hang` fault (with a 504), so nothing is left open. */
  releaseHung(): void {
    for (const res of this.hung) if (!res.writableEnded) res.writeHead(504).end();
    this.hung.clear();
  }

  async close(): Promise<void> {
    this.releaseHung();
    await closeNow(this.server, this.sockets);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const info = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
    this.log.push(info);
    const pathname = info.path.split('?')[0] as string;
    this.stats.requests[pathname] = (this.stats.requests[pathname] ?? 0) + 1;
    const refresh = isRefreshGrant(info);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    const rule = this.rules.find((r) => (r.match ?? isRefreshGrant)(info) && (r.times === undefined || r.times > 0));
    if (rule && rule.fault.kind !== 'none') {
      if (rule.times !== undefined) rule.times -= 1;
      if (refresh) this.stats.refreshFaulted += 1;
      const fault = rule.fault;
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'hang') {
        this.hung.add(res);
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      res.writeHead(fault.status, headers).end(JSON.stringify(fault.body ?? { message: `Injected ${fault.status}` }));
      return;
    }

    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: this.upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `localhost:${this.upstreamPort}` },
      },
      (up) => {
        if (refresh) {
          if ((up.statusCode ?? 500) < 400) this.stats.refreshAccepted += 1;
          else this.stats.refreshRejected += 1;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}
