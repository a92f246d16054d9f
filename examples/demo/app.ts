import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { createAuthService, type AuthKitConfig, type AuthServiceOptions } from '../../src/index.js';
import { toFetchRequest, writeFetchResponse } from './bridge.js';
import { registerWebhook, WEBHOOK_PATH } from './control.js';
import { DEMO_EMAIL, DEMO_PASSWORD, startDemoEmulator } from './emulator.js';
import { withSession } from './middleware.js';
import { messagePage, type OrganizationChoice } from './pages.js';
import { describe, makeRoutes } from './routes.js';

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

function origin(server: Server): string {
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}
