import {
  receiveWebhook,
  receiveWebhookRequest,
  type WebhookDelivery,
  type WebhookReceiverDeps,
  type WebhookReply,
} from '../control/webhook/receiver.js';
import { listSessions, revokeAllSessions, revokeOtherSessions, type ActiveSession, type SessionListDeps } from '../control/sessions.js';
import type { ServiceDependencies } from './dependencies.js';

/** How long a revoked session id is remembered, in milliseconds (the access-token lifetime bound, 1 hour). */
const REVOKED_SESSION_TTL_MS = 3_600_000;

/** What session control needs of the service's dependencies. */
type ControlDeps = Pick<ServiceDependencies<unknown, unknown>, 'config' | 'core' | 'client' | 'clock'>;

function receiverDeps({ config, core, client, clock }: ControlDeps): WebhookReceiverDeps {
  return {
    secret: config.webhookSecret,
    toleranceMs: config.webhookToleranceSeconds * 1000,
    clock,
    webhooks: client.webhooks,
    store: core.control.store,
    control: core.control,
    revokedSessionTtlMs: REVOKED_SESSION_TTL_MS,
    onEvent: core.control.onEvent,
  };
}

function listDeps({ core, client, clock }: ControlDeps): SessionListDeps {
  return { client, store: core.control.store, control: core.control, clock, revokedSessionTtlMs: REVOKED_SESSION_TTL_MS };
}

/** The session-control methods of `AuthService`, over its resolved dependencies. */
export const controlMethods = {
  handle: (deps: ControlDeps, request: Request): Promise<Response> => receiveWebhookRequest(request, receiverDeps(deps)),
  receive: (deps: ControlDeps, delivery: WebhookDelivery): Promise<WebhookReply> => receiveWebhook(delivery, receiverDeps(deps)),
  list: (deps: ControlDeps, userId: string, currentSessionId?: string): Promise<ActiveSession[]> =>
    listSessions(listDeps(deps), userId, currentSessionId),
  revokeOthers: (deps: ControlDeps, userId: string, sessionId: string): Promise<string[]> =>
    revokeOtherSessions(listDeps(deps), userId, sessionId),
  revokeAll: (deps: ControlDeps, userId: string): Promise<string[]> => revokeAllSessions(listDeps(deps), userId),
};
