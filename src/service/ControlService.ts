import type { ActiveSession } from '../control/sessions.js';
import type { WebhookDelivery, WebhookReply } from '../control/webhook/receiver.js';
import { AuthKitError } from '../core/errors.js';
import { controlMethods } from './controlMethods.js';
import { LazyService } from './LazyService.js';

/** The session-control part of `AuthService`: revocation everywhere, session lists and WorkOS webhooks. */
export class ControlService<TRequest, TResponse> extends LazyService<TRequest, TResponse> {
  /**
   * Ends a session everywhere: records it as revoked in the coordination store (every instance then
   * answers its cookie with `session_revoked`) and revokes it at WorkOS.
   * @throws AuthKitError `revocation_failed` when WorkOS refuses or cannot be reached (the local record stays).
   */
  async revokeSession(sessionId: string): Promise<void> {
    const { core, operations, server } = this.deps;
    if (!sessionId) throw new AuthKitError('A session id is required', undefined, undefined, 'session_missing');
    await core.revokeSession(sessionId);
    await server?.destroy(sessionId);
    await operations.revokeSession(sessionId);
  }

  /**
   * Receives a WorkOS webhook (`POST`, header `WorkOS-Signature`) and applies it on every instance through the
   * coordination store: `session.revoked` revokes that session, `user.deleted` all of the user's sessions;
   * membership, role and profile changes make the affected sessions refresh on their next request.
   * Answers 200 (handled, or a replayed event id: ignored), 400 `webhook_payload_invalid`, 401
   * `webhook_signature_invalid` / `webhook_timestamp_invalid` / `webhook_secret_missing` (nothing changed),
   * or 503 `coordination_unavailable` (WorkOS retries). Configure the secret with `webhookSecret`.
   */
  async handleWorkOSWebhook(request: Request): Promise<Response> {
    return controlMethods.handle(this.deps, request);
  }

  /** {@link handleWorkOSWebhook} for adapters without a Fetch `Request`: give the raw body and the signature header. */
  async receiveWorkOSWebhook(delivery: WebhookDelivery): Promise<WebhookReply> {
    return controlMethods.receive(this.deps, delivery);
  }

  /**
   * The user's active sessions at WorkOS (id, created, IP, user agent), newest first; `current` marks `currentSessionId`.
   * @throws AuthKitError `unexpected` when WorkOS cannot be reached.
   */
  async listSessions(userId: string, currentSessionId?: string): Promise<ActiveSession[]> {
    return controlMethods.list(this.deps, userId, currentSessionId);
  }

  /**
   * Signs the user out everywhere else: every session but `sessionId` is revoked at WorkOS and on every
   * instance (their next request answers `session_revoked`). Returns the revoked ids.
   * @throws AuthKitError `revocation_failed`, `unexpected`.
   */
  async revokeOtherSessions(sessionId: string, userId: string): Promise<string[]> {
    if (!sessionId || !userId) throw new AuthKitError('A session id and a user id are required', undefined, undefined, 'session_missing');
    return controlMethods.revokeOthers(this.deps, userId, sessionId);
  }

  /**
   * Signs the user out everywhere, this session included: every session signed in before now answers
   * `session_revoked` on every instance, and each is revoked at WorkOS. Returns the ids revoked at WorkOS.
   * @throws AuthKitError `coordination_unavailable`, `revocation_failed`, `unexpected`.
   */
  async revokeAllSessions(userId: string): Promise<string[]> {
    if (!userId) throw new AuthKitError('A user id is required', undefined, undefined, 'session_missing');
    const revoked = await controlMethods.revokeAll(this.deps, userId);
    await this.deps.server?.destroyUser(userId);
    return revoked;
  }
}
