import type { WorkOSControlPort } from '../core/client/port.js';
import { revokeAtWorkOS } from '../operations/workosCalls.js';
import { userSubject } from '../core/coordination/marks.js';
import { AuthKitError } from '../core/errors.js';
import type { CoordinationStore } from '../core/coordination/CoordinationStore.js';
import type { SessionControl } from './SessionControl.js';

/** One of a user's sessions at WorkOS, as `listSessions` returns it. */
export interface ActiveSession {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  /** True for the session given as current. */
  current: boolean;
}

/** What the session-listing helpers need. */
export interface SessionListDeps {
  client: WorkOSControlPort;
  store: CoordinationStore;
  control: SessionControl;
  clock: () => number;
  /** How long a revoked session id is remembered, in milliseconds. */
  revokedSessionTtlMs: number;
}

/** Most sessions read for one user (bounds the paging loop). */
const MAX_SESSIONS = 1_000;

/**
 * The user's active sessions at WorkOS, newest first.
 * @throws AuthKitError `unexpected` when WorkOS cannot be reached (the cause is attached).
 */
export async function listSessions(deps: SessionListDeps, userId: string, currentSessionId?: string): Promise<ActiveSession[]> {
  const out: ActiveSession[] = [];
  try {
    const sessions = await (await deps.client.userManagement.listSessions(userId)).autoPagination();
    for (const session of sessions) {
      if (session.status !== undefined && session.status !== 'active') continue;
      out.push({
        id: session.id,
        createdAt: session.createdAt,
        ipAddress: session.ipAddress ?? null,
        userAgent: session.userAgent ?? null,
        current: session.id === currentSessionId,
      });
      if (out.length >= MAX_SESSIONS) break;
    }
  } catch (error) {
    throw new AuthKitError('Listing sessions at WorkOS failed', error, undefined, 'unexpected');
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Ends every other session of the user: each is revoked at WorkOS and recorded as revoked for every instance.
 * Returns the ids revoked.
 * @throws AuthKitError `revocation_failed` when WorkOS refuses one (those before it stay revoked).
 */
export async function revokeOtherSessions(deps: SessionListDeps, userId: string, currentSessionId: string): Promise<string[]> {
  const others = (await listSessions(deps, userId, currentSessionId)).filter((session) => !session.current);
  for (const session of others) await revokeOne(deps, session.id);
  return others.map((session) => session.id);
}

/**
 * Ends every session of the user, on every instance: a user mark revokes each session signed in before now
 * (even ones WorkOS no longer lists), then each listed session is revoked at WorkOS.
 * @throws AuthKitError `coordination_unavailable` when the mark cannot be stored; `revocation_failed` as above.
 */
export async function revokeAllSessions(deps: SessionListDeps, userId: string): Promise<string[]> {
  try {
    await deps.control.record(userSubject(userId), { revokedAt: deps.clock() });
  } catch (error) {
    throw new AuthKitError('The revocation could not be recorded', error, undefined, 'coordination_unavailable');
  }
  const sessions = await listSessions(deps, userId);
  for (const session of sessions) await revokeOne(deps, session.id);
  return sessions.map((session) => session.id);
}

async function revokeOne(deps: SessionListDeps, sessionId: string): Promise<void> {
  await deps.store.revoke(sessionId, deps.revokedSessionTtlMs).catch(() => undefined);
  await revokeAtWorkOS(deps.client, sessionId);
}
