import { SessionCache, type CacheSlot } from './cache/SessionCache.js';
import type { CoreParts } from './createCore.js';
import { emit } from './events.js';
import { unverifiedClaims } from './jwt/claims.js';
import { decodeToken } from './jwt/decode.js';
import { validateSession } from './refresh/sessionRefresh.js';
import { authenticatedResult, unauthenticated } from './session/authResult.js';
import { reasonForError, type UnauthenticatedReason } from './session/reasons.js';
import type { OpenedSession } from './session/sealer.js';
import type { Authenticated, BaseTokenClaims, CustomClaims, Session, Unauthenticated } from './session/types.js';
import type { ControlVerdict } from '../control/SessionControl.js';
import { touchSession } from '../control/sessionTimes.js';

/** Result of `withAuth` for one cookie value (`AuthKitCore.authenticate`). */
export type AuthenticateOutcome<T> =
  | { auth: Authenticated<T>; session: Session; refreshedSessionData?: string }
  | { auth: Unauthenticated; session?: undefined; refreshedSessionData?: undefined };

/**
 * The whole of `withAuth` for a sealed cookie value: open, check revocation and session control, verify,
 * refresh when needed, re-seal when the cookie must change. Never throws; every unauthenticated outcome
 * carries a reason (reported as `session.rejected`).
 *
 * A cookie seen before answers from the session cache (see `sessionCacheMaxEntries`) while its token is
 * short of the refresh buffer; the revocation check still runs. Only sessions opened with the current
 * password and not refreshed are cached, so re-seals and refreshes always take the full path.
 */
export async function authenticate<T = CustomClaims>(parts: CoreParts, sealed: string | null | undefined): Promise<AuthenticateOutcome<T>> {
  if (!sealed) return reject(parts, 'no_session');
  const { sessionCache: cache, deps } = parts;
  const cacheKey = cache ? SessionCache.keyOf(sealed) : undefined;
  if (cache && cacheKey !== undefined) {
    // Read once: the cache and the session-control check of a hit judge the same instant.
    const now = deps.clock();
    const slot = cache.get(cacheKey, now);
    if (slot !== undefined) {
      const answer = answerFromCache<T>({ parts, sealed, cache, key: cacheKey, nowMs: now }, slot);
      // A hit answers without a promise of its own when its checks answer from memory.
      const settled = answer !== undefined && 'then' in answer ? await answer : answer;
      if (settled) return settled;
    }
  }
  let opened: OpenedSession;
  try {
    opened = await parts.sealer.open(sealed, cache !== undefined);
  } catch (error) {
    return reject(parts, reasonForError(error));
  }
  // Decoded once: the checks below read these claims, and verification reuses the decoding.
  const decoded = decodeToken(opened.session.accessToken);
  const unverified = decoded ? (decoded.claims as BaseTokenClaims) : unverifiedClaims(opened.session.accessToken);
  const [revoked, verdict] = await Promise.all([
    parts.revocations.isRevoked(unverified?.sid),
    parts.control.check(opened.session, unverified),
  ]);
  if (verdict.reject) return reject(parts, verdict.reject);
  if (revoked) return reject(parts, 'session_revoked');
  try {
    const result = await validateSession<T>(parts, opened.session, { force: verdict.refresh, decoded });
    // Signed out while this request was verified or refreshed: nothing of it is returned.
    if (await parts.revocations.isRevoked(result.claims.sid)) return reject(parts, 'session_revoked');
    const session = verdict.touch ? touchSession(result.session, deps.clock()) : result.session;
    const auth = authenticatedResult(session, result.claims);
    if (result.refreshed || opened.passwordIndex > 0 || verdict.touch) {
      if (!result.refreshed && opened.passwordIndex > 0)
        emit(deps.onEvent, { type: 'session.resealed', passwordIndex: opened.passwordIndex });
      return { auth, session, refreshedSessionData: await parts.sealer.seal(session) };
    }
    if (cache && cacheKey !== undefined && typeof result.claims.exp === 'number') {
      cache.remember(cacheKey, opened.ticket ?? null, (result.claims.exp - parts.config.refreshBufferSeconds) * 1000, deps.clock());
    }
    return { auth, session: result.session };
  } catch (error) {
    return reject(parts, reasonForError(error));
  }
}

/** An answer from the cache, or `undefined` when the full path must run. */
type CacheAnswer<T> = AuthenticateOutcome<T> | undefined;

/** One request's cache lookup: the cookie, the cache and its key, and the instant the hit is judged at. */
interface CacheLookup {
  readonly parts: CoreParts;
  readonly sealed: string;
  readonly cache: SessionCache;
  readonly key: string;
  readonly nowMs: number;
}

/**
 * Answers from a cache slot, or `undefined` when the slot is not this cookie's or the session must take
 * the full path (refresh, touch). A whole entry must equal the cookie (it keeps an own copy);
 * a small one decrypts the cookie again when it matches the seal's ticket, or re-opens the seal, whose MAC
 * check binds it to the one that verified; either skips the JWT check. Revocation and session control
 * still apply; a revoked or expired session leaves the cache. Synchronous unless a check or the re-open
 * must wait.
 */
function answerFromCache<T>(lookup: CacheLookup, slot: CacheSlot): CacheAnswer<T> | Promise<CacheAnswer<T>> {
  const { parts, sealed } = lookup;
  if (slot !== null && typeof slot === 'object') {
    // Reaching this comparison takes the cookie's own MAC prefix; its timing varies by nanoseconds at most.
    if (sealed !== slot.cookie) return undefined;
    return judged<T>(lookup, slot.session, slot.claims, undefined);
  }
  if (slot === null) return openedWithCurrent(parts, sealed).then((opened) => fromOpened<T>(lookup, opened, null));
  return fromOpened<T>(lookup, parts.sealer.reopen(sealed, slot), slot);
}

/** Answers for a session read from the cookie under the small slot `small` (see {@link answerFromCache}). */
function fromOpened<T>(lookup: CacheLookup, opened: Session | undefined, small: string | null): CacheAnswer<T> | Promise<CacheAnswer<T>> {
  const claims = opened && unverifiedClaims(opened.accessToken);
  if (!opened || !claims) return undefined;
  return judged<T>(lookup, opened, claims, small);
}

/**
 * Applies revocation and session control to a session answered from the cache; `small` is the slot of a
 * session read from the cookie, which may now be kept whole. Both checks answer synchronously from this
 * instance's copies when the store feeds them: then so does this.
 */
function judged<T>(
  lookup: CacheLookup,
  session: Session,
  claims: BaseTokenClaims,
  small: string | null | undefined,
): CacheAnswer<T> | Promise<CacheAnswer<T>> {
  const { parts, nowMs } = lookup;
  const revokedNow = parts.revocations.isRevoked(claims.sid);
  const verdictNow = parts.control.check(session, claims, nowMs);
  if (typeof revokedNow !== 'boolean' || 'then' in verdictNow) {
    return Promise.all([revokedNow, verdictNow]).then(([revoked, verdict]) => settle<T>(lookup, session, claims, small, revoked, verdict));
  }
  return settle<T>(lookup, session, claims, small, revokedNow, verdictNow);
}

/** The answer once revocation and session control have spoken (see {@link judged}). */
function settle<T>(
  { parts, sealed, cache, key }: CacheLookup,
  session: Session,
  claims: BaseTokenClaims,
  small: string | null | undefined,
  revoked: boolean,
  verdict: ControlVerdict,
): CacheAnswer<T> {
  if (revoked || verdict.reject) {
    cache.delete(key);
    return reject(parts, verdict.reject ?? 'session_revoked');
  }
  if (verdict.refresh || verdict.touch) {
    cache.delete(key);
    return undefined;
  }
  if (small !== undefined) cache.keepWhole(key, sealed, small, session, claims);
  return { auth: authenticatedResult(session, claims as BaseTokenClaims & T), session };
}

/** The session of `sealed` when the current password opens it; `undefined` otherwise. */
async function openedWithCurrent(parts: CoreParts, sealed: string): Promise<Session | undefined> {
  const opened = await parts.sealer.open(sealed).catch(() => undefined);
  return opened?.passwordIndex === 0 ? opened.session : undefined;
}

/** An unauthenticated outcome, reported as `session.rejected`. */
function reject(parts: CoreParts, reason: UnauthenticatedReason): { auth: Unauthenticated } {
  emit(parts.deps.onEvent, { type: 'session.rejected', reason });
  return { auth: unauthenticated(reason) };
}
