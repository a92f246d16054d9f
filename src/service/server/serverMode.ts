import type { AuthKitCore } from '../../core/AuthKitCore.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import type { AuthKitEventHandler } from '../../core/events.js';
import type { Session } from '../../core/session/types.js';
import type { CookieWrite } from '../cookieStore.js';
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
export function serverSessionsFor(
  core: AuthKitCore,
  config: ResolvedConfig,
  options: ServerModeOptions & { clock: () => number },
): ServerSessions | undefined {
  if (config.sessionMode !== 'server') return undefined;
  const { clock } = options;
  return new ServerSessions(core, options.sessionStore ?? new MemorySessionStore({ clock }), config, {
    clock,
    onEvent: options.onEvent,
    timeoutMs: options.sessionStoreTimeoutMs ?? 1_000,
    localCopyMs: options.sessionLocalCopyMs ?? 5_000,
  });
}

/**
 * The cookie of a newly signed-in session: the sealed session, or in server mode the id of the record just
 * written to the store (one short cookie).
 * @throws AuthKitError `session_store_unavailable` (server mode).
 */
export async function newSessionCookie<TRequest>(
  deps: { core: AuthKitCore; server?: ServerSessions | undefined },
  session: Session,
): Promise<CookieWrite<TRequest>> {
  const { core, server } = deps;
  return { kind: 'session', value: server ? await server.create(session) : await core.encryptSession(session) };
}
