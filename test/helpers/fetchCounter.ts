/** One request seen by a {@link CountingFetch}. */
export interface SeenRequest {
  method: string;
  /** Full URL. */
  url: string;
  path: string;
  /** `grant_type` of a `POST /user_management/authenticate`, when there is one. */
  grantType?: string;
}

export interface CountingFetch {
  /** Pass as the service's `fetch` option. */
  fetch: typeof fetch;
  requests: SeenRequest[];
  /** Refresh-token grants sent to WorkOS. */
  refreshGrants(): number;
  /** Requests for the JWKS. */
  jwksRequests(): number;
}

function grantTypeOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { grant_type?: unknown };
    return typeof parsed.grant_type === 'string' ? parsed.grant_type : undefined;
  } catch {
    return new URLSearchParams(body).get('grant_type') ?? undefined;
  }
}

/**
 * A real `fetch` that records every request it forwards; `intercept` may answer a request itself (to inject
 * an outage) by returning a Response or throwing.
 */
export function countingFetch(intercept?: (request: SeenRequest) => Response | undefined): CountingFetch {
  const requests: SeenRequest[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const grantType = grantTypeOf(init?.body);
    const seen: SeenRequest = { method, url: url.href, path: url.pathname, ...(grantType ? { grantType } : {}) };
    requests.push(seen);
    const answer = intercept?.(seen);
    if (answer) return answer;
    return fetch(input, init);
  };
  return {
    fetch: wrapped,
    requests,
    refreshGrants: () => requests.filter((r) => r.grantType === 'refresh_token').length,
    jwksRequests: () => requests.filter((r) => r.path.startsWith('/sso/jwks/')).length,
  };
}
