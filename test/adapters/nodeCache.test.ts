import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authkitMiddleware, getAuth, NodeSessionStorage, type NextFunction } from '../../src/adapters/node.node.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { setCookieValue } from '../helpers/requests.js';
import { enforcePrivateCache } from '../../src/adapters/nodeCacheRule.node.js';
import { expiredCookie, nodeResponse } from './harness.js';

// Attack: a route that marks its answer shared-cacheable (`Cache-Control: public`) while the response carries
// a refreshed session cookie or an authenticated user's data. A shared cache would hand both to the next visitor.
const ctx = useEmulator();
const PUBLIC = 'public, max-age=600';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const ROUTES: Record<string, Route> = {
  setHeader: (req, res) => {
    res.setHeader('Cache-Control', PUBLIC);
    res.end(getAuth(req).user?.email ?? 'anonymous');
  },
  writeHead: (req, res) =>
    res.writeHead(200, { 'Cache-Control': PUBLIC, Vary: 'Accept-Encoding' }).end(getAuth(req).user?.email ?? 'anonymous'),
  rawWriteHead: (req, res) => res.writeHead(200, ['Cache-Control', PUBLIC]).end(getAuth(req).user?.email ?? 'anonymous'),
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each([true, false])('authkitMiddleware with cacheHeaders: %s, a route that sets Cache-Control: public', (cacheHeaders) => {
  const servers: Server[] = [];
  const bases: Record<string, string> = {};
  beforeAll(async () => {
    const service = createAuthService<IncomingMessage, ServerResponse>({
      config: configFor(ctx.em.port, ctx.em.apiKey),
      sessionStorageFactory: (config) => new NodeSessionStorage(config),
    });
    const middleware = authkitMiddleware(service, { cacheHeaders });
    const plain = createServer((req, res) =>
      middleware(req, res, (error?: unknown) => {
        if (error) return void res.writeHead(500).end();
        (ROUTES[new URL(req.url ?? '/', 'http://x').pathname.slice(1)] ?? ROUTES.setHeader)!(req, res);
      }),
    );
    const app = express();
    app.use(middleware as (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void);
    app.get('/express', (req, res) => {
      res.set('Cache-Control', PUBLIC).send(getAuth(req).user?.email ?? 'anonymous');
    });
    const expressServer = createServer(app);
    servers.push(plain, expressServer);
    bases.plain = await listen(plain);
    bases.express = await listen(expressServer);
  });
  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const paths = [
    ['plain', '/setHeader'],
    ['plain', '/writeHead'],
    ['plain', '/rawWriteHead'],
    ['express', '/express'],
  ] as const;

  it.each(paths)('%s %s: a response carrying a refreshed session cookie is private', async (server, path) => {
    const cookie = encodeURIComponent(await expiredCookie(ctx.em.port, ctx.em.apiKey));
    const response = await fetch(`${bases[server]}${path}`, { headers: { cookie: `wos-session=${cookie}` } });
    expect(await response.text()).toBe(DEMO_EMAIL);
    expect(response.headers.getSetCookie().some((line) => line.startsWith('wos-session='))).toBe(true);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
  });

  it.each(paths)('%s %s: an authenticated page without a new cookie is private', async (server, path) => {
    // A current session: the refreshed cookie of a first request.
    const first = await fetch(`${bases[server]}${path}`, {
      headers: { cookie: `wos-session=${encodeURIComponent(await expiredCookie(ctx.em.port, ctx.em.apiKey))}` },
    });
    const line = first.headers.getSetCookie().find((l) => l.startsWith('wos-session=')) as string;
    const response = await fetch(`${bases[server]}${path}`, { headers: { cookie: `wos-session=${setCookieValue(line)}` } });
    expect(await response.text()).toBe(DEMO_EMAIL);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
  });

  it.each(paths)("%s %s: an anonymous page keeps the route's choice only when cacheHeaders is off", async (server, path) => {
    const response = await fetch(`${bases[server]}${path}`);
    expect(await response.text()).toBe('anonymous');
    expect(response.headers.get('cache-control')).toBe(cacheHeaders ? 'private, no-store' : PUBLIC);
  });
});

describe('enforcePrivateCache applied twice to one response', () => {
  it('widens the rule, and a wrapper of writeHead between the two calls does not make writeHead call itself', () => {
    const res = nodeResponse();
    enforcePrivateCache(res, { always: false, authenticated: false });
    // Another middleware wraps writeHead (as on-headers does), then the rule is applied again.
    const wrapped = res.writeHead;
    let wrapperRan = 0;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      wrapperRan++;
      return (wrapped as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    enforcePrivateCache(res, { always: false, authenticated: true });
    res.setHeader('Cache-Control', PUBLIC);
    res.writeHead(200, { Vary: 'Accept-Encoding' });
    expect(wrapperRan).toBe(1);
    expect(res.getHeader('cache-control')).toBe('private, no-store');
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Cookie');
  });
});
