import { decodeJwt } from 'jose';
import { TokenValidationError } from '../errors.js';
import type { BaseTokenClaims } from '../session/types.js';

/**
 * Decodes a JWT's payload without verifying it.
 * @throws TokenValidationError `token_invalid` when the value is not a JWT.
 */
export function decodeClaims<T = Record<string, unknown>>(token: string): BaseTokenClaims & T {
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
