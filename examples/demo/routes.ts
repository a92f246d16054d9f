import { appendHeaders } from '../../src/adapters/fetch.js';
import { AuthKitError, checkRequestCsrf, type AuthService } from '../../src/index.js';
import { controlRoutes } from './control.js';
import type { Handler } from './middleware.js';
import { dashboardPage, homePage, messagePage, redirect, type OrganizationChoice } from './pages.js';

/** The demo's pages and actions, by `METHOD /path`. */
export function makeRoutes(
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
    return appendHeaders(redirect(logoutUrl, undefined, 303), headers ?? {});
  };
  return {
    'GET /': async ({ auth }) => homePage(auth),
    'GET /login': async () => {
      // Bound sign-in: the per-flow cookie makes the callback work only in this browser.
      const { url: signInUrl, headers } = await service.createSignIn(undefined, { returnPathname: '/dashboard' });
      return appendHeaders(redirect(signInUrl), headers ?? {});
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

/** A log- and page-safe description: the error code and message only (the library keeps secrets out of both). */
export function describe(error: unknown): string {
  if (error instanceof AuthKitError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
