import type { Session } from '../core/session/types.js';

/** Idle and absolute session lifetimes, in milliseconds; `0` turns a limit off. */
export interface LifetimePolicy {
  idleTimeoutMs: number;
  maxLifetimeMs: number;
  /** Least time between two extensions of the idle clock. */
  touchIntervalMs: number;
}

/** What the lifetime rules say about a session at a given time. */
export type LifetimeVerdict =
  | { expired: 'session_idle_timeout' | 'session_expired' }
  | { expired?: undefined; /** Re-seal with `lastActiveAt` (and missing times) set to now. */ touch: boolean };

/** Builds the policy from the configuration's seconds; the touch interval is at most half the idle timeout. */
export function lifetimePolicy(config: {
  sessionIdleTimeoutSeconds: number;
  sessionMaxLifetimeSeconds: number;
  sessionTouchIntervalSeconds: number;
}): LifetimePolicy {
  const idleTimeoutMs = config.sessionIdleTimeoutSeconds * 1000;
  return {
    idleTimeoutMs,
    maxLifetimeMs: config.sessionMaxLifetimeSeconds * 1000,
    touchIntervalMs: Math.min(config.sessionTouchIntervalSeconds * 1000, idleTimeoutMs > 0 ? idleTimeoutMs / 2 : Infinity),
  };
}

/** True when neither limit is on (sessions then carry their times but are never touched or expired). */
export function lifetimesOff(policy: LifetimePolicy): boolean {
  return policy.idleTimeoutMs <= 0 && policy.maxLifetimeMs <= 0;
}

/**
 * Applies the limits to the times sealed in the session. A session sealed before its times were recorded
 * starts its clocks now (it is touched, so the times are written), rather than being cut off.
 */
export function lifetimeVerdict(session: Session, nowMs: number, policy: LifetimePolicy): LifetimeVerdict {
  if (lifetimesOff(policy)) return { touch: false };
  const signedInAt = validTime(session.signedInAt);
  const lastActiveAt = validTime(session.lastActiveAt) ?? signedInAt;
  if (policy.maxLifetimeMs > 0 && signedInAt !== undefined && nowMs - signedInAt >= policy.maxLifetimeMs) {
    return { expired: 'session_expired' };
  }
  if (policy.idleTimeoutMs > 0 && lastActiveAt !== undefined && nowMs - lastActiveAt >= policy.idleTimeoutMs) {
    return { expired: 'session_idle_timeout' };
  }
  if (signedInAt === undefined || lastActiveAt === undefined) return { touch: true };
  return { touch: policy.idleTimeoutMs > 0 && nowMs - lastActiveAt >= policy.touchIntervalMs };
}

/** A finite time, or undefined for anything else (a cookie's content is never trusted to be well-formed). */
export function validTime(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
