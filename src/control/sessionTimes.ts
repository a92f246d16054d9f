import type { Session } from '../core/session/types.js';
import { validTime } from './lifetime.js';

/** A new session's times: signed in, active and tokens obtained now. */
export function stampSignIn(session: Session, nowMs: number): Session {
  return { ...session, signedInAt: nowMs, lastActiveAt: nowMs, tokensAt: nowMs };
}

/** The times a refreshed session keeps from the one it replaces; `tokensAt` is when the refresh was requested. */
export function carryTimes(previous: Session, next: Session, requestedAtMs: number): Session {
  const signedInAt = validTime(previous.signedInAt);
  const lastActiveAt = validTime(previous.lastActiveAt);
  if (signedInAt !== undefined) next.signedInAt = signedInAt;
  if (lastActiveAt !== undefined) next.lastActiveAt = lastActiveAt;
  next.tokensAt = requestedAtMs;
  return next;
}

/** The session with its idle clock extended to now; sign-in time filled in for sessions sealed without one. */
export function touchSession(session: Session, nowMs: number): Session {
  return { ...session, signedInAt: validTime(session.signedInAt) ?? nowMs, lastActiveAt: nowMs };
}

/** When the session's tokens were obtained: the sealed time, else the access token's `iat`, else never (0). */
export function tokensObtainedAt(session: Session, claims: { iat?: number } | undefined): number {
  const sealed = validTime(session.tokensAt);
  if (sealed !== undefined) return sealed;
  const iat = validTime(claims?.iat);
  return iat === undefined ? 0 : iat * 1000;
}
