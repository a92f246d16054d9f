import { AuthKitError } from '../../core/errors.js';
import type { WorkOSControlPort } from '../../core/client/port.js';

/** A verified WorkOS event, as delivered (snake_case fields). */
export interface WorkOSWebhookEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
  created_at?: string;
}

/** What {@link verifyWebhook} needs. */
export interface WebhookVerification {
  /** The endpoint's signing secret. */
  secret: string | undefined;
  /** Largest distance between the signed timestamp and now, in milliseconds. */
  toleranceMs: number;
  /** Current time in milliseconds since the epoch. */
  clock: () => number;
  /** `@workos-inc/node`'s webhook API (`workos.webhooks`). */
  webhooks: WorkOSControlPort['webhooks'];
}

/** Timestamps below this are seconds (the emulator), above it milliseconds (WorkOS): 10^11 s is year 5138. */
const SECONDS_BELOW = 1e11;

/**
 * Verifies a delivery's `WorkOS-Signature` (`t=<timestamp>,v1=<hex HMAC-SHA256 of "t.body">`) and returns the
 * event. The timestamp may be in milliseconds (WorkOS) or seconds (the WorkOS emulator): it is normalised by
 * magnitude for the freshness check (both directions, on the injected clock), while the HMAC covers the raw
 * value and is checked, in constant time, by `@workos-inc/node`.
 * @throws AuthKitError `webhook_secret_missing`, `webhook_signature_invalid`, `webhook_timestamp_invalid`,
 *   `webhook_payload_invalid`. Messages never include the secret, the signature or the body.
 */
export async function verifyWebhook(
  body: string,
  signature: string | null | undefined,
  options: WebhookVerification,
): Promise<WorkOSWebhookEvent> {
  if (!options.secret)
    throw new AuthKitError('No webhook secret is configured (WORKOS_WEBHOOK_SECRET)', undefined, undefined, 'webhook_secret_missing');
  const timestamp = signedTimestamp(signature);
  const timestampMs = timestamp < SECONDS_BELOW ? timestamp * 1000 : timestamp;
  if (Math.abs(options.clock() - timestampMs) > options.toleranceMs) {
    throw new AuthKitError('Webhook timestamp is outside the tolerance', undefined, undefined, 'webhook_timestamp_invalid');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    throw new AuthKitError('Webhook body is not JSON', error, undefined, 'webhook_payload_invalid');
  }
  try {
    // The freshness check above replaces the SDK's (which reads the timestamp as milliseconds on the global clock).
    await options.webhooks.verifyHeader({ payload, sigHeader: signature as string, secret: options.secret, tolerance: Infinity });
  } catch (error) {
    throw new AuthKitError('Webhook signature does not match', error, undefined, 'webhook_signature_invalid');
  }
  if (!isEvent(payload)) throw new AuthKitError('Webhook body is not a WorkOS event', undefined, undefined, 'webhook_payload_invalid');
  return payload;
}

/** The `t=` value of a `t=…,v1=…` header, as a number. */
function signedTimestamp(signature: string | null | undefined): number {
  const match = typeof signature === 'string' ? /^t=(\d{1,16}),v1=[0-9a-f]{64}$/i.exec(signature.trim()) : null;
  if (!match) throw new AuthKitError('Webhook signature header is missing or malformed', undefined, undefined, 'webhook_signature_invalid');
  return Number(match[1]);
}

function isEvent(value: unknown): value is WorkOSWebhookEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { id, event, data } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    typeof event === 'string' &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data)
  );
}
