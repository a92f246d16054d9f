/**
 * One server process of the chaos soak (test/helpers/chaos/run.ts), driven over IPC (test/helpers/workers.ts):
 * the Node adapter's `authkitMiddleware` behind `node:http`, coordinating through a shared Redis.
 *   init  { proxyPort, apiKey, issuer, redisUrl, refreshBufferSeconds, apiTimeoutMs }  starts the HTTP server
 *         on a free loopback port; replies { port }
 *   stats  replies { memory (after a full GC), exceptions, events }
 * Routes: GET /login (bound sign-in), GET /callback, GET /page, POST /signout, POST /admin/revoke?sid=….
 * Every answer is JSON; an unauthenticated page answers 401 (terminal reason) or 503 (retryable reason).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { appendHeaders, authkitMiddleware, getAuth, NodeSessionStorage } from '../../../src/adapters/node.node.js';
import { createAuthService } from '../../../src/service/factory.js';
import type { AuthService } from '../../../src/service/AuthService.js';
import { configFor, DEMO_EMAIL } from '../emulator.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Service = AuthService<IncomingMessage, ServerResponse>;
const counts = { exceptions: 0, events: {} as Record<string, number>, exceptionMessages: [] as string[] };

function exception(error: unknown): void {
  counts.exceptions += 1;
  if (counts.exceptionMessages.length < 10)
    counts.exceptionMessages.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
process.on('uncaughtException', exception);
process.on('unhandledRejection', exception);

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

async function route(service: Service, middleware: ReturnType<typeof authkitMiddleware>, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/login') {
    const { url: location } = await service.createSignIn(res, { loginHint: DEMO_EMAIL });
    res.statusCode = 302;
    res.setHeader('location', location);
    return void res.end();
  }
  if (url.pathname === '/callback') {
    const code = url.searchParams.get('code') ?? '';
    const state = url.searchParams.get('state') ?? undefined;
    try {
      const result = await service.handleCallback(req, res, { code, state });
      if (result.headers) appendHeaders(res, result.headers);
      const sid = (await service.getCore()).parseTokenClaims(result.authResponse.accessToken).sid;
      return json(res, 200, { sid });
    } catch (error) {
      return json(res, 503, { reason: (error as { code?: string }).code ?? 'unexpected', retryable: true });
    }
  }
  if (url.pathname === '/admin/revoke' && req.method === 'POST') {
    const sid = url.searchParams.get('sid') ?? '';
    try {
      await service.revokeSession(sid);
      return json(res, 200, { revoked: sid });
    } catch (error) {
      // The local record stands; WorkOS could not be told (a fault): the caller retries.
      return json(res, 503, { reason: (error as { code?: string }).code ?? 'unexpected', retryable: true });
    }
  }
  await new Promise<void>((resolve, reject) => middleware(req, res, (error) => (error ? reject(error) : resolve())));
  const auth = getAuth(req);
  if (url.pathname === '/signout' && req.method === 'POST') {
    if (!auth.user) return json(res, 401, { reason: auth.reason, retryable: auth.retryable });
    const { headers } = await service.signOut(auth.sessionId);
    if (headers) appendHeaders(res, headers);
    return json(res, 200, { signedOut: auth.sessionId });
  }
  if (url.pathname === '/page') {
    if (auth.user) return json(res, 200, { sid: auth.sessionId });
    const retryable = auth.retryable ?? false;
    return json(res, retryable ? 503 : 401, { reason: auth.reason, retryable });
  }
  return json(res, 404, { reason: 'not_found' });
}

async function start(command: Record<string, unknown>): Promise<number> {
  const { proxyPort, apiKey, issuer, redisUrl, refreshBufferSeconds, apiTimeoutMs } = command as {
    proxyPort: number;
    apiKey: string;
    issuer: string;
    redisUrl: string;
    refreshBufferSeconds: number;
    apiTimeoutMs: number;
  };
  const service = createAuthService<IncomingMessage, ServerResponse>({
    config: configFor(proxyPort, apiKey, { issuer, redisUrl, refreshBufferSeconds, apiTimeoutMs }),
    sessionStorageFactory: (config) => new NodeSessionStorage(config),
    onEvent: (event) => {
      const key = event.type === 'coordination.fallback' ? `${event.type} (${event.operation})` : event.type;
      counts.events[key] = (counts.events[key] ?? 0) + 1;
      // Rare events go to the harness as they happen, to explain logouts by what the servers saw.
      if (event.type === 'coordination.fallback') process.send?.({ type: 'event', event: key, at: Date.now() });
    },
  });
  const middleware = authkitMiddleware(service);
  const server = http.createServer((req, res) => {
    route(service, middleware, req, res).catch((error: unknown) => {
      exception(error);
      json(res, 500, { reason: 'exception' });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function handle(command: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (command.type) {
    case 'ping':
      return { type: 'pong' };
    case 'init':
      return { type: 'ready', port: await start(command) };
    case 'stats':
      gc();
      return { type: 'stats', memory: process.memoryUsage(), ...counts };
    default:
      throw new Error(`unknown command ${String(command.type)}`);
  }
}

process.on('message', (raw) => {
  const command = raw as Record<string, unknown>;
  if (command.type === 'exit') process.exit(0);
  handle(command).then(
    (reply) => process.send?.({ ...reply, id: command.id }),
    (error: unknown) => process.send?.({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
