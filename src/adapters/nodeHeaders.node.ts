import type { ServerResponse } from 'node:http';
import { toArray } from '../core/session/headers.js';
import type { HeadersBag } from '../core/session/types.js';
import { mergeVary } from '../core/session/headers.js';

/**
 * Writes a headers bag onto a Node response (or an Express one) and returns it. Each `Set-Cookie` becomes
 * its own header after the ones already set (never comma-joined); `Vary` tokens are merged; other headers
 * are set. Use it for the `headers` that `signOut`, `saveSession(undefined, …)` and friends return.
 * Throws Node's `ERR_HTTP_HEADERS_SENT` once the response has started.
 */
export function appendHeaders<TResponse extends ServerResponse>(response: TResponse, headers: HeadersBag): TResponse {
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') {
      response.setHeader('Set-Cookie', [...existingValues(response.getHeader('set-cookie')), ...toArray(value)]);
    } else if (lower === 'vary') {
      const current = response.getHeader('vary');
      response.setHeader(
        'Vary',
        mergeVary(current === undefined ? undefined : existingValues(current).join(', '), toArray(value).join(', ')),
      );
    } else {
      response.setHeader(name, value);
    }
  }
  return response;
}

function existingValues(value: number | string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}
