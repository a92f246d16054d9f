import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthService } from '../../src/service/AuthService.js';
import { OTHER_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';
import {
  delivery,
  emulatorApi,
  registerEndpoint,
  sessionIdOf,
  signBody,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../helpers/webhooks.js';

const SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';
const context = useEmulator();
let harness: ServiceHarness;
let service: AuthService<Request, Response>;
let receiver: WebhookReceiver;

beforeAll(async () => {
  harness = makeService(context.em.port, context.em.apiKey, { webhookSecret: SECRET });
  service = harness.service;
  receiver = await startWebhookReceiver((d) => service.receiveWorkOSWebhook(d));
  await registerEndpoint(context.em, receiver.url, SECRET);
});
afterAll(() => receiver?.close());

const withCookie = (cookie: string) => service.withAuth(requestWithCookies({ 'wos-session': cookie }));

/**
 * Signs in and settles the one refresh that the sign-in's own `user.updated` event (the emulator updates
 * `last_sign_in_at`) may ask for, so tests start from a cookie that is served as is.
 */
async function signedIn(loginHint?: string): Promise<{ cookie: string; sessionId: string; userId: string }> {
  const before = receiver.received.length;
  const { cookie, result } = await signIn(service, loginHint ? { loginHint } : {});
  const userId = result.authResponse.user.id;
  await receiver.waitFor((d) => receiver.received.indexOf(d) >= before && d.event.event === 'user.updated' && d.event.data.id === userId);
  const first = await withCookie(cookie);
  if (!first.auth.user) throw new Error(`not signed in: ${first.auth.reason}`);
  const settled = first.refreshedSessionData ?? cookie;
  const session = await service.getSession(requestWithCookies({ 'wos-session': settled }));
  return { cookie: settled, sessionId: sessionIdOf(session!.accessToken), userId };
}

function post(body: string, signature: string | null | undefined): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (typeof signature === 'string') headers['workos-signature'] = signature;
  return new Request('http://localhost:3000/webhooks/workos', { method: 'POST', headers, body });
}

describe('webhooks the emulator sends when its state changes through its API', () => {
  it('session.revoked: the next request answers session_revoked, a cached cookie included', async () => {
    const { cookie, sessionId: live } = await signedIn();
    // The second and third requests answer from the verified-session cache.
    for (let i = 0; i < 3; i++) expect((await withCookie(cookie)).auth).toMatchObject({ sessionId: live });
    await emulatorApi(context.em, 'POST', '/user_management/sessions/revoke', { session_id: live });
    const got = await receiver.waitFor((d) => d.event.event === 'session.revoked' && d.event.data.id === live);
    expect(got.reply).toEqual({ status: 200, body: { received: true, action: 'revoke_session' } });
    // The emulator signs with a seconds timestamp.
    expect(Number(/^t=(\d+)/.exec(got.signature)?.[1])).toBeLessThan(1e11);
    expect((await withCookie(cookie)).auth).toMatchObject({ user: null, reason: 'session_revoked' });
  });

  it('organization_membership.updated: the next request refreshes and carries the new role and permissions', async () => {
    const { em } = context;
    const { cookie: plain } = await signedIn();
    const session = (await service.getSession(requestWithCookies({ 'wos-session': plain })))!;
    const switched = await service.switchOrganization(session, em.orgs.Acme as string);
    const cookie = switched.encryptedSession;
    for (let i = 0; i < 3; i++) expect((await withCookie(cookie)).auth).toMatchObject({ role: 'admin' });
    const memberships = (await (
      await emulatorApi(em, 'GET', `/user_management/organization_memberships?user_id=${session.user.id}`)
    ).json()) as {
      data: { id: string; organization_id: string }[];
    };
    const membership = memberships.data.find((m) => m.organization_id === em.orgs.Acme)!;
    await emulatorApi(em, 'PUT', `/user_management/organization_memberships/${membership.id}`, { role_slug: 'member' });
    await receiver.waitFor((d) => d.event.event === 'organization_membership.updated' && d.event.data.id === membership.id);
    const next = await withCookie(cookie);
    expect(next.auth).toMatchObject({ role: 'member', permissions: ['posts:read'] });
    expect(next.refreshedSessionData).toBeTypeOf('string');
    // The refreshed cookie is served as is: one refresh per change, not one per request.
    const after = await withCookie(next.refreshedSessionData as string);
    expect(after.auth).toMatchObject({ role: 'member' });
    expect(after.refreshedSessionData).toBeUndefined();
    await emulatorApi(em, 'PUT', `/user_management/organization_memberships/${membership.id}`, { role_slug: 'admin' });
  });

  it('user.updated: a sign-in is no change; a profile change refreshes the sessions and carries the new profile', async () => {
    const before = receiver.received.length;
    const { cookie, result } = await signIn(service);
    const userId = result.authResponse.user.id;
    const signInEvent = await receiver.waitFor(
      (d) => receiver.received.indexOf(d) >= before && d.event.event === 'user.updated' && d.event.data.id === userId,
    );
    expect(signInEvent.reply.status).toBe(200);
    const first = await withCookie(cookie);
    expect(first.auth.user).not.toBeNull();
    expect(first.refreshedSessionData).toBeUndefined();
    const renamed = `Renamed${Date.now()}`;
    await emulatorApi(context.em, 'PUT', `/user_management/users/${userId}`, { first_name: renamed });
    await receiver.waitFor((d) => d.event.event === 'user.updated' && d.event.data.first_name === renamed);
    const next = await withCookie(cookie);
    expect(next.auth.user?.firstName).toBe(renamed);
    expect(next.refreshedSessionData).toBeTypeOf('string');
  });

  it('user.deleted: every session of the user answers session_revoked', async () => {
    const first = await signedIn(OTHER_EMAIL);
    const second = await signedIn(OTHER_EMAIL);
    await emulatorApi(context.em, 'DELETE', `/user_management/users/${first.userId}`);
    await receiver.waitFor((d) => d.event.event === 'user.deleted' && d.event.data.id === first.userId);
    for (const { cookie } of [first, second]) {
      expect((await withCookie(cookie)).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    }
  });
});

describe('deliveries that must change nothing', () => {
  it('a forged signature is a 401 webhook_signature_invalid, and the session keeps working', async () => {
    const { cookie, sessionId } = await signedIn();
    const forged = delivery('session.revoked', { id: sessionId }, 'not-the-secret-at-all-0123456789');
    const response = await service.handleWorkOSWebhook(post(forged.body, forged.signature));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ received: false, code: 'webhook_signature_invalid' });
    // A genuine signature over another body does not carry over to this one.
    const genuine = delivery('user.created', { id: 'user_x' }, SECRET);
    const swapped = await service.handleWorkOSWebhook(post(forged.body, genuine.signature));
    expect(swapped.status).toBe(401);
    for (const signature of [null, '', 'garbage', `t=${Date.now()}`]) {
      expect((await service.handleWorkOSWebhook(post(forged.body, signature))).status).toBe(401);
    }
    expect((await withCookie(cookie)).auth.user).not.toBeNull();
    expect(harness.events).toContainEqual({ type: 'webhook.received', status: 401, code: 'webhook_signature_invalid' });
  });

  it('a stale or future timestamp is a 401 webhook_timestamp_invalid, in milliseconds and in seconds', async () => {
    const { cookie, sessionId } = await signedIn();
    for (const offset of [-10 * 60_000, 10 * 60_000]) {
      for (const inSeconds of [false, true]) {
        const old = delivery('session.revoked', { id: sessionId }, SECRET, { timestampMs: harness.clock.now() + offset, inSeconds });
        const reply = await service.receiveWorkOSWebhook(old);
        expect(reply).toEqual({ status: 401, body: { received: false, code: 'webhook_timestamp_invalid' } });
      }
    }
    expect((await withCookie(cookie)).auth.user).not.toBeNull();
  });

  it('a replayed event id is acknowledged and ignored', async () => {
    const { cookie, userId } = await signedIn();
    const event = delivery('organization_membership.updated', { id: 'om_1', user_id: userId }, SECRET);
    expect(await service.receiveWorkOSWebhook(event)).toEqual({ status: 200, body: { received: true, action: 'stale' } });
    const refreshed = (await withCookie(cookie)).refreshedSessionData as string;
    expect(refreshed).toBeTypeOf('string');
    expect(await service.receiveWorkOSWebhook(event)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    // Had the replay been applied, the refreshed cookie would be stale again and refresh once more.
    const after = await withCookie(refreshed);
    expect(after.auth.user).not.toBeNull();
    expect(after.refreshedSessionData).toBeUndefined();
  });

  it('a body that is not a WorkOS event is a 400; without a configured secret every delivery is a 401', async () => {
    const timestamp = Date.now();
    const notJson = 'not json';
    expect((await service.receiveWorkOSWebhook({ body: notJson, signature: signBody(notJson, SECRET, timestamp) })).status).toBe(400);
    const noEvent = JSON.stringify({ hello: 'world' });
    expect(await service.receiveWorkOSWebhook({ body: noEvent, signature: signBody(noEvent, SECRET, timestamp) })).toEqual({
      status: 400,
      body: { received: false, code: 'webhook_payload_invalid' },
    });
    const unconfigured = makeService(context.em.port, context.em.apiKey).service;
    const event = delivery('session.revoked', { id: 'session_x' }, SECRET);
    expect(await unconfigured.receiveWorkOSWebhook(event)).toEqual({
      status: 401,
      body: { received: false, code: 'webhook_secret_missing' },
    });
    expect((await service.handleWorkOSWebhook(new Request('http://localhost:3000/webhooks/workos'))).status).toBe(405);
  });
});

describe('signature timestamps in both units', () => {
  it('accepts WorkOS milliseconds and emulator seconds, both signed over the raw value', async () => {
    for (const inSeconds of [false, true]) {
      const { cookie, sessionId } = await signedIn();
      const revoked = delivery('session.revoked', { id: sessionId, user_id: 'u' }, SECRET, { inSeconds });
      const response = await service.handleWorkOSWebhook(post(revoked.body, revoked.signature));
      expect(response.status).toBe(200);
      expect((await withCookie(cookie)).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    }
  });
});
