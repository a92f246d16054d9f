// A complete Express app on the Node adapter. Configured from WORKOS_* environment variables (see the README).
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { createAuthService } from 'authkit-session';
import { appendHeaders, authkitMiddleware, checkNodeRequestCsrf, getAuth, NodeSessionStorage } from 'authkit-session/node';

const service = createAuthService<IncomingMessage, ServerResponse>({ sessionStorageFactory: (config) => new NodeSessionStorage(config) });
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = express();
// Authenticates every request, saves a refreshed session, clears a dead cookie, marks responses private.
app.use(authkitMiddleware(service));

app.get('/login', async (req, res) => {
  // Bound sign-in: a per-flow cookie (written on res) ties the callback to this browser.
  const { url } = await service.createSignIn(res, { returnPathname: '/' });
  res.redirect(303, url);
});
app.get('/callback', async (req, res) => {
  const { code, state } = req.query as Record<string, string | undefined>;
  const { returnPathname } = await service.handleCallback(req, res, { code: code ?? '', state });
  res.redirect(303, returnPathname);
});
app.post('/logout', async (req, res) => {
  if (!checkNodeRequestCsrf(req).ok) return void res.status(403).send('Cross-site request refused');
  const auth = getAuth(req);
  const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', {
    returnTo: `${req.protocol}://${req.get('host')}/`,
  });
  appendHeaders(res, headers ?? {}).redirect(303, logoutUrl);
});
app.get('/', (req, res) => {
  const auth = getAuth(req);
  if (!auth.user) return res.redirect(303, '/login');
  res.send(`<p>Signed in as ${escape(auth.user.email)}</p><form method="post" action="/logout"><button>Sign out</button></form>`);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`Listening on http://localhost:${port}`));
