import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendHeaders,
  authkitMiddleware,
  getAuth,
  getAuthSession,
  NodeSessionStorage,
  type AuthkitRequest,
  type NodeAuthService,
} from '../../src/adapters/node.node.js';
import { createAuthService } from '../../src/service/factory.js';
import { CookieJar } from '../../src/testing/index.js';
import { configFor, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { followAuthorize } from '../helpers/authorize.js';
import { expiredCookie, nodeRequest, nodeResponse } from './harness.js';

const ctx = useEmulator();
const CONFIG = configFor(1, 'sk_test_1');

function nodeService() {
  return createAuthService<IncomingMessage, ServerResponse>({
    config: configFor(ctx.em.port, ctx.em.apiKey),
    sessionStorageFactory: (config) => new NodeSessionStorage(config),
  });
}

/** Runs the middleware and resolves with what `next` received. */
function runMiddleware(middleware: ReturnType<typeof authkitMiddleware>, req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  return new Promise((resolve) => middleware(req, res, resolve));
}

describe('NodeSessionStorage', () => {
  const storage = new NodeSessionStorage(CONFIG);

  it('reads cookies from req.headers.cookie, URL-decoded', async () => {
    const req = nodeRequest({ other: '1', 'wos-session': encodeURIComponent('Fe26.2*a b~2') });
    expect(await storage.getSession(req)).toBe('Fe26.2*a b~2');
    expect(await storage.getCookie(req, 'other')).toBe('1');
    expect(await storage.getSession(nodeRequest({}))).toBeNull();
  });

  it('appends Set-Cookie after cookies already set (string or array), merges Vary, sets the rest', async () => {
    const res = nodeResponse();
    res.setHeader('Set-Cookie', 'theme=dark');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'public, max-age=60');
    const { response, headers } = await storage.saveSession(res, 'Fe26.2*small~2');
    expect(response).toBe(res);
    expect(headers).toBeUndefined();
    const cookies = res.getHeader('set-cookie') as string[];
    expect(cookies[0]).toBe('theme=dark');
    expect(cookies[1]).toMatch(/^wos-session=Fe26\.2\*small~2;/);
    expect(cookies.slice(2).every((line) => /^wos-session\.\d+=; Max-Age=0/.test(line))).toBe(true);
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Cookie');
    expect(res.getHeader('cache-control')).toBe('private, no-store');
  });

  it('returns a headers bag without a response, and appendHeaders writes one', async () => {
    const { response, headers } = await storage.clearSession(undefined, {
      request: nodeRequest({ 'wos-session.1': 'x', 'wos-session.2': 'y' }),
    });
    expect(response).toBeUndefined();
    const res = appendHeaders(nodeResponse(), headers ?? {});
    expect(res.getHeader('set-cookie')).toEqual([
      expect.stringMatching(/^wos-session=; Max-Age=0/),
      expect.stringMatching(/^wos-session\.1=; Max-Age=0/),
      expect.stringMatching(/^wos-session\.2=; Max-Age=0/),
    ]);
    expect(appendHeaders(res, { Vary: 'cookie' }).getHeader('vary')).toBe('Cookie');
  });
});

describe('authkitMiddleware', () => {
  it('sets req.auth, res.locals.auth and req.authSession, persists a refresh before next, marks the response private', async () => {
    const service = nodeService();
    const req = nodeRequest({ 'wos-session': encodeURIComponent(await expiredCookie(ctx.em.port, ctx.em.apiKey)) });
    const res = Object.assign(nodeResponse(), { locals: {} as Record<string, unknown> });
    const error = await runMiddleware(authkitMiddleware(service), req, res);
    expect(error).toBeUndefined();
    const { auth, authSession } = req as AuthkitRequest;
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(res.locals.auth).toBe(auth);
    expect(authSession?.accessToken).toBe(auth.user ? auth.accessToken : undefined);
    const jar = new CookieJar().apply([res.getHeader('set-cookie') ?? []].flat().map(String));
    expect(jar.cookies.get('wos-session')).toBeTypeOf('string');
    expect(res.getHeader('cache-control')).toBe('private, no-store');
    expect(res.getHeader('vary')).toBe('Cookie');
    // The saved cookie is the refreshed session: it authenticates without another refresh.
    const again = await service.withAuth(nodeRequest(jar.wire()));
    expect(again.auth.user?.email).toBe(DEMO_EMAIL);
    expect(again.refreshedSessionData).toBeUndefined();
  });

  it('leaves the cookie alone on a transient failure and writes nothing for anonymous requests', async () => {
    const unreachable = createAuthService<IncomingMessage, ServerResponse>({
      config: configFor(1, ctx.em.apiKey, { apiTimeoutMs: 200 }),
      sessionStorageFactory: (config) => new NodeSessionStorage(config),
    });
    const req = nodeRequest({ 'wos-session': encodeURIComponent(await expiredCookie(ctx.em.port, ctx.em.apiKey)) });
    const res = nodeResponse();
    await runMiddleware(authkitMiddleware(unreachable), req, res);
    expect((req as AuthkitRequest).auth).toMatchObject({ user: null, retryable: true });
    expect(res.getHeader('set-cookie')).toBeUndefined();
    const anonymous = nodeResponse();
    await runMiddleware(authkitMiddleware(nodeService(), { cacheHeaders: false }), nodeRequest({}), anonymous);
    expect(anonymous.getHeaders()).toEqual({});
  });

  it('getAuth and getAuthSession read what the middleware stored; getAuth throws where it did not run', async () => {
    const req = nodeRequest({});
    expect(() => getAuth(req)).toThrow(expect.objectContaining({ code: 'unexpected' }));
    await runMiddleware(authkitMiddleware(nodeService()), req, nodeResponse());
    expect(getAuth(req)).toEqual({ user: null, reason: 'no_session', retryable: false });
    expect(getAuthSession(req)).toBeUndefined();
  });

  it('passes errors to next', async () => {
    const failing: NodeAuthService = {
      withAuth: () => Promise.reject(new Error('boom')),
      saveSession: () => Promise.reject(new Error('unused')),
      clearSession: () => Promise.reject(new Error('unused')),
    };
    expect(await runMiddleware(authkitMiddleware(failing), nodeRequest({}), nodeResponse())).toMatchObject({ message: 'boom' });
  });

  describe('on a node:http server', () => {
    let base: string;
    let server: Server;
    beforeAll(async () => {
      const service = nodeService();
      const middleware = authkitMiddleware(service);
      server = createServer((req, res) =>
        middleware(req, res, async (error) => {
          if (error) return void res.writeHead(500).end();
          const { auth } = req as AuthkitRequest;
          const url = new URL(req.url ?? '/', 'http://localhost');
          if (url.pathname === '/login') {
            const { url: signInUrl } = await service.createSignIn(res);
            return void res.writeHead(302, { Location: signInUrl }).end();
          }
          if (url.pathname === '/callback') {
            const code = url.searchParams.get('code') ?? '';
            await service.handleCallback(req, res, { code, state: url.searchParams.get('state') ?? undefined });
            return void res.writeHead(302, { Location: '/' }).end();
          }
          if (url.pathname === '/logout') {
            const { headers } = await service.signOut(auth.user ? auth.sessionId : '');
            return void appendHeaders(res, headers ?? {})
              .writeHead(302, { Location: '/' })
              .end();
          }
          res.end(auth.user ? auth.user.email : `signed out (${auth.reason})`);
        }),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('signs in with the browser-bound flow, authenticates, signs out', async () => {
      const jar = new CookieJar();
      const get = async (path: string) => {
        const response = await fetch(new URL(path, base), {
          headers: {
            cookie: Object.entries(jar.wire())
              .map(([k, v]) => `${k}=${v}`)
              .join('; '),
          },
          redirect: 'manual',
        });
        jar.apply(response.headers.getSetCookie());
        return response;
      };
      const login = await get('/login');
      expect(login.status).toBe(302);
      expect([...jar.cookies.keys()]).toEqual([expect.stringMatching(/^wos-auth-verifier-/)]);
      const { callback } = await followAuthorize(login.headers.get('location') as string);
      expect((await get(`/callback${callback.search}`)).status).toBe(302);
      expect([...jar.cookies.keys()]).toEqual(['wos-session']);
      const home = await get('/');
      expect(await home.text()).toBe(DEMO_EMAIL);
      expect(home.headers.get('cache-control')).toBe('private, no-store');
      await get('/logout');
      expect(jar.cookies.size).toBe(0);
      expect(await (await get('/')).text()).toBe('signed out (no_session)');
    });
  });
});
