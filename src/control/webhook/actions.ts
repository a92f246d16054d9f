import { ALL_SUBJECTS, organizationSubject, userSubject } from '../../core/coordination/marks.js';
import { eventProfileDigest } from '../profile.js';
import type { WorkOSWebhookEvent } from './signature.js';

/** What a WorkOS event asks of the sessions here. */
export type WebhookAction =
  | { kind: 'revoke_session'; sessionId: string }
  | { kind: 'revoke_subject'; subject: string }
  | { kind: 'stale'; subject: string }
  /**
   * `user.updated`: stale only if the profile differs from the last one seen (at sign-in or in an event);
   * sign-ins also update users (`last_sign_in_at`), which is no change.
   */
  | { kind: 'stale_if_changed'; subject: string; digest: string }
  | { kind: 'ignore' };

const MEMBERSHIP_EVENTS = new Set([
  'organization_membership.created',
  'organization_membership.updated',
  'organization_membership.deleted',
]);
const ROLE_EVENTS = new Set(['role.updated', 'role.deleted', 'permission.updated', 'permission.deleted']);
const ORGANIZATION_ROLE_EVENTS = new Set(['organization_role.updated', 'organization_role.deleted']);

/**
 * Maps a verified event to its action: `session.revoked` revokes that session; `user.deleted` every session of
 * the user; membership changes mark the user's sessions stale; role and permission changes mark every session
 * (or the organization's) stale; `user.updated` marks the user's sessions stale when the profile changed.
 */
export async function webhookAction(event: WorkOSWebhookEvent): Promise<WebhookAction> {
  const data = event.data;
  const id = text(data.id);
  if (event.event === 'session.revoked') return id ? { kind: 'revoke_session', sessionId: id } : { kind: 'ignore' };
  if (event.event === 'user.deleted') return id ? { kind: 'revoke_subject', subject: userSubject(id) } : { kind: 'ignore' };
  if (event.event === 'user.updated') {
    return id ? { kind: 'stale_if_changed', subject: userSubject(id), digest: await eventProfileDigest(data) } : { kind: 'ignore' };
  }
  if (MEMBERSHIP_EVENTS.has(event.event)) {
    const userId = text(data.user_id);
    return userId ? { kind: 'stale', subject: userSubject(userId) } : { kind: 'ignore' };
  }
  if (ROLE_EVENTS.has(event.event)) return { kind: 'stale', subject: ALL_SUBJECTS };
  if (ORGANIZATION_ROLE_EVENTS.has(event.event)) {
    const organizationId = text(data.organization_id);
    return { kind: 'stale', subject: organizationId ? organizationSubject(organizationId) : ALL_SUBJECTS };
  }
  return { kind: 'ignore' };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
