import type { AuthKitCore } from '../../core/AuthKitCore.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import type { AuthKitEventHandler } from '../../core/events.js';
import { sessionCookieOptions } from '../../core/session/cookieOptions.js';
import type { HeadersBag, Session, SessionStorage } from '../../core/session/types.js';
import type { CookieCapableStorage } from '../storageAccess.js';
import { MemorySessionStore } from '../../core/sessionStore/MemorySessionStore.js';
import type { SessionStore } from '../../core/sessionStore/SessionStore.js';
import { ServerSessions } from './ServerSessions.js';

/** Service options of `sessionMode: 'server'` and of session data. */
export interface ServerModeOptions {
  /**
   * Where `sessionMode: 'server'` keeps sessions. Default: `RedisSessionStore` on `redisUrl` when set
   * (through `createAuthService`), otherwise a {@link MemorySessionStore} (one instance only).
   */
  sessionStore?: SessionStore;
  /** Time bound of one session-store operation, in milliseconds. Default 1000. */
  sessionStoreTimeoutMs?: number;
  /**
   * Longest time a server-mode session is answered from this instance's memory before the store is read
   * again, in milliseconds (also bounded by the access token's expiry). Bounds how stale `data` written on
   * another instance can be. Default 5000.
   */
  sessionLocalCopyMs?: number;
  /** Largest `data` beside a session, in bytes of JSON. Default 16384. */
  sessionDataMaxBytes?: number;
  clock?: () => number;
  onEvent?: AuthKitEventHandler;
}

/** Default of `sessionDataMaxBytes`. */
export const DEFAULT_SESSION_DATA_MAX_BYTES = 16_384;

/** The server-mode pipeline when the configuration asks for it, else `undefined`. */
export function serverSessionsFor(core: AuthKitCore, config: ResolvedConfig, options: ServerModeOptions): ServerSessions | undefined {
  if (config.sessionMode !== 'server') return undefined;
  const clock = options.clock ?? (() => core.now());
  return new ServerSessions(core, options.sessionStore ?? new MemorySessionStore({ clock }), config, {
    clock,
    onEvent: options.onEvent,
    timeoutMs: options.sessionStoreTimeoutMs ?? 1_000,
    localCopyMs: options.sessionLocalCopyMs ?? 5_000,
  });
}

/**
 * Saves a newly signed-in session: sealed into the cookie, or in server mode into the store with the id
 * cookie written as one `Set-Cookie` (it never needs parts), through the storage's generic cookie writer
 * when it has one.
 * @throws AuthKitError `session_store_unavailable` (server mode), `session_too_large` (cookie mode).
 */
export async function saveNewSession<TRequest, TResponse>(
  deps: { config: ResolvedConfig; storage: SessionStorage<TRequest, TResponse>; core: AuthKitCore; server?: ServerSessions | undefined },
  response: TResponse | undefined,
  session: Session,
): Promise<{ response?: TResponse; headers?: HeadersBag }> {
  const { config, storage, core, server } = deps;
  if (!server) return storage.saveSession(response, await core.encryptSession(session));
  const cookie = await server.create(session);
  const writer = storage as Partial<CookieCapableStorage<TRequest, TResponse>>;
  if (typeof writer.setCookie !== 'function') return storage.saveSession(response, cookie);
  return writer.setCookie(response, config.cookieName, cookie, sessionCookieOptions(config));
}
