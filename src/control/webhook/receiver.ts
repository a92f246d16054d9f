import type { CoordinationStore } from '../../core/coordination/CoordinationStore.js';
import { AuthKitError, type AuthKitErrorCode } from '../../core/errors.js';
import { emit, type AuthKitEventHandler } from '../../core/events.js';
import type { SessionControl } from '../SessionControl.js';
import { webhookAction, type WebhookAction } from './actions.js';
import { verifyWebhook, type WebhookVerification } from './signature.js';

/** A webhook delivery as any adapter can read it: the raw body and the `WorkOS-Signature` header. */
export interface WebhookDelivery {
  body: string;
  signature: string | null | undefined;
}

/** The answer to a delivery: 200 when handled (or a replay), 400/401 when refused, 503 when WorkOS should retry. */
export interface WebhookReply {
  status: 200 | 400 | 401 | 503;
  body: { received: boolean; code?: AuthKitErrorCode; duplicate?: boolean; action?: WebhookAction['kind'] };
}

/** What {@link receiveWebhook} needs besides the verification inputs. */
export interface WebhookReceiverDeps extends WebhookVerification {
  store: CoordinationStore;
  control: SessionControl;
  /** How long a revoked session id is remembered, in milliseconds. */
  revokedSessionTtlMs: number;
  /** Receives a `webhook.received` event per delivery. */
  onEvent?: AuthKitEventHandler | undefined;
}

/** Largest body accepted, in characters (WorkOS events are a few kilobytes). */
export const MAX_WEBHOOK_BODY_CHARS = 256 * 1024;

/**
 * Verifies a WorkOS webhook delivery and applies its action through the coordination store, so every
 * instance sees it on its next request. A bad signature, stale timestamp or malformed body changes nothing;
 * an event id already handled is acknowledged and ignored. When the store cannot record the action, the
 * answer is 503 so WorkOS delivers again.
 */
export async function receiveWebhook(delivery: WebhookDelivery, deps: WebhookReceiverDeps): Promise<WebhookReply> {
  const reply = await handleDelivery(delivery, deps);
  emit(deps.onEvent, {
    type: 'webhook.received',
    status: reply.status,
    ...(reply.event ? { event: reply.event } : {}),
    ...(reply.body.action ? { action: reply.body.action } : {}),
    ...(reply.body.duplicate ? { duplicate: true } : {}),
    ...(reply.body.code ? { code: reply.body.code } : {}),
  });
  return { status: reply.status, body: reply.body };
}

async function handleDelivery(delivery: WebhookDelivery, deps: WebhookReceiverDeps): Promise<WebhookReply & { event?: string }> {
  if (delivery.body.length > MAX_WEBHOOK_BODY_CHARS) return { status: 400, body: { received: false, code: 'webhook_payload_invalid' } };
  let action: WebhookAction;
  let eventId: string;
  let eventType: string;
  try {
    const event = await verifyWebhook(delivery.body, delivery.signature, deps);
    eventId = event.id;
    eventType = event.event;
    action = await webhookAction(event);
  } catch (error) {
    const code = error instanceof AuthKitError ? error.code : 'webhook_payload_invalid';
    return { status: code === 'webhook_payload_invalid' ? 400 : 401, body: { received: false, code } };
  }
  try {
    if (await applyOnce(eventId, action, deps)) return { status: 200, body: { received: true, action: action.kind }, event: eventType };
    return { status: 200, body: { received: true, duplicate: true }, event: eventType };
  } catch {
    return { status: 503, body: { received: false, code: 'coordination_unavailable' }, event: eventType };
  }
}

/** How long one delivery holds an event id while applying it (longer than any apply), in milliseconds; a hold a lost connection could not release ends by itself. */
const APPLYING_MS = 5_000;

/**
 * Applies an event's action once: false when it was applied before (a replay inside the timestamp tolerance;
 * older ones fail the timestamp check). The event id is held while the action is applied and marked done only
 * after it was recorded, so a delivery whose action the store failed to record is applied when WorkOS
 * delivers it again. A delivery racing another of the same event is answered 503 (WorkOS retries).
 * @throws when the store cannot be reached, or another delivery of the event is being applied.
 */
async function applyOnce(eventId: string, action: WebhookAction, deps: WebhookReceiverDeps): Promise<boolean> {
  const { store } = deps;
  const key = `webhook:${eventId}`;
  if ((await store.getResult(key)) !== undefined) return false;
  const owner = await store.acquire(key, APPLYING_MS);
  if (owner === undefined) throw new Error('event being applied');
  try {
    await apply(action, deps);
    await store.setResult(key, 'applied', 2 * deps.toleranceMs + 60_000);
  } finally {
    await store.release(key, owner).catch(() => undefined);
  }
  return true;
}

async function apply(action: WebhookAction, deps: WebhookReceiverDeps): Promise<void> {
  const now = deps.clock();
  switch (action.kind) {
    case 'revoke_session':
      return deps.store.revoke(action.sessionId, deps.revokedSessionTtlMs);
    case 'revoke_subject':
      return deps.control.record(action.subject, { revokedAt: now });
    case 'stale':
      return deps.control.record(action.subject, { staleAt: now });
    case 'stale_if_changed': {
      const seen = await deps.store.marksOf([action.subject]);
      if (seen.digest === action.digest) return;
      // First sight of this profile (no sign-in here recorded one): remember it, nothing to compare with.
      if (seen.digest === undefined) return deps.control.record(action.subject, { digest: action.digest });
      return deps.control.record(action.subject, { staleAt: now, digest: action.digest });
    }
    case 'ignore':
      return;
  }
}

/** {@link receiveWebhook} for a Fetch `Request`, answering a JSON `Response`. */
export async function receiveWebhookRequest(request: Request, deps: WebhookReceiverDeps): Promise<Response> {
  if (request.method !== 'POST') return Response.json({ received: false }, { status: 405, headers: { Allow: 'POST' } });
  let body: string;
  try {
    body = await request.text();
  } catch {
    return Response.json({ received: false, code: 'webhook_payload_invalid' }, { status: 400 });
  }
  const reply = await receiveWebhook({ body, signature: request.headers.get('workos-signature') }, deps);
  return Response.json(reply.body, { status: reply.status, headers: { 'Cache-Control': 'no-store' } });
}
