// A complete app on the Fetch adapter. Bun: `bun run app.ts`; Deno: `deno serve app.ts`; Cloudflare Workers: the
// default export is the Worker; Node: node.ts. Configured from WORKOS_* environment variables (see the README).
import { checkRequestCsrf, createAuthService, type HeadersBag } from 'authkit-session';
import { appendHeaders, FetchSessionStorage, withAuthHandler } from 'authkit-session/fetch';

const service = createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });

const redirect = (location: string, headers: HeadersBag = {}): Response =>
  appendHeaders(new Response(null, { status: 303, headers: { Location: location } }), headers);
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export default {
  // Authenticates every request, saves a refreshed session, clears a dead cookie, marks responses private.
  fetch: withAuthHandler(service, async (request, auth) => {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /login') {
      // Bound sign-in: a per-flow cookie ties the callback to this browser.
      const { url: signInUrl, headers } = await service.createSignIn(undefined, { returnPathname: '/' });
      return redirect(signInUrl, headers);
    }
    if (route === 'GET /callback') {
      const { code, state } = Object.fromEntries(url.searchParams);
      const result = await service.handleCallback(request, new Response(), { code: code ?? '', state });
      return redirect(result.returnPathname, { 'Set-Cookie': result.response?.headers.getSetCookie() ?? [] });
    }
    if (route === 'POST /logout') {
      if (!checkRequestCsrf(request).ok) return new Response('Cross-site request refused', { status: 403 });
      const { logoutUrl, headers } = await service.signOut(auth.user ? auth.sessionId : '', { returnTo: `${url.origin}/` });
      return redirect(logoutUrl, headers);
    }
    if (route !== 'GET /') return new Response('Not found', { status: 404 });
    if (!auth.user) return redirect('/login');
    const body = `<p>Signed in as ${escape(auth.user.email)}</p><form method="post" action="/logout"><button>Sign out</button></form>`;
    return new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  }),
};
