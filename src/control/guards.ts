import { systemClock } from '../core/clock.js';
import type { AuthResult, Authenticated } from '../core/session/types.js';

/** Why a guard refused: 401 reasons ask the user to sign in (again), 403 reasons mean "signed in, not allowed". */
export type GuardReason =
  'unauthenticated' | 'sign_in_too_old' | 'organization_required' | 'organization_mismatch' | 'role_required' | 'permission_required';

/** A guard's verdict: `ok` with the narrowed auth, or a status and reason to answer with. */
export type GuardResult<TCustomClaims = Record<string, unknown>> =
  | { ok: true; auth: Authenticated<TCustomClaims> }
  | {
      ok: false;
      status: 401 | 403;
      reason: GuardReason;
      /** For `sign_in_too_old`: pass as `maxAge` to `getSignInUrl` so WorkOS asks for a fresh sign-in. */
      maxAgeSeconds?: number;
    };

/** A check on a signed-in user; guards compose with {@link checkGuards}. */
export type Guard = <T>(auth: Authenticated<T>) => GuardResult<T>;

/**
 * Runs `requireAuth` and then each guard in order; the first refusal wins.
 * @example
 * const verdict = checkGuards(auth, requireOrganization(orgId), requireRole('admin'));
 * if (!verdict.ok) return new Response(verdict.reason, { status: verdict.status });
 */
export function checkGuards<T>(auth: AuthResult<T>, ...guards: Guard[]): GuardResult<T> {
  const signedIn = requireAuth(auth);
  if (!signedIn.ok) return signedIn;
  for (const guard of guards) {
    const verdict = guard(signedIn.auth);
    if (!verdict.ok) return verdict;
  }
  return signedIn;
}

/** 401 `unauthenticated` unless a user is signed in. */
export function requireAuth<T>(auth: AuthResult<T>): GuardResult<T> {
  return auth.user ? { ok: true, auth: auth as Authenticated<T> } : { ok: false, status: 401, reason: 'unauthenticated' };
}

/**
 * 403 unless the session is in an organization: the given id, one the predicate accepts, or (no argument) any.
 * `organization_required` when the session has none, `organization_mismatch` when it has another.
 */
export function requireOrganization(expected?: string | ((organizationId: string) => boolean)): Guard {
  return (auth) => {
    const id = auth.organizationId;
    if (!id) return { ok: false, status: 403, reason: 'organization_required' };
    const allowed = expected === undefined || (typeof expected === 'function' ? expected(id) : expected === id);
    return allowed ? { ok: true, auth } : { ok: false, status: 403, reason: 'organization_mismatch' };
  };
}

/** 403 `role_required` unless the session's role (or one of its roles) is one of `roles`. */
export function requireRole(...roles: string[]): Guard {
  return (auth) => {
    const held = new Set([...(auth.role ? [auth.role] : []), ...(auth.roles ?? [])]);
    return roles.some((role) => held.has(role)) ? { ok: true, auth } : { ok: false, status: 403, reason: 'role_required' };
  };
}

/** 403 `permission_required` unless the session holds every one of `permissions`. */
export function requirePermission(...permissions: string[]): Guard {
  return (auth) => {
    const held = new Set(auth.permissions ?? []);
    return permissions.every((permission) => held.has(permission))
      ? { ok: true, auth }
      : { ok: false, status: 403, reason: 'permission_required' };
  };
}

/**
 * Step-up: 401 `sign_in_too_old` (with `maxAgeSeconds`) unless the user signed in at most `maxAgeSeconds` ago.
 * Sessions sealed before the sign-in time was recorded count as too old.
 * @param options.now current time in milliseconds since the epoch. Default: the system clock, read at each check.
 */
export function requireRecentSignIn(maxAgeSeconds: number, options: { now?: () => number } = {}): Guard {
  const now = options.now ?? systemClock;
  return (auth) => {
    const signedInAt = auth.signedInAt;
    const recent = typeof signedInAt === 'number' && now() - signedInAt <= maxAgeSeconds * 1000;
    return recent ? { ok: true, auth } : { ok: false, status: 401, reason: 'sign_in_too_old', maxAgeSeconds };
  };
}
