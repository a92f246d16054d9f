import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { refreshGrants } from '../helpers/faultProxy.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie, seal } from '../helpers/session.js';
import { foreignKeyPair, signToken } from '../helpers/tokens.js';

const ctx = useEmulatorWithProxy();

describe('a token whose signature does not verify never shapes a WorkOS call', () => {
  it('its org_id claim does not choose the organization of the refresh', async () => {
    const { service } = makeService(ctx.proxy.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const session = await openCookie(service, cookie);
    const victimOrg = ctx.em.orgs.Globex as string;
    // Same claims as the real token, plus an organization, signed with a key WorkOS never published.
    const { privateKey } = await foreignKeyPair();
    const forged = await signToken(privateKey, { ...decodeJwt(session.accessToken), org_id: victimOrg });
    const forgedCookie = await seal({ ...session, accessToken: forged });

    ctx.proxy.reset();
    const result = await service.withAuth(requestWithCookies({ 'wos-session': forgedCookie }));
    const grants = refreshGrants(ctx.proxy.log);
    expect(grants).toHaveLength(1);
    expect(grants[0]?.organization_id).toBeUndefined();
    expect(JSON.stringify(ctx.proxy.log)).not.toContain(victimOrg);
    // The refresh token itself is real: the user stays signed in, in no organization.
    expect(result.auth).toMatchObject({ user: { email: DEMO_EMAIL } });
    expect(result.session?.organizationId).toBeUndefined();
  });

  it('the organization of the session still applies when the token is forged', async () => {
    const { service } = makeService(ctx.proxy.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const session = await openCookie(service, cookie);
    const sessionOrg = ctx.em.orgs.Acme as string;
    const { privateKey } = await foreignKeyPair();
    const forged = await signToken(privateKey, { ...decodeJwt(session.accessToken), org_id: ctx.em.orgs.Globex });
    const forgedCookie = await seal({ ...session, organizationId: sessionOrg, accessToken: forged });

    ctx.proxy.reset();
    await service.withAuth(requestWithCookies({ 'wos-session': forgedCookie }));
    expect(refreshGrants(ctx.proxy.log).map((grant) => grant.organization_id)).toEqual([sessionOrg]);
  });
});
