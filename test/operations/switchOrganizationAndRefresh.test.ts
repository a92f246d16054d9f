import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { signIn } from '../helpers/service.js';
import { openCookie } from '../helpers/session.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

const ctx = useEmulator();

const harness = useHarness(ctx);

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

describe('switchOrganization and refreshSession', () => {
  it('switches into Acme as admin, then Globex as member, each result authenticating', async () => {
    const { cookie } = await signIn(harness.service);
    const acme = await harness.service.switchOrganization(await openCookie(harness.service, cookie), ctx.em.orgs.Acme as string);
    if (!acme.auth.user) throw new Error('switch lost the user');
    expect(acme.auth).toMatchObject({
      organizationId: ctx.em.orgs.Acme,
      role: 'admin',
      permissions: ['posts:read', 'posts:write'],
      claims: { org_id: ctx.em.orgs.Acme, role: 'admin' },
    });
    const afterAcme = await harness.service.withAuth(withCookie(acme.encryptedSession));
    expect(afterAcme.auth.user ? afterAcme.auth.organizationId : undefined).toBe(ctx.em.orgs.Acme);

    const globex = await harness.service.switchOrganization(
      await openCookie(harness.service, acme.encryptedSession),
      ctx.em.orgs.Globex as string,
    );
    expect(globex.auth).toMatchObject({ organizationId: ctx.em.orgs.Globex, role: 'member', permissions: ['posts:read'] });
    const afterGlobex = await harness.service.withAuth(withCookie(globex.encryptedSession));
    expect(afterGlobex.auth.user ? afterGlobex.auth.role : undefined).toBe('member');
  });

  it('refreshSession returns an encryptedSession that authenticates, keeping the current organization', async () => {
    const { cookie } = await signIn(harness.service);
    const before = await openCookie(harness.service, cookie);
    const plain = await harness.service.refreshSession(before);
    if (!plain.auth.user) throw new Error('refresh lost the user');
    expect(plain.auth.accessToken).not.toBe(before.accessToken);
    expect(plain.auth.organizationId).toBeUndefined();
    const authed = await harness.service.withAuth(withCookie(plain.encryptedSession));
    expect(authed.auth.user?.email).toBe(DEMO_EMAIL);
    expect(authed.refreshedSessionData).toBeUndefined();

    const acme = await harness.service.refreshSession(await openCookie(harness.service, plain.encryptedSession), ctx.em.orgs.Acme);
    expect(acme.auth.user && acme.auth.organizationId).toBe(ctx.em.orgs.Acme);
    const again = await harness.service.refreshSession(await openCookie(harness.service, acme.encryptedSession));
    expect(again.auth.user && again.auth.organizationId).toBe(ctx.em.orgs.Acme);
    expect(again.auth.user && again.auth.role).toBe('admin');
  });
});
