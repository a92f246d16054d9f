import type { Authenticated, Unauthenticated } from '../../src/index.js';

const CSS = `
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; color: #1d1d1f; }
  h1 { font-size: 1.4rem; } code { background: #f2f2f4; padding: 0 .25rem; border-radius: 3px; }
  table { border-collapse: collapse; margin: 1rem 0; } th, td { text-align: left; padding: .3rem .8rem .3rem 0; vertical-align: top; }
  th { color: #666; font-weight: 500; } form { display: inline; }
  button, .button { font: inherit; padding: .35rem .9rem; border: 1px solid #6363f1; border-radius: 6px; background: #6363f1;
    color: #fff; text-decoration: none; cursor: pointer; margin-right: .4rem; }
  button.secondary { background: #fff; color: #6363f1; } button[disabled] { opacity: .5; cursor: default; }
  .note { color: #666; font-size: .9rem; } .error { color: #b00020; }
`;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A complete HTML response. */
export function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

export function homePage(auth: Authenticated | Unauthenticated): Response {
  if (auth.user) {
    return page(
      'authkit-session demo',
      `<p>Signed in as <strong>${escapeHtml(auth.user.email)}</strong>.</p>
<p><a class="button" href="/dashboard">Dashboard</a></p>
<form method="post" action="/logout"><button class="secondary">Sign out</button></form>`,
    );
  }
  const why =
    auth.reason === 'no_session' ? '' : `<p class="note">Previous session not accepted: <code>${escapeHtml(auth.reason)}</code></p>`;
  return page('authkit-session demo', `<p>You are signed out.</p>${why}<p><a class="button" href="/login">Sign in</a></p>`);
}

export interface OrganizationChoice {
  id: string;
  name: string;
}

export function dashboardPage(auth: Authenticated, organizations: OrganizationChoice[], nowMs: number): Response {
  const { user, claims } = auth;
  const current = organizations.find((o) => o.id === auth.organizationId);
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || '—';
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const expiry = exp ? `${new Date(exp * 1000).toISOString()} (in ${Math.round(exp - nowMs / 1000)} s)` : '—';
  const rows: [string, string][] = [
    ['Email', escapeHtml(user.email)],
    ['Name', escapeHtml(name)],
    [
      'Organization',
      auth.organizationId ? `${escapeHtml(current?.name ?? 'unknown')} <code>${escapeHtml(auth.organizationId)}</code>` : 'none',
    ],
    ['Role', auth.role ? `<code>${escapeHtml(auth.role)}</code>` : '—'],
    ['Permissions', auth.permissions?.length ? auth.permissions.map((p) => `<code>${escapeHtml(p)}</code>`).join(' ') : '—'],
    ['Session id', `<code>${escapeHtml(auth.sessionId)}</code>`],
    ['Access token expires', escapeHtml(expiry)],
  ];
  const buttons = organizations
    .map((o) => {
      const active = o.id === auth.organizationId;
      return `<button name="organizationId" value="${escapeHtml(o.id)}"${active ? ' disabled' : ''}>Switch to ${escapeHtml(o.name)}</button>`;
    })
    .join('');
  return page(
    'Dashboard',
    `<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>
<form method="post" action="/switch-org">${buttons}</form>
<form method="post" action="/logout"><button class="secondary">Sign out</button></form>
<p class="note"><a href="/">Home</a> · <a href="/sessions">Active sessions</a> · <a href="/admin">Admin</a></p>`,
  );
}

export function messagePage(title: string, message: string, status: number): Response {
  return page(title, `<p class="error">${escapeHtml(message)}</p><p><a href="/">Home</a></p>`, status);
}

/** A redirect; `from` contributes its headers (e.g. the `Set-Cookie` written by the library). */
export function redirect(location: string, from?: Response, status = 302): Response {
  const headers = new Headers(from?.headers);
  headers.set('Location', location);
  return new Response(null, { status, headers });
}
