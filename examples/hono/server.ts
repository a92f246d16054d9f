// The Hono adapter: `authkit(service)` middleware, served on Node by @hono/node-server. In your app,
// import from 'authkit-session' and 'authkit-session/hono'.
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { authkit, FetchSessionStorage, type AuthkitEnv } from '../../src/adapters/hono.js';
import { createAuthService, type HeadersBag } from '../../src/index.js';
import { exampleConfig, startDemoEmulator } from '../demo/emulator.js';

const port = Number(process.env.PORT ?? 3003);
const origin = `http://localhost:${port}`;
const emulator = await startDemoEmulator(); // an embedded WorkOS: no account needed

const service = createAuthService<Request, Response>({
  sessionStorageFactory: (config) => new FetchSessionStorage(config),
  config: exampleConfig(emulator, origin), // the embedded emulator instead of api.workos.com
});

/** Appends the cookies of a headers bag (what `createSignIn`, `signOut` and friends return). */
function setCookies(c: Context, headers: HeadersBag | undefined): void {
  for (const line of [headers?.['Set-Cookie'] ?? []].flat()) c.header('Set-Cookie', line, { append: true });
}

const app = new Hono<AuthkitEnv>();
// Sets c.var.auth and c.var.session; after the route, saves a refresh or clears a dead cookie.
app.use(authkit(service));

app.get('/', (c) => {
  const { auth } = c.var;
  return c.text(auth.user ? `Signed in as ${auth.user.email}\n` : `Signed out (${auth.reason})\n`);
});
app.get('/login', async (c) => {
  const { url, headers } = await service.createSignIn(undefined, { returnPathname: '/' });
  setCookies(c, headers);
  return c.redirect(url);
});
app.get('/callback', async (c) => {
  const result = await service.handleCallback(c.req.raw, new Response(), { code: c.req.query('code') ?? '', state: c.req.query('state') });
  setCookies(c, { 'Set-Cookie': result.response?.headers.getSetCookie() ?? [] });
  return c.redirect(result.returnPathname);
});
app.get('/logout', async (c) => {
  const { auth } = c.var;
  const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', { returnTo: `${origin}/` });
  setCookies(c, headers);
  return c.redirect(logoutUrl);
});

const server = serve({ fetch: app.fetch, port }, () => console.log(`Hono example at ${origin}  (open ${origin}/login)`));
process.once('SIGINT', () => server.close(() => void emulator.close().then(() => process.exit(0))));
