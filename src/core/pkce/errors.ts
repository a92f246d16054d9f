import { codedError } from '../errors.js';

/** Codes of {@link OAuthStateMismatchError}. */
export type OAuthStateErrorCode = 'state_invalid' | 'state_expired' | 'state_mismatch';

/**
 * The callback's `state` is missing, forged, expired (`state_invalid`, `state_expired`) or does not match
 * the flow cookie of this browser (`state_mismatch`). Exported under the 0.5–0.7 name so SDKs that branch
 * with `instanceof` keep working.
 */
export class OAuthStateMismatchError extends codedError<OAuthStateErrorCode>('OAuthStateMismatchError', 'state_mismatch') {}

/** A browser-bound sign-in reached the callback without its flow cookie (`state_mismatch`). */
export class PKCECookieMissingError extends codedError('PKCECookieMissingError', 'state_mismatch') {}

/** The custom `state`, return path or redirect URI make the sign-in state too large for a cookie (`state_invalid`). */
export class PKCEPayloadTooLargeError extends codedError('PKCEPayloadTooLargeError', 'state_invalid') {}
