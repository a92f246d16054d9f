import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WorkOS } from '@workos-inc/node';
import { Hono } from 'hono';
import { decodeJwt } from 'jose';
import { FetchSessionStorage, withAuthHandler } from '../../src/adapters/fetch.js';
import { authkit, type AuthkitEnv } from '../../src/adapters/hono.js';
import { appendHeaders, authkitMiddleware, NodeSessionStorage, type AuthkitRequest } from '../../src/adapters/node.node.js';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { createAuthService } from '../../src/service/factory.js';
import type { AuthService } from '../../src/service/AuthService.js';
import type { AdapterUnderTest, MiddlewareRun } from '../../src/testing/index.js';
import { cookieHeader } from '../../src/testing/index.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD } from '../helpers/emulator.js';
import { foreignKeyPair, signToken } from '../helpers/tokens.js';

/** Request header through which the kit's route cookies reach the test routes (a JSON array). */
export const ROUTE_COOKIES = 'x-route-set-cookies';

function routeCookies(value: string | string[] | null | undefined): string[] {
  return value ? (JSON.parse(String(value)) as string[]) : [];
}

function routeHeaders(cookie: string, routeSetCookies: string[]): Record<string, string> {
  return { ...(cookie ? { cookie } : {}), ...(routeSetCookies.length ? { [ROUTE_COOKIES]: JSON.stringify(routeSetCookies) } : {}) };
}

async function runOf(response: Response): Promise<MiddlewareRun> {
  const body = (await response.json()) as { user: { id: string } | null };
  return { setCookies: response.headers.getSetCookie(), headers: response.headers, user: body.user };
}

/** A Fetch `Request` with wire-encoded cookies. */
export function fetchRequest(cookies: Record<string, string>, headers: Record<string, string> = {}): Request {
  const cookie = cookieHeader(cookies);
  return new Request('http://localhost:3000/', { headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

const fetchIO = {
  makeStorage: (config: AuthKitConfig) => new FetchSessionStorage(config),
  makeRequest: (cookies: Record<string, string>) => fetchRequest(cookies),
  makeResponse: () => new Response('body'),
  readSetCookies: (response: Response) => response.headers.getSetCookie(),
  readHeader: (response: Response, name: string) => response.headers.get(name),
};

type FetchService = AuthService<Request, Response>;

/** The Fetch adapter and `withAuthHandler`. */
export const fetchAdapter: AdapterUnderTest<Request, Response, FetchService> = {
  name: 'fetch',
  ...fetchIO,
  async middleware(service, request, { routeSetCookies }) {
    const handler = withAuthHandler(service, (_request, auth) => {
      const response = Response.json({ user: auth.user ? { id: auth.user.id } : null });
      for (const line of routeSetCookies) response.headers.append('Set-Cookie', line);
      return response;
    });
    return runOf(await handler(request));
  },
};

/** A Hono app behind `authkit(service)` whose route appends the cookies named in {@link ROUTE_COOKIES}. */
export function honoApp(service: FetchService): Hono<AuthkitEnv> {
  const app = new Hono<AuthkitEnv>();
  app.use(authkit(service));
  app.get('*', (c) => {
    for (const line of routeCookies(c.req.header(ROUTE_COOKIES))) c.header('Set-Cookie', line, { append: true });
    const { user } = c.var.auth;
    return c.json({ user: user ? { id: user.id } : null, sessionUser: c.var.session?.user.id ?? null });
  });
  return app;
}

/** The Hono middleware, driven through `app.request`, over `FetchSessionStorage`; `app` may depend on the service. */
export function honoAdapter(
  app: Hono<AuthkitEnv> | ((service: FetchService) => Hono<AuthkitEnv>),
): AdapterUnderTest<Request, Response, FetchService> {
  return {
    name: 'hono',
    ...fetchIO,
    async middleware(service, _request, { cookieHeader: cookie, routeSetCookies }) {
      const target = typeof app === 'function' ? app(service) : app;
      return runOf(await target.request('/', { headers: routeHeaders(cookie, routeSetCookies) }));
    },
  };
}

/** An `IncomingMessage` carrying wire-encoded cookies (no socket traffic). */
export function nodeRequest(cookies: Record<string, string>): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  const cookie = cookieHeader(cookies);
  if (cookie) request.headers.cookie = cookie;
  return request;
}

/** A `ServerResponse` not attached to a connection: headers can be set and read back. */
export function nodeResponse(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

type NodeService = AuthService<IncomingMessage, ServerResponse>;

/** A node:http server running `authkitMiddleware`, then a route that appends the {@link ROUTE_COOKIES}. */
export async function startNodeServer(service: NodeService): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const middleware = authkitMiddleware(service);
  const server = createServer((req, res) => {
    middleware(req, res, (error) => {
      if (error) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: String(error) }));
        return;
      }
      appendHeaders(res, { 'Set-Cookie': routeCookies(req.headers[ROUTE_COOKIES]) });
      const { auth, authSession } = req as AuthkitRequest;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ user: auth.user ? { id: auth.user.id } : null, sessionUser: authSession?.user.id ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `NodeSessionStorage` and `authkitMiddleware`, driven over HTTP with `fetch`; `url` may depend on the service. */
export function nodeAdapter(
  url: string | ((service: NodeService) => string),
): AdapterUnderTest<IncomingMessage, ServerResponse, NodeService> {
  return {
    name: 'node',
    makeStorage: (config) => new NodeSessionStorage(config),
    makeRequest: nodeRequest,
    makeResponse: nodeResponse,
    readSetCookies: (response) => [response.getHeader('set-cookie') ?? []].flat().map(String),
    readHeader: (response, name) => {
      const value = response.getHeader(name);
      return value === undefined ? null : [value].flat().join(', ');
    },
    async middleware(service, _request, { cookieHeader: cookie, routeSetCookies }) {
      const target = typeof url === 'function' ? url(service) : url;
      return runOf(await fetch(target, { headers: routeHeaders(cookie, routeSetCookies) }));
    },
  };
}

/** A Fetch service and a Node service over the same emulator and configuration. */
export function services(config: AuthKitConfig): { fetch: FetchService; node: NodeService } {
  return {
    fetch: createAuthService<Request, Response>({ config, sessionStorageFactory: (c) => new FetchSessionStorage(c) }),
    node: createAuthService<IncomingMessage, ServerResponse>({ config, sessionStorageFactory: (c) => new NodeSessionStorage(c) }),
  };
}

let foreignKey: CryptoKey | undefined;

/**
 * A session that must refresh: a real refresh token from the emulator (password sign-in) with an expired
 * access token signed by a key outside the JWKS. A new refresh token on every call.
 */
export async function expiredCookie(port: number, apiKey: string): Promise<string> {
  const workos = new WorkOS(apiKey, { apiHostname: 'localhost', port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  foreignKey ??= (await foreignKeyPair()).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const accessToken = await signToken(foreignKey, { ...decodeJwt(auth.accessToken), iat: now - 7200, exp: now - 3600 }, { kid: 'foreign' });
  return sealData({ accessToken, refreshToken: auth.refreshToken, user: auth.user }, { password: COOKIE_PASSWORD });
}
