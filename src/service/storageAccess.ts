import { AuthKitError } from '../core/errors.js';
import type { CookieOptions, HeadersBag, SessionStorage } from '../core/session/types.js';

/** What the service needs of a storage to write and read arbitrary cookies (any `CookieSessionStorage`). */
export interface CookieCapableStorage<TRequest, TResponse> {
  getCookie(request: TRequest, name: string): Promise<string | null>;
  setCookie(
    response: TResponse | undefined,
    name: string,
    value: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }>;
  clearCookie(
    response: TResponse | undefined,
    name: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }>;
}

/**
 * The storage as one that can read and write any cookie.
 * @throws AuthKitError `not_implemented` when it cannot (a plain 0.3.4 `SessionStorage`).
 */
export function cookieStorage<TRequest, TResponse>(
  storage: SessionStorage<TRequest, TResponse>,
): CookieCapableStorage<TRequest, TResponse> {
  const candidate = storage as Partial<CookieCapableStorage<TRequest, TResponse>>;
  if (
    typeof candidate.getCookie !== 'function' ||
    typeof candidate.setCookie !== 'function' ||
    typeof candidate.clearCookie !== 'function'
  ) {
    throw new AuthKitError(
      'Browser-bound sign-in needs a storage with getCookie/setCookie/clearCookie',
      undefined,
      undefined,
      'not_implemented',
    );
  }
  return candidate as CookieCapableStorage<TRequest, TResponse>;
}

/** The whole sealed session: through `readSession` (joins chunked cookies) when the storage has it. */
export function readSealed<TRequest, TResponse>(storage: SessionStorage<TRequest, TResponse>, request: TRequest): Promise<string | null> {
  const reader = storage as { readSession?: (request: TRequest) => Promise<string | null> };
  return typeof reader.readSession === 'function' ? reader.readSession(request) : storage.getSession(request);
}

/** Every cookie of a request (name → decoded value) when the storage can list them (`getCookies`), else none. */
export async function listCookies<TRequest, TResponse>(
  storage: SessionStorage<TRequest, TResponse>,
  request: TRequest,
): Promise<Record<string, string>> {
  const lister = storage as { getCookies?: (request: TRequest) => Promise<Record<string, string> | null> };
  if (typeof lister.getCookies !== 'function') return {};
  return (await lister.getCookies(request).catch(() => null)) ?? {};
}
