import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  checkGuards,
  requireAuth,
  requireOrganization,
  requirePermission,
  requireRecentSignIn,
  requireRole,
  type GuardResult,
} from '../../src/index.js';
import type { Authenticated, AuthResult } from '../../src/core/session/types.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

const context = useEmulator();

/** A signed-in Acme admin, from the emulator (real tokens and claims). */
async function acmeAdmin() {
  const harness = makeService(context.em.port, context.em.apiKey);
  const { cookie } = await signIn(harness.service);
  const session = (await harness.service.getSession(requestWithCookies({ 'wos-session': cookie })))!;
  const switched = await harness.service.switchOrganization(session, context.em.orgs.Acme as string);
  const { auth } = await harness.service.withAuth(requestWithCookies({ 'wos-session': switched.encryptedSession }));
  if (!auth.user) throw new Error(auth.reason);
  return { ...harness, auth };
}

describe('guards', () => {
  it('401 unauthenticated without a user; every other guard runs only after requireAuth', () => {
    const anonymous: AuthResult = { user: null, reason: 'no_session', retryable: false };
    expect(requireAuth(anonymous)).toEqual({ ok: false, status: 401, reason: 'unauthenticated' });
    expect(checkGuards(anonymous, requireRole('admin'))).toEqual({ ok: false, status: 401, reason: 'unauthenticated' });
  });

  it('organization, role and permission: 403 with the reason that failed, ok with the narrowed auth', async () => {
    const { auth, em } = { ...(await acmeAdmin()), em: context.em };
    expect(auth).toMatchObject({ role: 'admin', organizationId: em.orgs.Acme });
    const passed = checkGuards(
      auth,
      requireOrganization(em.orgs.Acme),
      requireRole('owner', 'admin'),
      requirePermission('posts:read', 'posts:write'),
    );
    expect(passed).toEqual({ ok: true, auth });
    expect(checkGuards(auth, requireOrganization())).toMatchObject({ ok: true });
    expect(
      checkGuards(
        auth,
        requireOrganization((id) => id === em.orgs.Acme),
      ),
    ).toMatchObject({ ok: true });
    expect(checkGuards(auth, requireOrganization(em.orgs.Globex))).toEqual({ ok: false, status: 403, reason: 'organization_mismatch' });
    expect(checkGuards(auth, requireRole('owner'))).toEqual({ ok: false, status: 403, reason: 'role_required' });
    expect(checkGuards(auth, requirePermission('posts:read', 'billing:manage'))).toEqual({
      ok: false,
      status: 403,
      reason: 'permission_required',
    });
    const noOrg: Authenticated = { ...auth, organizationId: undefined as never };
    delete noOrg.organizationId;
    expect(checkGuards(noOrg, requireOrganization())).toEqual({ ok: false, status: 403, reason: 'organization_required' });
    // `roles` (multiple roles) counts too.
    expect(checkGuards({ ...auth, role: 'member', roles: ['member', 'auditor'] }, requireRole('auditor'))).toMatchObject({ ok: true });
  });

  it('requireRecentSignIn: 401 sign_in_too_old with max_age for a step-up sign-in URL', async () => {
    const { auth, clock, service } = await acmeAdmin();
    expect(auth.signedInAt).toBeTypeOf('number');
    expect(checkGuards(auth, requireRecentSignIn(300, { now: clock.now }))).toMatchObject({ ok: true });
    clock.advance(301);
    const verdict = checkGuards(auth, requireRecentSignIn(300, { now: clock.now }));
    expect(verdict).toEqual({ ok: false, status: 401, reason: 'sign_in_too_old', maxAgeSeconds: 300 });
    if (verdict.ok) throw new Error('unreachable');
    const url = new URL(await service.getSignInUrl({ maxAge: verdict.maxAgeSeconds as number }));
    expect(url.searchParams.get('max_age')).toBe('300');
    // A session sealed before sign-in times were recorded has no sign-in time: too old.
    const legacy: Authenticated = { ...auth };
    delete legacy.signedInAt;
    expect(requireRecentSignIn(300)(legacy)).toMatchObject({ ok: false, reason: 'sign_in_too_old' });
  });

  it('narrows the result type on ok', () => {
    expectTypeOf<Extract<GuardResult<{ tier: string }>, { ok: true }>['auth']['claims']['tier']>().toEqualTypeOf<string>();
  });
});
