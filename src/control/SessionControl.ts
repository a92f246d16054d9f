import type { CoordinationStore, SubjectMarks } from '../core/coordination/CoordinationStore.js';
import type { StoreGuard } from '../core/coordination/guard.js';
import type { AuthKitEventHandler } from '../core/events.js';
import { ALL_SUBJECTS, organizationSubject, userSubject } from '../core/coordination/marks.js';
import type { User } from '@workos-inc/node';
import { MarksMirror } from '../core/coordination/marksMirror.js';
import type { BaseTokenClaims, Session } from '../core/session/types.js';
import { userProfileDigest } from './profile.js';
import { lifetimeVerdict, validTime, type LifetimePolicy } from './lifetime.js';
import { tokensObtainedAt } from './sessionTimes.js';

/** How long a "revoke every session of this user" mark (or a remembered profile) is kept, in milliseconds (30 days). */
export const REVOKED_MARK_TTL_MS = 30 * 24 * 3600 * 1000;
/** How long a "refresh before serving" mark is kept, in milliseconds (1 day, longer than any access token). */
export const STALE_MARK_TTL_MS = 24 * 3600 * 1000;

/** The marks of a subject that has none (shared: marks are only read). */
const NO_MARKS: SubjectMarks = Object.freeze({});

/** What session control says about one request's session. */
export interface ControlVerdict {
  /** Set when the session must not be served; the cookie is then cleared. */
  reject?: 'session_revoked' | 'session_idle_timeout' | 'session_expired';
  /** The claims may be stale (role, permissions or membership changed at WorkOS): refresh before serving. */
  refresh: boolean;
  /** Re-seal the cookie with the idle clock extended (or missing times recorded). */
  touch: boolean;
}

/** Dependencies of {@link SessionControl}. */
export interface SessionControlOptions {
  store: CoordinationStore;
  guard: StoreGuard;
  clock: () => number;
  policy: LifetimePolicy;
  /** Receives `webhook.received` events. */
  onEvent?: AuthKitEventHandler | undefined;
}

/**
 * Applies per-request session control: the idle and absolute lifetimes sealed in the cookie, and the marks
 * that webhooks and sign-out-everywhere leave in the coordination store (so every instance sees them on its
 * next request). A store that cannot be read counts as "no marks" (reported as `coordination.fallback`).
 */
export class SessionControl {
  /** The coordination store the marks live in. */
  readonly store: CoordinationStore;
  /** The event handler of the core this control belongs to. */
  readonly onEvent: AuthKitEventHandler | undefined;

  private readonly mirror: MarksMirror;
  private readonly stopFeed: (() => void) | undefined;
  /** False while the feed may be missing marks (see `watchMarks`); the store is read then. */
  private synced = true;

  constructor(private readonly options: SessionControlOptions) {
    this.store = options.store;
    this.onEvent = options.onEvent;
    this.mirror = new MarksMirror(options.clock);
    this.stopFeed = options.store.watchMarks?.(
      (subject, marks, ttlMs) => this.mirror.merge(subject, marks, ttlMs),
      (synced) => (this.synced = synced),
    );
  }

  /** Stops the store's feed of marks. */
  close(): void {
    this.stopFeed?.();
  }

  /**
   * The verdict for a session and the (possibly unverified) claims of its access token; synchronous when the
   * marks are held here (a store feed in sync), so a cache hit waits on no promise. `nowMs`: the time the
   * caller already read for this request (default: the clock).
   */
  check(
    session: Session,
    claims: Partial<BaseTokenClaims> | undefined,
    nowMs = this.options.clock(),
  ): ControlVerdict | Promise<ControlVerdict> {
    const lifetime = lifetimeVerdict(session, nowMs, this.options.policy);
    if (lifetime.expired) return { reject: lifetime.expired, refresh: false, touch: false };
    const marks = this.marksFor(session.user.id, claims?.org_id, nowMs);
    return 'then' in marks
      ? marks.then((held) => verdictOf(session, claims, held, lifetime.touch))
      : verdictOf(session, claims, marks, lifetime.touch);
  }

  /**
   * Records marks on a subject for every instance.
   * @throws whatever the store throws: callers that must report failure (webhooks) see it.
   */
  async record(subject: string, marks: SubjectMarks): Promise<void> {
    const ttlMs = marks.revokedAt !== undefined || marks.staleAt === undefined ? REVOKED_MARK_TTL_MS : STALE_MARK_TTL_MS;
    this.mirror.merge(subject, marks, ttlMs);
    await this.options.store.mark(subject, marks, ttlMs);
  }

  /**
   * Remembers the profile a user signed in with, so the `user.updated` event of that sign-in (WorkOS updates
   * `last_sign_in_at`) is no change, while a later real change is. Best effort: a store failure is ignored.
   */
  async rememberProfile(user: User): Promise<void> {
    const digest = await userProfileDigest(user);
    const { store, guard } = this.options;
    await guard.run('mark', () => store.mark(userSubject(user.id), { digest }, REVOKED_MARK_TTL_MS), undefined);
  }

  private marksFor(userId: string, organizationId: string | undefined, nowMs: number): Promise<SubjectMarks> | SubjectMarks {
    // With a feed in sync, this instance's mirror answers: no round trip, nothing that can time out. An
    // empty mirror (no mark anywhere) answers before the subjects' keys are built.
    const mirrored = this.stopFeed !== undefined && this.synced;
    if (mirrored && this.mirror.size === 0) return NO_MARKS;
    const subjects = [userSubject(userId), ALL_SUBJECTS];
    if (typeof organizationId === 'string') subjects.push(organizationSubject(organizationId));
    const { store, guard } = this.options;
    if (mirrored) return this.mirror.marksOf(subjects, nowMs);
    // A local store answers from memory and cannot fail: no time bound needed.
    if (store.local) return store.marksOf(subjects);
    return guard.run('marksOf', () => store.marksOf(subjects), {});
  }
}

/** The verdict from a subject's marks: revoked since the session signed in, or stale since its tokens were obtained. */
function verdictOf(session: Session, claims: Partial<BaseTokenClaims> | undefined, marks: SubjectMarks, touch: boolean): ControlVerdict {
  if (marks.revokedAt !== undefined && marks.revokedAt > (validTime(session.signedInAt) ?? 0)) {
    return { reject: 'session_revoked', refresh: false, touch: false };
  }
  const refresh = marks.staleAt !== undefined && marks.staleAt > tokensObtainedAt(session, claims);
  return { refresh, touch };
}
