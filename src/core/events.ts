import type { UnauthenticatedReason } from './session/reasons.js';

/**
 * Events reported through the `onEvent` option. Payloads never hold tokens, seals, cookies or secrets.
 * Durations are in milliseconds.
 */
export type AuthKitEvent =
  | { type: 'refresh.succeeded'; durationMs: number; attempts: number; proactive: boolean }
  | { type: 'refresh.coalesced'; durationMs: number }
  | { type: 'refresh.reused'; ageMs: number }
  | { type: 'refresh.transient'; durationMs: number; attempts: number; status?: number; retryAfterSeconds?: number }
  | { type: 'refresh.terminal'; durationMs: number; status?: number }
  | { type: 'session.rejected'; reason: UnauthenticatedReason }
  | { type: 'session.resealed'; passwordIndex: number }
  | { type: 'session.opened'; passwordIndex: number }
  /** A coordination store operation failed (`timedOut: false`, e.g. Redis refused the connection) or timed out. */
  | { type: 'coordination.fallback'; operation: string; durationMs: number; timedOut: boolean }
  | { type: 'revocation.capacity'; entries: number; capacity: number }
  | { type: 'cookie.oversize'; bytes: number; parts: number }
  | { type: 'cookie.header_near_limit'; bytes: number }
  /** A WorkOS webhook delivery: its HTTP status, and the event and action when it verified (`code` when refused). */
  | { type: 'webhook.received'; status: number; event?: string; action?: string; duplicate?: boolean; code?: string };

/** Receives {@link AuthKitEvent}s. Must not throw (errors are swallowed). */
export type AuthKitEventHandler = (event: AuthKitEvent) => void;

/** Calls the handler, never letting it break authentication. */
export function emit(handler: AuthKitEventHandler | undefined, event: AuthKitEvent): void {
  if (!handler) return;
  try {
    handler(event);
  } catch {
    // An observer must not change the outcome.
  }
}
