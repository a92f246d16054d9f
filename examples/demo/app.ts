import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import {
  AuthKitError,
  checkRequestCsrf,
  createAuthService,
  type AuthKitConfig,
  type AuthService,
  type AuthServiceOptions,
} from '../../src/index.js';
import { toFetchRequest, writeFetchResponse } from './bridge.js';
import { controlRoutes, registerWebhook, WEBHOOK_PATH } from './control.js';
import { DEMO_EMAIL, DEMO_PASSWORD, startDemoEmulator } from './emulator.js';
import { withSession, type Handler, type RequestContext } from './middleware.js';
import { dashboardPage, homePage, messagePage, redirect, type OrganizationChoice } from './pages.js';

export interface Demo {
  /** `http://localhost:<port>` */
  url: string;
  port: number;
  /** The emulated WorkOS API, and its API key (to change WorkOS state as the dashboard would). */
  emulatorUrl: string;
  emulatorApiKey: string;
  email: string;
  password: string;
  organizations: OrganizationChoice[];
  close(): Promise<void>;
}

/**
 * Starts the WorkOS emulator and the demo server on `port` (0 picks a free one). Sign-in needs no
 * account: the emulator's hosted sign-in answers straight back to `/callback` for the demo user.
 * `config` overrides library options (e.g. `refreshBufferSeconds: 3600` refreshes on every request);
 * `service` passes seams to `createAuthService` (the browser tests inject a `clock` and a counting `fetch`).
 */
export async function startDemo({
  port = 3000,
  config: overrides = {},
  service: seams = {},
}: {
  port?: number;
  config?: Partial<AuthKitConfig>;
  service?: Pick<AuthServiceOptions, 'clock' | 'fetch' | 'onEvent'>;
} = {}): Promise<Demo> {
  const emulator = await startDemoEmulator();
  let handle: ((request: Request) => Promise<Response>) | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const request = await toFetchRequest(req, origin(server));
      const response = handle ? await handle(request) : messagePage('Starting', 'The demo is starting.', 503);
      await writeFetchResponse(res, response);
    })().catch((error: unknown) => {
      console.error('request failed:', describe(error));
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve());
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const url = origin(server);
  // WorkOS events (session revoked, role changed) reach every page's next request through the webhook.
  const webhookSecret = randomBytes(32).toString('hex');
  await registerWebhook(emulator, `${url}${WEBHOOK_PATH}`, webhookSecret);
  const service = createAuthService<Request, Response>({
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
    config: {
      clientId: 'client_authkit_session_demo',
      apiKey: emulator.apiKey,
      redirectUri: `${url}/callback`,
      // A fresh password per start: sessions from a previous run read as `invalid_cookie` and are cleared.
      cookiePassword: randomBytes(32).toString('base64url'),
      apiHostname: 'localhost',
      apiPort: emulator.port,
      apiHttps: false,
      webhookSecret,
      ...overrides,
    },
    ...seams,
  });
  const organizations = Object.entries(emulator.organizations)
    .map(([name, id]) => ({ name, id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const routes = makeRoutes(service, url, organizations, seams.clock ?? Date.now);
  handle = (request) => {
    const { pathname } = new URL(request.url);
    // Server-to-server and signed: no cookie, no CSRF check.
    if (pathname === WEBHOOK_PATH) return service.handleWorkOSWebhook(request);
    const route = routes[`${request.method} ${pathname}`];
    return withSession(service, request, route ?? (async () => messagePage('Not found', `No page at ${pathname}.`, 404)));
  };
  return {
    url,
    port: (server.address() as AddressInfo).port,
    emulatorUrl: emulator.url,
    emulatorApiKey: emulator.apiKey,
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    organizations,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await emulator.close();
    },
  };
}

function makeRoutes(
  service: AuthService<Request, Response>,
  url: string,
  organizations: OrganizationChoice[],
  now: () => number,
): Record<string, Handler> {
  // Sign-out and every other state-changing route: POST only, and never from another site (a link, an
  // image or a form elsewhere must not sign the user out or switch their organization).
  const crossSite = (request: Request): boolean => !checkRequestCsrf(request, [url]).ok;
  const signOut: Handler = async ({ request, auth }) => {
    if (crossSite(request)) return messagePage('Forbidden', 'Cross-site request refused.', 403);
    // Without a session id (already signed out) the cookie is still cleared and logoutUrl is returnTo.
    const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', { returnTo: `${url}/` });
    const response = redirect(logoutUrl, undefined, 303);
    for (const cookie of [headers?.['Set-Cookie'] ?? []].flat()) response.headers.append('Set-Cookie', cookie);
    return response;
  };
  return {
    'GET /': async ({ auth }) => homePage(auth),
    'GET /login': async () => {
      // Bound sign-in: the per-flow cookie makes the callback work only in this browser.
      const { url: signInUrl, headers } = await service.createSignIn(undefined, { returnPathname: '/dashboard' });
      const response = redirect(signInUrl);
      for (const cookie of [headers?.['Set-Cookie'] ?? []].flat()) response.headers.append('Set-Cookie', cookie);
      return response;
    },
    'GET /callback': async ({ request, url: { searchParams } }) => {
      const code = searchParams.get('code');
      if (!code) return messagePage('Sign-in failed', `WorkOS answered: ${searchParams.get('error') ?? 'no code'}`, 400);
      try {
        const result = await service.handleCallback(request, new Response(null), { code, state: searchParams.get('state') ?? undefined });
        return redirect(result.returnPathname, result.response);
      } catch (error) {
        return messagePage('Sign-in failed', describe(error), 400);
      }
    },
    'GET /dashboard': async ({ auth }) => {
      if (auth.user) return dashboardPage(auth, organizations, now());
      // A transient failure keeps the cookie: ask to retry instead of sending the user to sign in again.
      if (auth.retryable)
        return messagePage('Try again', `WorkOS is unreachable right now (${auth.reason}); you are still signed in.`, 503);
      return redirect('/login');
    },
    'POST /switch-org': async (context) => {
      const { request, auth } = context;
      if (crossSite(request)) return messagePage('Forbidden', 'Cross-site request refused.', 403);
      if (!auth.user) return redirect('/login', undefined, 303);
      const organizationId = new URLSearchParams(await request.text()).get('organizationId') ?? '';
      if (!organizations.some((o) => o.id === organizationId)) return messagePage('Bad request', 'Unknown organization.', 400);
      const { session } = context;
      if (!session) return redirect('/login', undefined, 303);
      try {
        const { encryptedSession } = await service.switchOrganization(session, organizationId);
        const saved = await service.saveSession(redirect('/dashboard', undefined, 303), encryptedSession);
        return saved.response ?? redirect('/dashboard', undefined, 303);
      } catch (error) {
        return messagePage('Could not switch organization', describe(error), 502);
      }
    },
    // What a page's script would call: the signed-in user as JSON, or 401 with the reason.
    'GET /api/me': async ({ auth }) => {
      if (!auth.user) return Response.json({ reason: auth.reason, retryable: auth.retryable }, { status: 401 });
      const organization = organizations.find((o) => o.id === auth.organizationId)?.name ?? null;
      const { iat, exp } = auth.claims;
      return Response.json({
        email: auth.user.email,
        organization,
        role: auth.role ?? null,
        accessToken: { issuedAt: iat, expiresAt: exp },
      });
    },
    'POST /logout': signOut,
    ...controlRoutes(service, crossSite),
  };
}

/**
 * The session to act on. After `withAuth` refreshed it in this request, the request's cookie holds a spent
 * refresh token, so open the re-sealed session instead.
 */
function origin(server: Server): string {
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** A log- and page-safe description: the error code and message only (the library keeps secrets out of both). */
function describe(error: unknown): string {
  if (error instanceof AuthKitError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
