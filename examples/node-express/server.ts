// The Node adapter: NodeSessionStorage and the Express-style authkitMiddleware on plain node:http. With
// Express it is `app.use(authkitMiddleware(service))` (see the README). In your app, import from
// 'authkit-session' and 'authkit-session/node'.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { appendHeaders, authkitMiddleware, getAuth, NodeSessionStorage } from '../../src/adapters/node.node.js';
import { createAuthService } from '../../src/index.js';
import { exampleConfig, startDemoEmulator } from '../demo/emulator.js';

const origin = `http://localhost:${Number(process.env.PORT ?? 3002)}`;
const emulator = await startDemoEmulator(); // an embedded WorkOS: no account needed

const service = createAuthService<IncomingMessage, ServerResponse>({
  sessionStorageFactory: (config) => new NodeSessionStorage(config),
  config: exampleConfig(emulator, origin), // the embedded emulator instead of api.workos.com
});

// Saves a refreshed session, clears a dead cookie and sets the cache headers before the route runs.
const authkit = authkitMiddleware(service);

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', origin);
  const auth = getAuth(req);
  if (url.pathname === '/') {
    res.end(auth.user ? `Signed in as ${auth.user.email}\n` : `Signed out (${auth.reason})\n`);
  } else if (url.pathname === '/login') {
    const { url: signInUrl } = await service.createSignIn(res, { returnPathname: '/' }); // writes the per-flow cookie on res
    res.writeHead(302, { Location: signInUrl }).end();
  } else if (url.pathname === '/callback') {
    const code = url.searchParams.get('code') ?? '';
    const { returnPathname } = await service.handleCallback(req, res, { code, state: url.searchParams.get('state') ?? undefined });
    res.writeHead(302, { Location: returnPathname }).end();
  } else if (url.pathname === '/logout') {
    const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', { returnTo: `${origin}/` });
    appendHeaders(res, headers ?? {})
      .writeHead(302, { Location: logoutUrl })
      .end();
  } else {
    res.writeHead(404).end('Not found\n');
  }
}

// Connect-style, as Express calls it: middleware(req, res, next).
const server = createServer((req, res) =>
  authkit(req, res, (error?: unknown) => {
    (error ? Promise.reject(error) : route(req, res)).catch((failure: unknown) => {
      console.error(failure instanceof Error ? failure.message : failure);
      if (!res.headersSent) res.writeHead(500);
      res.end('Internal error\n');
    });
  }),
);
server.listen(new URL(origin).port, () => console.log(`Node example at ${origin}  (open ${origin}/login)`));
process.once('SIGINT', () => server.close(() => void emulator.close().then(() => process.exit(0))));
