import { AuthKitError } from '../errors.js';

/** Codes of {@link OAuthStateMismatchError}. */
export type OAuthStateErrorCode = 'state_invalid' | 'state_expired' | 'state_mismatch';

/**
 * The callback's `state` is missing, forged, expired (`state_invalid`, `state_expired`) or does not match
 * the flow cookie of this browser (`state_mismatch`). Exported under the 0.5–0.7 name so SDKs that branch
 * with `instanceof` keep working.
 */
export class OAuthStateMismatchError extends AuthKitError {
  override readonly name: string = 'OAuthStateMismatchError';
  declare readonly code: OAuthStateErrorCode;
  constructor(message: string, cause?: unknown, code: OAuthStateErrorCode = 'state_mismatch') {
    super(message, cause, undefined, code);
  }
}

/** A browser-bound sign-in reached the callback without its flow cookie (`state_mismatch`). */
export class PKCECookieMissingError extends AuthKitError {
  override readonly name: string = 'PKCECookieMissingError';
  declare readonly code: 'state_mismatch';
  constructor(message: string, cause?: unknown) {
    super(message, cause, undefined, 'state_mismatch');
  }
}

/** The custom `state`, return path or redirect URI make the sign-in state too large for a cookie (`state_invalid`). */
export class PKCEPayloadTooLargeError extends AuthKitError {
  override readonly name: string = 'PKCEPayloadTooLargeError';
  declare readonly code: 'state_invalid';
  constructor(message: string, cause?: unknown) {
    super(message, cause, undefined, 'state_invalid');
  }
}
