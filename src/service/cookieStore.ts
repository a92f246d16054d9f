import type { AuthKitEventHandler } from '../core/events.js';
import { AuthKitError } from '../core/errors.js';
import { CookieSessionStorage } from '../core/session/CookieSessionStorage.js';
import type { CookieWrite } from '../core/session/cookieWrites.js';
import { mergeHeaders } from '../core/session/headers.js';
import type { HeadersBag, SessionStorage } from '../core/session/types.js';

export type { CookieWrite } from '../core/session/cookieWrites.js';

/** What a storage write hands back: the response it wrote onto, or the headers to apply. */
export interface Written<TResponse> {
  response?: TResponse;
  headers?: HeadersBag;
}

/**
 * The one view the service has of a storage, decided when the service is built: read the session, read one
 * cookie by name, list cookies, and write a list of cookies.
 */
export interface CookieStore<TRequest, TResponse> {
  /** The whole sealed session of a request (a session over several cookies joined). */
  read(request: TRequest): Promise<string | null>;
  /** One cookie by name; absent for a storage that cannot read one (0.3.4). */
  readonly readCookie: ((request: TRequest, name: string) => Promise<string | null>) | undefined;
  /** Every cookie of a request (name → decoded value); `{}` when the storage cannot list them. */
  readAll(request: TRequest): Promise<Record<string, string>>;
  /**
   * Writes `writes` in order onto `response` (each onto the response the previous one returned), or into
   * the returned headers (the bags merged, cookies as separate values).
   * @throws AuthKitError `not_implemented` when a storage without `setCookie`/`clearCookie` (0.3.4) is asked
   *   for a cookie other than the session.
   */
  write(response: TResponse | undefined, writes: readonly CookieWrite<TRequest>[]): Promise<Written<TResponse>>;
}

/**
 * Wraps a storage once. Reads go through `readSession` (parts joined) when it is a `CookieSessionStorage`,
 * else `getSession`; writes go through the storage's own `saveSession`, `clearSession`, `setCookie` and
 * `clearCookie`, so an adapter that overrides them is honoured. The optional 0.5+ methods are looked up
 * here, once: a 0.3.4 storage simply has no `readCookie`.
 */
export function cookieStoreFor<TRequest, TResponse>(
  storage: SessionStorage<TRequest, TResponse>,
  onEvent?: AuthKitEventHandler,
): CookieStore<TRequest, TResponse> {
  const cookieStorage = storage instanceof CookieSessionStorage ? (storage as CookieSessionStorage<TRequest, TResponse>) : undefined;
  cookieStorage?.setEventHandler(onEvent);
  const { getCookie } = storage;
  const lister = cookieStorage ?? (storage as { getCookies?: (request: TRequest) => Promise<Record<string, string> | null> });
  const { getCookies } = lister;
  return {
    read: cookieStorage ? (request) => cookieStorage.readSession(request) : (request) => storage.getSession(request),
    readCookie: getCookie ? (request, name) => getCookie.call(storage, request, name) : undefined,
    readAll: async (request) => (getCookies ? await getCookies.call(lister, request).catch(() => null) : null) ?? {},
    write: async (response, writes) => {
      let written: Written<TResponse> = {};
      for (const write of writes) written = combine(written, await writeOne(storage, written.response ?? response, write));
      return written;
    },
  };
}

function writeOne<TRequest, TResponse>(
  storage: SessionStorage<TRequest, TResponse>,
  response: TResponse | undefined,
  write: CookieWrite<TRequest>,
): Promise<Written<TResponse>> {
  const options = 'request' in write && write.request !== undefined ? { request: write.request } : undefined;
  if (write.kind === 'session') return storage.saveSession(response, write.value, options);
  if (write.kind === 'clearSession') return storage.clearSession(response, options);
  const { setCookie, clearCookie } = storage;
  if (!setCookie || !clearCookie) {
    throw new AuthKitError(
      'Browser-bound sign-in needs a storage with getCookie/setCookie/clearCookie',
      undefined,
      undefined,
      'not_implemented',
    );
  }
  if (write.kind === 'cookie') return setCookie.call(storage, response, write.name, write.value, write.options);
  return clearCookie.call(storage, response, write.name, write.options);
}

/** Combines two writes: the later response wins, header bags merge (cookies as separate values). */
function combine<TResponse>(first: Written<TResponse>, second: Written<TResponse>): Written<TResponse> {
  const response = second.response ?? first.response;
  const headers = mergeHeaders(first.headers, second.headers);
  return { ...(response ? { response } : {}), ...(Object.keys(headers).length > 0 ? { headers } : {}) };
}
