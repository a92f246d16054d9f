import type { AuthKitCore, AuthenticateOutcome } from '../../core/AuthKitCore.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import { cryptoBackend } from '../../core/encryption/backend.js';
import { AuthKitError } from '../../core/errors.js';
import { emit, type AuthKitEventHandler } from '../../core/events.js';
import { unauthenticated } from '../../core/session/authResult.js';
import type { UnauthenticatedReason } from '../../core/session/reasons.js';
import type { Session } from '../../core/session/types.js';
import type { SessionStore } from '../../core/sessionStore/SessionStore.js';
import { looksLikeSessionId, SESSION_ID_COOKIE_LENGTH, SessionIdKeys } from '../../core/sessionStore/sessionIdKeys.js';
import { openStoredSession, sealStoredSession } from '../../core/sessionStore/storedSession.js';
import { BoundedExpiringMap, type LocalCopy } from './LocalCopies.js';

/** Seams and tuning of {@link ServerSessions}. */
export interface ServerSessionsOptions {
  clock: () => number;
  onEvent?: AuthKitEventHandler | undefined;
  /** Time bound of one store operation, in milliseconds. */
  timeoutMs: number;
  /** Longest time a local copy answers without re-reading the store, in milliseconds. */
  localCopyMs: number;
}

/** Store lifetime of a record when the cookie is a browser-session cookie (`cookieMaxAge: 0`): 30 days. */
const SESSION_COOKIE_RECORD_MS = 30 * 86_400_000;
const MIGRATED_PREFIX = 'migrated:';

type Outcome<T> = AuthenticateOutcome<T>;

/** A session id and its store key (SHA-256 of the id). */
interface Binding {
  id: string;
  key: string;
}

/**
 * `sessionMode: 'server'`: the cookie holds a signed random id, the session lives in a {@link SessionStore}
 * sealed twice (cookie password inside, a derived record password outside). Verification, refresh,
 * single flight, grace and revocation stay the core's: this class only maps a cookie to the session seal
 * the core would have read from a `cookie`-mode cookie, and writes the store when the core rotates it.
 */
export class ServerSessions {
  private readonly keys: Promise<SessionIdKeys>;
  private readonly copies: BoundedExpiringMap<LocalCopy>;
  private readonly inFlight = new Map<string, Promise<Outcome<unknown>>>();
  /** Session objects handed out → their id, for switchOrganization, refreshSession, updateSessionData. */
  private readonly bindings = new WeakMap<Session, Binding>();
  /** WorkOS session id (`sid`) → store key, for `signOut(sessionId)`. */
  private readonly bySid: BoundedExpiringMap<{ key: string; expiresAtMs: number }>;
  /** Store key → the digest its local copy is kept under. */
  private readonly copyByKey: BoundedExpiringMap<{ digest: string; expiresAtMs: number }>;
  private readonly recordTtlMs: number;
  private readonly bufferMs: number;

  constructor(
    private readonly core: AuthKitCore,
    private readonly store: SessionStore,
    config: ResolvedConfig,
    private readonly options: ServerSessionsOptions,
  ) {
    const entries = config.sessionCacheMaxEntries;
    this.copies = new BoundedExpiringMap(entries);
    this.bySid = new BoundedExpiringMap(Math.max(entries, 1_000));
    this.copyByKey = new BoundedExpiringMap(entries);
    this.recordTtlMs = config.cookieMaxAge > 0 ? config.cookieMaxAge * 1000 : SESSION_COOKIE_RECORD_MS;
    this.bufferMs = config.refreshBufferSeconds * 1000;
    this.keys = SessionIdKeys.derive(config.cookiePasswords, config.clientId);
  }

  /**
   * The whole of `withAuth` for a server-mode cookie. Never throws. A repeated cookie answers from a local
   * copy (no store command); concurrent requests with one cookie share one store read and one outcome.
   * `refreshedSessionData` is set only when the cookie itself must change (migration, password rotation).
   */
  async authenticate<T>(raw: string | null | undefined): Promise<Outcome<T>> {
    if (!raw) return this.core.authenticate<T>(raw);
    // Stale `name.1`… parts of an older, chunked cookie-mode session may be appended by the storage's reader.
    const cookie = looksLikeSessionId(raw) ? raw.slice(0, SESSION_ID_COOKIE_LENGTH) : raw;
    const digest = await digestOf(cookie);
    const copy = this.copies.get(digest, this.options.clock());
    if (copy) {
      const outcome = await this.core.authenticate<T>(copy.seal);
      if (outcome.session && !outcome.refreshedSessionData) return this.bind(outcome, copy.binding);
      this.copies.delete(digest);
      if (!outcome.session) return outcome;
    }
    let pending = this.inFlight.get(digest) as Promise<Outcome<T>> | undefined;
    if (!pending) {
      pending = this.load<T>(cookie, digest).catch(() => this.reject<T>('internal_error'));
      this.inFlight.set(digest, pending);
      void pending.finally(() => this.inFlight.delete(digest));
    }
    return pending;
  }

  /**
   * Stores a new session under a fresh id and returns the cookie value (`s1.<id>.<signature>`).
   * @throws AuthKitError `session_store_unavailable` when the store cannot be written.
   */
  async create(session: Session, seal?: string): Promise<string> {
    const id = SessionIdKeys.newId();
    const binding = { id, key: await digestOf(id) };
    await this.write(binding.key, seal ?? (await this.core.encryptSession(session)), session.user.id);
    this.bindings.set(session, binding);
    return (await this.keys).sign(id);
  }

  /**
   * Replaces the record of `previous` (a session this class handed out) with `seal` of `next`: the store
   * write is the rotation. Returns the cookie value: the same id, or a new one when `previous` had no record.
   * @throws AuthKitError `session_store_unavailable`.
   */
  async replace(previous: Session, next: Session, seal: string): Promise<{ cookie: string; changed: boolean }> {
    const binding = this.bindings.get(previous);
    if (binding === undefined) return { cookie: await this.create(next, seal), changed: true };
    await this.write(binding.key, seal, next.user.id);
    this.bindings.set(next, binding);
    this.forgetCopies(binding.key);
    return { cookie: await (await this.keys).sign(binding.id), changed: false };
  }

  /** The session behind a server-mode cookie, unverified and unrefreshed; `null` when there is none. Never throws. */
  async read(cookie: string | null | undefined): Promise<Session | null> {
    const keys = await this.keys;
    const verified = cookie ? await keys.verify(cookie.slice(0, SESSION_ID_COOKIE_LENGTH)) : undefined;
    if (!verified) return null;
    const binding = { id: verified.id, key: await digestOf(verified.id) };
    const value = await this.bounded('sessionStore.get', this.store.get(binding.key)).catch(() => undefined);
    const record = value === undefined ? undefined : await openStoredSession(value, binding.key, keys.recordPasswords);
    const session = record ? await this.core.decryptSession(record.seal).catch(() => null) : null;
    if (session) this.bindings.set(session, binding);
    return session;
  }

  /** Deletes the record of a signed-out session (known by its `sid` on this instance). Never throws. */
  async destroy(sessionId: string): Promise<void> {
    const known = this.bySid.get(sessionId, this.options.clock());
    if (!known) return;
    this.bySid.delete(sessionId);
    this.forgetCopies(known.key);
    await this.bounded('sessionStore.delete', this.store.delete(known.key)).catch(() => undefined);
  }

  private async load<T>(cookie: string, digest: string): Promise<Outcome<T>> {
    const keys = await this.keys;
    if (!looksLikeSessionId(cookie)) return this.migrate<T>(cookie, digest, keys);
    // A forged or foreign id fails here, before any store command.
    const verified = await keys.verify(cookie);
    if (!verified) return this.reject('invalid_cookie');
    const resigned = verified.passwordIndex > 0 ? await keys.sign(verified.id) : undefined;
    return this.open<T>({ id: verified.id, key: await digestOf(verified.id) }, digest, resigned);
  }

  /** Reads, opens and authenticates the record under `key`; writes it back when the core rotated it. */
  private async open<T>(binding: Binding, digest: string, newCookie: string | undefined): Promise<Outcome<T>> {
    const { key } = binding;
    let value: string | undefined;
    try {
      value = await this.bounded('sessionStore.get', this.store.get(key));
    } catch {
      return this.reject('session_store_unavailable');
    }
    if (value === undefined) return this.reject('session_revoked');
    const record = await openStoredSession(value, key, (await this.keys).recordPasswords);
    if (!record) return this.reject('invalid_cookie');
    const outcome = await this.core.authenticate<T>(record.seal);
    if (!outcome.session) {
      if (outcome.auth.reason === 'refresh_rejected')
        await this.bounded('sessionStore.delete', this.store.delete(key)).catch(() => undefined);
      return outcome;
    }
    let seal = record.seal;
    if (outcome.refreshedSessionData) {
      seal = outcome.refreshedSessionData;
      try {
        await this.write(key, seal, outcome.session.user.id);
      } catch {
        return this.reject('session_store_unavailable');
      }
    }
    this.remember(digest, binding, seal, outcome.auth.claims.exp);
    const answer: Outcome<T> = this.bind({ auth: outcome.auth, session: outcome.session }, binding, digest);
    if (newCookie) answer.refreshedSessionData = newCookie;
    return answer;
  }

  /**
   * A `cookie`-mode seal met in server mode: authenticated once and moved to the store under a new id;
   * the old seal is remembered (digest → sealed id), so presenting it again maps to the same record.
   */
  private async migrate<T>(seal: string, digest: string, keys: SessionIdKeys): Promise<Outcome<T>> {
    if (!seal.startsWith('Fe26.')) return this.reject('invalid_cookie');
    const markKey = `${MIGRATED_PREFIX}${digest}`;
    let mark: string | undefined;
    try {
      mark = await this.bounded('sessionStore.get', this.store.get(markKey));
    } catch {
      return this.reject('session_store_unavailable');
    }
    const moved = mark === undefined ? undefined : await openStoredSession(mark, markKey, keys.recordPasswords);
    if (moved) return this.open<T>({ id: moved.seal, key: await digestOf(moved.seal) }, digest, await keys.sign(moved.seal));
    const outcome = await this.core.authenticate<T>(seal);
    if (!outcome.session) return outcome;
    const id = SessionIdKeys.newId();
    const key = await digestOf(id);
    try {
      await this.write(key, outcome.refreshedSessionData ?? seal, outcome.session.user.id);
      const markValue = await sealStoredSession({ key: markKey, seal: id }, keys.recordPasswords[0] as string);
      await this.bounded('sessionStore.set', this.store.set(markKey, markValue, this.recordTtlMs));
    } catch {
      return this.reject('session_store_unavailable');
    }
    return this.bind({ auth: outcome.auth, session: outcome.session, refreshedSessionData: await keys.sign(id) }, { id, key });
  }

  private async write(key: string, seal: string, userId: string): Promise<void> {
    const value = await sealStoredSession({ key, seal }, (await this.keys).recordPasswords[0] as string);
    try {
      await this.bounded('sessionStore.set', this.store.set(key, value, this.recordTtlMs, userId));
    } catch (error) {
      throw new AuthKitError('The session store could not be written', error, undefined, 'session_store_unavailable');
    }
  }

  private remember(digest: string, binding: Binding, seal: string, exp: number | undefined): void {
    const now = this.options.clock();
    const tokenBound = typeof exp === 'number' ? exp * 1000 - this.bufferMs : now;
    this.copies.set(digest, { binding, seal, expiresAtMs: Math.min(tokenBound, now + this.options.localCopyMs) });
    this.copyByKey.set(binding.key, { digest, expiresAtMs: now + this.recordTtlMs });
  }

  /** Drops this instance's copy of a record it just rewrote, so the next request reads the new one. */
  private forgetCopies(key: string): void {
    const copy = this.copyByKey.get(key, this.options.clock());
    if (copy) this.copies.delete(copy.digest);
  }

  private bind<T>(outcome: Outcome<T>, binding: Binding, digest?: string): Outcome<T> {
    if (!outcome.session) return outcome;
    this.bindings.set(outcome.session, binding);
    const sid = outcome.auth.sessionId;
    if (sid) this.bySid.set(sid, { key: binding.key, expiresAtMs: this.options.clock() + this.recordTtlMs });
    return outcome;
  }

  /** The store operation's result, or a rejection after `timeoutMs` (reported as `coordination.fallback`). */
  private async bounded<V>(operation: string, task: Promise<V>): Promise<V> {
    const started = this.options.clock();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        task,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.options.timeoutMs);
        }),
      ]);
    } catch (error) {
      task.catch(() => undefined);
      emit(this.options.onEvent, { type: 'coordination.fallback', operation, durationMs: this.options.clock() - started });
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private reject<T>(reason: UnauthenticatedReason): Outcome<T> {
    emit(this.options.onEvent, { type: 'session.rejected', reason });
    return { auth: unauthenticated(reason) };
  }
}

async function digestOf(value: string): Promise<string> {
  return cryptoBackend().sha256Hex(value);
}
