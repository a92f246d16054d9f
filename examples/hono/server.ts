// A complete Hono app, served on Node by @hono/node-server (on Bun, Deno or Workers: `export default app`).
// Configured from WORKOS_* environment variables (see the README).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { checkRequestCsrf, createAuthService } from 'authkit-session';
import { appendHeaders } from 'authkit-session/fetch';
import { authkit, FetchSessionStorage, type AuthkitEnv } from 'authkit-session/hono';

const service = createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = new Hono<AuthkitEnv>();
// Sets c.var.auth; after the route, saves a refreshed session, clears a dead cookie, marks responses private.
app.use(authkit(service));

app.get('/login', async (c) => {
  // Bound sign-in: a per-flow cookie ties the callback to this browser.
  const { url, headers } = await service.createSignIn(undefined, { returnPathname: '/' });
  return appendHeaders(c.redirect(url, 303), headers ?? {});
});
app.get('/callback', async (c) => {
  const result = await service.handleCallback(c.req.raw, new Response(), { code: c.req.query('code') ?? '', state: c.req.query('state') });
  return appendHeaders(c.redirect(result.returnPathname, 303), { 'Set-Cookie': result.response?.headers.getSetCookie() ?? [] });
});
app.post('/logout', async (c) => {
  if (!checkRequestCsrf(c.req.raw).ok) return c.text('Cross-site request refused', 403);
  const { auth } = c.var;
  const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', { returnTo: new URL('/', c.req.url).href });
  return appendHeaders(c.redirect(logoutUrl, 303), headers ?? {});
});
app.get('/', (c) => {
  const { auth } = c.var;
  if (!auth.user) return c.redirect('/login', 303);
  return c.html(`<p>Signed in as ${escape(auth.user.email)}</p><form method="post" action="/logout"><button>Sign out</button></form>`);
});

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: app.fetch, port }, () => console.log(`Listening on http://localhost:${port}`));
