/**
 * One `node:http` server of `npm run bench:http`, in a process of its own so its CPU time is its own. Driven by
 * bench/http.ts over IPC:
 *   init  { kind, apiPort, apiKey, issuer, redisUrl? }  starts the server, replies { port }
 *   usage                                               replies { cpuUs, rssBytes, heapBytes }
 * Kinds: `floor` (no auth: answers 200), `floor-fetch` (no auth, through the Node↔Fetch bridge),
 * `ours` (Node adapter middleware), `ours-fetch` (FetchSessionStorage + withAuth behind the bridge),
 * `ours-handler` (withAuthHandler behind the bridge), `anchor` (0.7.1 with a node:http storage).
 * Every authenticating kind answers 200 when signed in and 401 otherwise, so the load generator counts failures.
 * With `alternateEvery`, an authenticating kind alternates with its own stack's no-auth floor (`floor` for `ours`,
 * `floor-fetch` for the Fetch kinds) every that many requests (bench/lib/slices.ts); IPC `slices` replies with
 * the CPU per request of each slice so far.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkOS } from '@workos-inc/node';
import * as anchor from 'anchor-authkit-session';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { withAuthHandler } from '../../src/adapters/fetchMiddleware.js';
import { authkitMiddleware, getAuth } from '../../src/adapters/nodeMiddleware.node.js';
import { NodeSessionStorage } from '../../src/adapters/node.node.js';
import { createAuthService } from '../../src/index.node.js';
import { parseCookieHeader } from '../../src/core/session/parseCookieHeader.js';
import { AlternatingSlices } from './slices.js';
import { CLIENT_ID, COOKIE_PASSWORD, configFor, REDIRECT_URI } from '../../test/helpers/emulator.js';

export type ServerKind = 'floor' | 'floor-fetch' | 'ours' | 'ours-fetch' | 'ours-handler' | 'anchor';
export interface ServerInit {
  kind: ServerKind;
  apiPort: number;
  apiKey: string;
  issuer: string;
  redisUrl?: string;
  /** Alternate with this kind's no-auth floor every that many requests, timing each slice (bench/lib/slices.ts). */
  alternateEvery?: number;
}
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const send = (res: ServerResponse, status: number) => {
  res.statusCode = status;
  res.end(status === 200 ? 'ok' : 'signed out');
};

/** node:http → Fetch `Request` → handler → `Response` → node:http, the way Fetch-first frameworks run on Node. */
function bridge(fetchHandler: (request: Request) => Promise<Response>): Handler {
  return (req, res) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { method: req.method, headers });
    fetchHandler(request).then(
      async (response) => {
        res.statusCode = response.status;
        for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) res.setHeader('set-cookie', cookies);
        res.end(Buffer.from(await response.arrayBuffer()));
      },
      () => send(res, 500),
    );
  };
}

let fellBack = false;

/**
 * With Redis, loads the store and connects before the timed part: a first call that outlives the 250 ms
 * bound sends the service to its in-memory fallback for 5 s, which would hide the Redis traffic.
 */
async function connectRedis(service: {
  getCore(): Promise<{ revokeSession(id: string, ttlSeconds?: number): Promise<void> }>;
}): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    fellBack = false;
    await (await service.getCore()).revokeSession('bench-warm-up', 1);
    if (!fellBack) return;
    await new Promise((resolve) => setTimeout(resolve, 5_200));
  }
}

let slices: AlternatingSlices | undefined;

/** The kind's handler, alternating with its stack's no-auth floor when `init.alternateEvery` asks for it. */
async function handlerFor(init: ServerInit): Promise<Handler> {
  const handler = await kindHandler(init);
  if (!init.alternateEvery) return handler;
  const floor = await kindHandler({ ...init, kind: init.kind === 'ours' ? 'floor' : 'floor-fetch' });
  slices = new AlternatingSlices(init.alternateEvery);
  return slices.handler(floor, handler);
}

async function kindHandler(init: ServerInit): Promise<Handler> {
  const config = configFor(init.apiPort, init.apiKey, { issuer: init.issuer, ...(init.redisUrl ? { redisUrl: init.redisUrl } : {}) });
  switch (init.kind) {
    case 'floor':
      return (req, res) => send(res, req.headers.cookie ? 200 : 401);
    case 'floor-fetch':
      return bridge(async (request) => new Response(request.headers.get('cookie') ? 'ok' : 'signed out'));
    case 'ours': {
      const service = createAuthService<IncomingMessage, ServerResponse>({
        config,
        sessionStorageFactory: (c) => new NodeSessionStorage(c),
        onEvent: (event) => {
          if (event.type === 'coordination.fallback') fellBack = true;
          if (process.env.BENCH_DEBUG) console.error(JSON.stringify(event));
        },
      });
      if (init.redisUrl) await connectRedis(service);
      const middleware = authkitMiddleware(service);
      return (req, res) => middleware(req, res, (error) => send(res, error ? 500 : getAuth(req).user ? 200 : 401));
    }
    case 'ours-fetch': {
      const service = createAuthService<Request, Response>({ config, sessionStorageFactory: (c) => new FetchSessionStorage(c) });
      return bridge(async (request) => {
        const { auth } = await service.withAuth(request);
        return new Response(auth.user ? 'ok' : 'signed out', { status: auth.user ? 200 : 401 });
      });
    }
    case 'ours-handler': {
      const service = createAuthService<Request, Response>({ config, sessionStorageFactory: (c) => new FetchSessionStorage(c) });
      return bridge(
        withAuthHandler(service, (_request, auth) => new Response(auth.user ? 'ok' : 'signed out', { status: auth.user ? 200 : 401 })),
      );
    }
    case 'anchor':
      return anchorHandler(init);
  }
}

/** @workos/authkit-session 0.7.1 on node:http: its CookieSessionStorage reading `req.headers.cookie`. */
function anchorHandler(init: ServerInit): Handler {
  class AnchorNodeStorage extends anchor.CookieSessionStorage<IncomingMessage, ServerResponse> {
    async getCookie(request: IncomingMessage, name: string): Promise<string | null> {
      return parseCookieHeader(request.headers.cookie)[name] ?? null;
    }
  }
  anchor.configure({
    clientId: CLIENT_ID,
    apiKey: init.apiKey,
    redirectUri: REDIRECT_URI,
    cookiePassword: COOKIE_PASSWORD,
    apiHostname: 'localhost',
    apiHttps: false,
    apiPort: init.apiPort,
  });
  const client = new WorkOS(init.apiKey, { apiHostname: 'localhost', port: init.apiPort, https: false, clientId: CLIENT_ID });
  const service = anchor.createAuthService<IncomingMessage, ServerResponse>({
    sessionStorageFactory: (c) => new AnchorNodeStorage(c),
    clientFactory: () => client,
  });
  return (req, res) => {
    service.withAuth(req).then(
      ({ auth }) => send(res, auth.user ? 200 : 401),
      () => send(res, 500),
    );
  };
}

// Closed with SIGTERM: exit through process.exit so that a --cpu-prof profile is written.
process.on('SIGTERM', () => process.exit(0));

process.on('message', (message: { type: 'init'; init: ServerInit } | { type: 'usage' } | { type: 'slices' }) => {
  if (message.type === 'init') {
    void handlerFor(message.init).then((handler) => {
      const server = createServer({ keepAlive: true }, handler);
      server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port }));
    });
  } else if (message.type === 'slices') {
    process.send?.({ type: 'slices', ...(slices?.take() ?? { floor: [], auth: [] }) });
  } else {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    process.send?.({ type: 'usage', cpuUs: cpu.user + cpu.system, rssBytes: memory.rss, heapBytes: memory.heapUsed });
  }
});
