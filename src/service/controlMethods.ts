import type { WorkOS } from '@workos-inc/node';
import type { AuthKitCore } from '../core/AuthKitCore.js';
import type { ResolvedConfig } from '../core/config/resolve.js';
import {
  receiveWebhook,
  receiveWebhookRequest,
  type WebhookDelivery,
  type WebhookReceiverDeps,
  type WebhookReply,
} from '../control/webhook/receiver.js';
import { listSessions, revokeAllSessions, revokeOtherSessions, type ActiveSession, type SessionListDeps } from '../control/sessions.js';

/** How long a revoked session id is remembered, in milliseconds (the access-token lifetime bound, 1 hour). */
const REVOKED_SESSION_TTL_MS = 3_600_000;

function receiverDeps(config: ResolvedConfig, core: AuthKitCore, client: WorkOS): WebhookReceiverDeps {
  return {
    secret: config.webhookSecret,
    toleranceMs: config.webhookToleranceSeconds * 1000,
    clock: () => core.now(),
    webhooks: client.webhooks,
    store: core.control.store,
    control: core.control,
    revokedSessionTtlMs: REVOKED_SESSION_TTL_MS,
    onEvent: core.control.onEvent,
  };
}

function listDeps(core: AuthKitCore, client: WorkOS): SessionListDeps {
  return { client, store: core.control.store, control: core.control, clock: () => core.now(), revokedSessionTtlMs: REVOKED_SESSION_TTL_MS };
}

/** The session-control methods of `AuthService`, over its resolved dependencies. */
export const controlMethods = {
  handle: (config: ResolvedConfig, core: AuthKitCore, client: WorkOS, request: Request): Promise<Response> =>
    receiveWebhookRequest(request, receiverDeps(config, core, client)),
  receive: (config: ResolvedConfig, core: AuthKitCore, client: WorkOS, delivery: WebhookDelivery): Promise<WebhookReply> =>
    receiveWebhook(delivery, receiverDeps(config, core, client)),
  list: (core: AuthKitCore, client: WorkOS, userId: string, currentSessionId?: string): Promise<ActiveSession[]> =>
    listSessions(listDeps(core, client), userId, currentSessionId),
  revokeOthers: (core: AuthKitCore, client: WorkOS, userId: string, sessionId: string): Promise<string[]> =>
    revokeOtherSessions(listDeps(core, client), userId, sessionId),
  revokeAll: (core: AuthKitCore, client: WorkOS, userId: string): Promise<string[]> => revokeAllSessions(listDeps(core, client), userId),
};
