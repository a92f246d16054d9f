import type { Session } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when an unsealed value has the shape of a session: token strings and a user with an id. */
export function isSession(value: unknown): value is Session {
  if (!isObject(value)) return false;
  const { accessToken, refreshToken, user, impersonator } = value;
  return (
    typeof accessToken === 'string' &&
    accessToken.length > 0 &&
    typeof refreshToken === 'string' &&
    refreshToken.length > 0 &&
    isObject(user) &&
    typeof user.id === 'string' &&
    user.id.length > 0 &&
    (impersonator === undefined || impersonator === null || isObject(impersonator))
  );
}
