import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authkitMiddleware, getAuth, NodeSessionStorage } from '../../src/adapters/node.node.js';
import { createAuthService } from '../../src/service/factory.js';
import { followAuthorize } from '../helpers/authorize.js';
import { BrowserJar } from '../helpers/browserJar.js';
import { configFor, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';

const STARTS = 300;

/**
 * Issue 19.2: every browser-bound sign-in start adds a 10-minute flow cookie. A page that keeps opening
 * `/login` must not push the browser's `Cookie` header past proxy limits (8 KB) or Node's (16 KB, HTTP 431):
 * pending flows stay bounded, the oldest evicted, and the newest flow still completes.
 */
describe('pending sign-in flows from one browser', () => {
  const ctx = useEmulator();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const service = createAuthService<IncomingMessage, ServerResponse>({
      config: configFor(ctx.em.port, ctx.em.apiKey, { redirectUri: `http://localhost:${new URL(base).port}/callback` }),
      sessionStorageFactory: (config) => new NodeSessionStorage(config),
    });
    const middleware = authkitMiddleware(service);
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      middleware(req, res, async (error) => {
        if (error) return void res.writeHead(500).end();
        const url = new URL(req.url ?? '/', base);
        if (url.pathname === '/login') {
          const { url: signInUrl } = await service.createSignIn(res, { loginHint: DEMO_EMAIL, request: req });
          return void res.writeHead(302, { Location: signInUrl }).end();
        }
        if (url.pathname === '/callback') {
          await service.handleCallback(req, res, {
            code: url.searchParams.get('code') ?? '',
            state: url.searchParams.get('state') ?? undefined,
          });
          return void res.writeHead(302, { Location: '/' }).end();
        }
        const auth = getAuth(req);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ email: auth.user?.email ?? null }));
      }),
    );
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it(`${STARTS} starts keep the Cookie header bounded; the last flow completes`, async () => {
    const jar = new BrowserJar();
    let lastLocation = '';
    let largest = 0;
    for (let i = 0; i < STARTS; i++) {
      const cookie = await jar.header(base);
      largest = Math.max(largest, cookie.length);
      const response = await fetch(`${base}/login`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      expect(response.status).toBe(302);
      await jar.store(base, response.headers.getSetCookie());
      lastLocation = response.headers.get('location') as string;
    }
    const pending = (await jar.names(base)).filter((name) => name.includes('wos-auth-verifier'));
    expect(pending.length).toBe(5);
    expect(largest).toBeLessThan(8192);

    const { callback } = await followAuthorize(lastLocation);
    const callbackUrl = `${base}${callback.pathname}${callback.search}`;
    const cookie = await jar.header(callbackUrl);
    const finished = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });
    expect(finished.status).toBe(302);
    await jar.store(callbackUrl, finished.headers.getSetCookie());
    const home = await fetch(`${base}/`, { headers: { cookie: await jar.header(base) } });
    expect(await home.json()).toEqual({ email: DEMO_EMAIL });
  }, 120_000);
});
