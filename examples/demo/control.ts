import { checkGuards, requireRole, type ActiveSession, type AuthService, type Authenticated } from '../../src/index.js';
import type { Handler } from './middleware.js';
import { escapeHtml, messagePage, page, redirect } from './pages.js';

/** Where the emulator delivers WorkOS events to the demo. */
export const WEBHOOK_PATH = '/webhooks/workos';

/**
 * Registers the demo's webhook endpoint with the embedded emulator through its webhook endpoints API, with
 * our own signing secret (with WorkOS: Dashboard → Webhooks, then copy its secret to WORKOS_WEBHOOK_SECRET).
 */
export async function registerWebhook(emulator: { url: string; apiKey: string }, endpointUrl: string, secret: string): Promise<void> {
  const response = await fetch(`${emulator.url}/webhook_endpoints`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ endpoint_url: endpointUrl, secret }),
  });
  if (!response.ok) throw new Error(`emulator refused the webhook endpoint: ${response.status}`);
}

/**
 * The session-control pages: the user's active sessions with "sign out other sessions", and an admin-only
 * page behind `requireRole('admin')` (401 → sign in, 403 → forbidden).
 */
export function controlRoutes(service: AuthService<Request, Response>, crossSite: (request: Request) => boolean): Record<string, Handler> {
  return {
    'GET /sessions': async ({ auth }) => {
      if (!auth.user) return redirect('/login');
      return sessionsPage(auth, await service.listSessions(auth.user.id, auth.sessionId));
    },
    'POST /sessions/revoke-others': async ({ request, auth }) => {
      if (crossSite(request)) return messagePage('Forbidden', 'Cross-site request refused.', 403);
      if (!auth.user) return redirect('/login', undefined, 303);
      await service.revokeOtherSessions(auth.sessionId, auth.user.id);
      return redirect('/sessions', undefined, 303);
    },
    'GET /admin': async ({ auth }) => {
      const verdict = checkGuards(auth, requireRole('admin'));
      if (!verdict.ok && verdict.status === 401) return redirect('/login');
      if (!verdict.ok)
        return messagePage('Forbidden', `Admins only (${verdict.reason}). Switch to an organization where you are admin.`, 403);
      const permissions = verdict.auth.permissions?.map((p) => `<code>${escapeHtml(p)}</code>`).join(' ') || '—';
      return page(
        'Admin',
        `<p>Role <code>${escapeHtml(verdict.auth.role)}</code>; permissions ${permissions}.</p><p><a href="/dashboard">Dashboard</a></p>`,
      );
    },
  };
}

function sessionsPage(auth: Authenticated, sessions: ActiveSession[]): Response {
  const rows = sessions
    .map(
      (s) =>
        `<tr><td><code>${escapeHtml(s.id)}</code>${s.current ? ' <strong>(this browser)</strong>' : ''}</td>` +
        `<td>${escapeHtml(s.createdAt)}</td><td>${escapeHtml(s.ipAddress ?? '—')}</td><td>${escapeHtml(s.userAgent ?? '—')}</td></tr>`,
    )
    .join('');
  return page(
    'Active sessions',
    `<p>Signed in as <strong>${escapeHtml(auth.user.email)}</strong>.</p>
<table><tr><th>Session</th><th>Created</th><th>IP</th><th>User agent</th></tr>${rows}</table>
<form method="post" action="/sessions/revoke-others"><button>Sign out other sessions</button></form>
<p class="note"><a href="/dashboard">Dashboard</a></p>`,
  );
}
