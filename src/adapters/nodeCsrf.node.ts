import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { checkCsrf, type CsrfFailure } from '../security/csrf.js';

/**
 * {@link checkCsrf} for a Node request (plain `node:http`, Express, Connect): refuses a cross-site
 * mutating request by its `Sec-Fetch-Site` and `Origin` headers; safe methods pass. The request's own
 * origin (scheme of the socket, `Host` header) is always allowed: a browser cannot send another site's
 * `Origin` with this `Host`. Behind a proxy that terminates TLS, list the public origin in `allowedOrigins`.
 *
 * @example
 * app.post('/logout', (req, res) => {
 *   if (!checkNodeRequestCsrf(req).ok) return res.sendStatus(403);
 * });
 */
export function checkNodeRequestCsrf(
  req: IncomingMessage,
  allowedOrigins: readonly string[] = [],
): { ok: true } | { ok: false; reason: CsrfFailure } {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const host = req.headers.host;
  const own = host ? [`${scheme}://${host}`] : [];
  return checkCsrf(
    { method: req.method ?? 'GET', origin: single(req.headers.origin), secFetchSite: single(req.headers['sec-fetch-site']) },
    [...own, ...allowedOrigins],
  );
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value.length === 1 ? (value[0] ?? null) : null) : value;
}
