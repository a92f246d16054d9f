// The Fetch adapter: one `fetch(request)` handler, as Cloudflare Workers, Bun and Deno serve it. A tiny
// node:http runner below serves it on Node. In your app, import from 'authkit-session' and 'authkit-session/fetch'.
import { createServer } from 'node:http';
import { appendHeaders, FetchSessionStorage, withAuthHandler } from '../../src/adapters/fetch.js';
import { createAuthService, type HeadersBag } from '../../src/index.js';
import { toFetchRequest, writeFetchResponse } from '../demo/bridge.js';
import { exampleConfig, startDemoEmulator } from '../demo/emulator.js';

const origin = `http://localhost:${Number(process.env.PORT ?? 3001)}`;
const emulator = await startDemoEmulator(); // an embedded WorkOS: no account needed

const service = createAuthService<Request, Response>({
  sessionStorageFactory: (config) => new FetchSessionStorage(config),
  config: exampleConfig(emulator, origin), // the embedded emulator instead of api.workos.com
});

const redirect = (location: string, headers: HeadersBag = {}): Response =>
  appendHeaders(new Response(null, { status: 302, headers: { Location: location } }), headers);

// withAuthHandler saves a refreshed session, clears a dead cookie and marks every response private.
const app = {
  fetch: withAuthHandler(service, async (request, auth) => {
    const url = new URL(request.url);
    if (url.pathname === '/') return new Response(auth.user ? `Signed in as ${auth.user.email}\n` : `Signed out (${auth.reason})\n`);
    if (url.pathname === '/login') {
      const { url: signInUrl, headers } = await service.createSignIn(undefined, { returnPathname: '/' });
      return redirect(signInUrl, headers);
    }
    if (url.pathname === '/callback') {
      const code = url.searchParams.get('code') ?? '';
      const result = await service.handleCallback(request, new Response(), { code, state: url.searchParams.get('state') ?? undefined });
      return redirect(result.returnPathname, { 'Set-Cookie': result.response?.headers.getSetCookie() ?? [] });
    }
    if (url.pathname === '/logout') {
      const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', { returnTo: `${origin}/` });
      return redirect(logoutUrl, headers);
    }
    return new Response('Not found\n', { status: 404 });
  }),
};
export default app; // Workers, Bun and Deno: `export default app` is all they need

const server = createServer((req, res) => {
  toFetchRequest(req, origin)
    .then((request) => app.fetch(request))
    .then((response) => writeFetchResponse(res, response))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      res.writeHead(500).end('Internal error\n');
    });
});
server.listen(new URL(origin).port, () => console.log(`Fetch example at ${origin}  (open ${origin}/login)`));
process.once('SIGINT', () => server.close(() => void emulator.close().then(() => process.exit(0))));
