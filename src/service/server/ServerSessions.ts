import type { AuthKitCore, AuthenticateOutcome } from '../../core/AuthKitCore.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import { emit, type AuthKitEventHandler } from '../../core/events.js';
import { unauthenticated } from '../../core/session/authResult.js';
import type { UnauthenticatedReason } from '../../core/session/reasons.js';
import type { Session } from '../../core/session/types.js';
import type { SessionStore } from '../../core/sessionStore/SessionStore.js';
import { looksLikeSessionId, SESSION_ID_COOKIE_LENGTH, SessionIdKeys } from '../../core/sessionStore/sessionIdKeys.js';
import { SealedRecords, type ReadRecord } from './SealedRecords.js';
import { LocalCopies, type Binding } from './LocalCopies.js';
import { digestOf, migrateSeal } from './migration.js';

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

type Outcome<T> = AuthenticateOutcome<T>;

/**
 * `sessionMode: 'server'`: the cookie holds a signed random id, the session lives in a {@link SessionStore}
 * sealed twice (cookie password inside, a derived record password outside). Verification, refresh,
 * single flight, grace and revocation stay the core's: this class only maps a cookie to the session seal
 * the core would have read from a `cookie`-mode cookie, and writes the store when the core rotates it.
 */
export class ServerSessions {
  private readonly keys: Promise<SessionIdKeys>;
  private readonly records: SealedRecords;
  private readonly copies: LocalCopies;
  private readonly inFlight = new Map<string, Promise<Outcome<unknown>>>();
  /** Session objects handed out → their id, for switchOrganization, refreshSession, updateSessionData. */
  private readonly bindings = new WeakMap<Session, Binding>();
  private readonly recordTtlMs: number;
  private readonly bufferMs: number;

  constructor(
    private readonly core: AuthKitCore,
    store: SessionStore,
    config: ResolvedConfig,
    private readonly options: ServerSessionsOptions,
  ) {
    this.recordTtlMs = config.cookieMaxAge > 0 ? config.cookieMaxAge * 1000 : SESSION_COOKIE_RECORD_MS;
    this.copies = new LocalCopies(config.sessionCacheMaxEntries, this.recordTtlMs);
    this.bufferMs = config.refreshBufferSeconds * 1000;
    this.keys = SessionIdKeys.derive(config.cookiePasswords, config.clientId);
    this.records = new SealedRecords(store, this.keys, { ...options, ttlMs: this.recordTtlMs, crypto: core.deps.crypto });
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
    const digest = await digestOf(this.core.deps.crypto, cookie);
    const copy = this.copies.get(digest, this.options.clock());
    if (copy) {
      const outcome = await this.core.authenticate<T>(copy.seal);
      if (outcome.session && !outcome.refreshedSessionData) return this.bind(outcome, copy.binding);
      this.copies.drop(digest);
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
    const binding = { id, key: await digestOf(this.core.deps.crypto, id) };
    await this.records.write(binding.key, seal ?? (await this.core.encryptSession(session)), session.user.id);
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
    await this.records.write(binding.key, seal, next.user.id);
    this.bindings.set(next, binding);
    this.copies.forgetKey(binding.key, this.options.clock());
    return { cookie: await (await this.keys).sign(binding.id), changed: false };
  }

  /** The session behind a server-mode cookie, unverified and unrefreshed; `null` when there is none. Never throws. */
  async read(cookie: string | null | undefined): Promise<Session | null> {
    const keys = await this.keys;
    const verified = cookie ? await keys.verify(cookie.slice(0, SESSION_ID_COOKIE_LENGTH)) : undefined;
    if (!verified) return null;
    const binding = { id: verified.id, key: await digestOf(this.core.deps.crypto, verified.id) };
    const record = await this.records.read(binding.key).catch(() => 'absent' as const);
    const session = typeof record === 'object' ? await this.core.decryptSession(record.seal).catch(() => null) : null;
    if (session) this.bindings.set(session, binding);
    return session;
  }

  /** Deletes the record of a signed-out session (known by its `sid` on this instance). Never throws. */
  async destroy(sessionId: string): Promise<void> {
    const now = this.options.clock();
    const key = this.copies.takeSessionId(sessionId, now);
    if (key === undefined) return;
    this.copies.forgetKey(key, now);
    await this.records.remove(key);
  }

  /** Deletes every record of a user (sign out everywhere); other instances refuse them by the core's marks. Never throws. */
  async destroyUser(userId: string): Promise<void> {
    await this.records.removeUser(userId);
  }

  private async load<T>(cookie: string, digest: string): Promise<Outcome<T>> {
    const keys = await this.keys;
    if (!looksLikeSessionId(cookie)) {
      const steps = { records: this.records, core: this.core, keys, reject: (reason: UnauthenticatedReason) => this.reject<T>(reason) };
      return migrateSeal<T>({ ...steps, open: (b, d, c) => this.open<T>(b, d, c), bind: (o, b) => this.bind(o, b) }, cookie, digest);
    }
    // A forged or foreign id fails here, before any store command.
    const verified = await keys.verify(cookie);
    if (!verified) return this.reject('invalid_cookie');
    const resigned = verified.passwordIndex > 0 ? await keys.sign(verified.id) : undefined;
    return this.open<T>({ id: verified.id, key: await digestOf(this.core.deps.crypto, verified.id) }, digest, resigned);
  }

  /** Reads, opens and authenticates the record under `key`; writes it back when the core rotated it. */
  private async open<T>(binding: Binding, digest: string, newCookie: string | undefined): Promise<Outcome<T>> {
    const { key } = binding;
    let record: ReadRecord;
    try {
      record = await this.records.read(key);
    } catch {
      return this.reject('session_store_unavailable');
    }
    if (record === 'absent') return this.reject('session_revoked');
    if (record === 'foreign') return this.reject('invalid_cookie');
    const outcome = await this.core.authenticate<T>(record.seal);
    if (!outcome.session) {
      if (outcome.auth.reason === 'refresh_rejected') await this.records.remove(key);
      return outcome;
    }
    let seal = record.seal;
    if (outcome.refreshedSessionData) {
      seal = outcome.refreshedSessionData;
      try {
        await this.records.write(key, seal, outcome.session.user.id);
      } catch {
        return this.reject('session_store_unavailable');
      }
    }
    this.remember(digest, binding, seal, outcome.auth.claims.exp);
    const answer: Outcome<T> = this.bind({ auth: outcome.auth, session: outcome.session }, binding, digest);
    if (newCookie) answer.refreshedSessionData = newCookie;
    return answer;
  }

  private remember(digest: string, binding: Binding, seal: string, exp: number | undefined): void {
    const now = this.options.clock();
    const tokenBound = typeof exp === 'number' ? exp * 1000 - this.bufferMs : now;
    this.copies.keep(digest, { binding, seal, expiresAtMs: Math.min(tokenBound, now + this.options.localCopyMs) }, now);
  }

  private bind<T>(outcome: Outcome<T>, binding: Binding, digest?: string): Outcome<T> {
    if (!outcome.session) return outcome;
    this.bindings.set(outcome.session, binding);
    const sid = outcome.auth.sessionId;
    if (sid) this.copies.noteSessionId(sid, binding.key, this.options.clock());
    return outcome;
  }

  private reject<T>(reason: UnauthenticatedReason): Outcome<T> {
    emit(this.options.onEvent, { type: 'session.rejected', reason });
    return { auth: unauthenticated(reason) };
  }
}
