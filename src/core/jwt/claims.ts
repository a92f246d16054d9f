import { decodeJwt } from 'jose';
import { asciiJson } from '../encoding/base64url.js';
import { TokenValidationError } from '../errors.js';
import type { BaseTokenClaims } from '../session/types.js';

/**
 * Decodes a JWT's payload without verifying it.
 * @throws TokenValidationError `token_invalid` when the value is not a JWT.
 */
export function decodeClaims<T = Record<string, unknown>>(token: string): BaseTokenClaims & T {
  const fast = asciiClaims(token);
  if (fast) return fast as BaseTokenClaims & T;
  try {
    return decodeJwt(token) as BaseTokenClaims & T;
  } catch (error) {
    throw new TokenValidationError('Invalid token', error);
  }
}

/** The claims of a token, unverified, or `undefined` when it is not a JWT. */
export function unverifiedClaims(token: string): BaseTokenClaims | undefined {
  try {
    return decodeClaims(token);
  } catch {
    return undefined;
  }
}

/**
 * The claims of a three-part token whose payload is an ASCII JSON object, decoded the fast way (see
 * `asciiJson`); `undefined` for anything else, which jose's `decodeJwt` then decodes or refuses as it does.
 */
function asciiClaims(token: string): Record<string, unknown> | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first === -1 || second === -1 || token.indexOf('.', second + 1) !== -1) return undefined;
  const claims = asciiJson(token.slice(first + 1, second))?.value;
  return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
}
