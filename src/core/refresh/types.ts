import type { Impersonator, User } from '@workos-inc/node';

/** Tokens returned by a successful refresh. */
export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator: Impersonator | undefined;
  organizationId?: string | undefined;
  authenticationMethod?: string | undefined;
  /** When the WorkOS call was made (milliseconds since the epoch): tokens reflect WorkOS state from then on. */
  requestedAt?: number | undefined;
}

/** One refresh to perform: what WorkOS receives, plus non-secret context for errors and events. */
export interface RefreshRequest {
  refreshToken: string;
  /** Organization to refresh into; only ever from the caller, the session, or verified claims. */
  organizationId?: string | undefined;
  userId?: string | undefined;
  sessionId?: string | undefined;
  /** True when the token is still valid and is refreshed ahead of expiry. */
  proactive?: boolean | undefined;
}

/** Performs one WorkOS refresh call. */
export type RefreshCall = (refreshToken: string, organizationId: string | undefined) => Promise<RefreshedTokens>;

/** How a refresh is spent once per key: on this instance only, or under a lease shared across instances. */
export type RefreshStrategy = (key: string, request: RefreshRequest) => Promise<RefreshedTokens>;

/** True when a value opened from a shared store has the shape of {@link RefreshedTokens}. */
export function isRefreshedTokens(value: unknown): value is RefreshedTokens {
  if (!isObject(value)) return false;
  const { accessToken, refreshToken, user, impersonator, organizationId, authenticationMethod } = value;
  return (
    nonEmpty(accessToken) &&
    nonEmpty(refreshToken) &&
    isObject(user) &&
    nonEmpty(user.id) &&
    (impersonator === undefined || impersonator === null || isObject(impersonator)) &&
    (organizationId === undefined || organizationId === null || typeof organizationId === 'string') &&
    (authenticationMethod === undefined || authenticationMethod === null || typeof authenticationMethod === 'string')
  );
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
