import { UNAUTHENTICATED_REASONS, type UnauthenticatedReason } from './reasons.js';
import type { Authenticated, BaseTokenClaims, Session, Unauthenticated } from './types.js';

/** Builds the authenticated result from a session and its verified claims. */
export function authenticatedResult<T>(session: Session, claims: BaseTokenClaims & T): Authenticated<T> {
  const result: Authenticated<T> = {
    user: session.user,
    sessionId: claims.sid,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    claims,
  };
  if (claims.org_id !== undefined) result.organizationId = claims.org_id;
  if (claims.role !== undefined) result.role = claims.role;
  if (claims.roles !== undefined) result.roles = claims.roles;
  if (claims.permissions !== undefined) result.permissions = claims.permissions;
  if (claims.entitlements !== undefined) result.entitlements = claims.entitlements;
  if (claims.feature_flags !== undefined) result.featureFlags = claims.feature_flags;
  if (session.impersonator) result.impersonator = session.impersonator;
  if (typeof session.signedInAt === 'number') result.signedInAt = session.signedInAt;
  return result;
}

/** Builds the unauthenticated result for a reason. */
export function unauthenticated(reason: UnauthenticatedReason): Unauthenticated {
  return { user: null, reason, retryable: UNAUTHENTICATED_REASONS[reason].retryable };
}
