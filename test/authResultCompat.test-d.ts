/**
 * App code typed against 0.7.1 compiles unchanged against this package: the same assignments of `withAuth`,
 * `refreshSession` and `switchOrganization` results to `AuthResult` (including the TanStack SDK's
 * `AuthResult<User>` context type), written once and checked against both packages' declarations.
 */
import type { User } from '@workos-inc/node';
import type * as Upstream from 'anchor-authkit-session';
import { describe, expectTypeOf, it } from 'vitest';
import type * as Ours from '../src/index.js';

declare const request: Request;

describe('AuthResult as 0.7.1 code types it', () => {
  it('accepts the same assignments as 0.7.1', async () => {
    const ours = {} as Ours.AuthService<Request, Response>;
    const upstream = {} as Upstream.AuthService<Request, Response>;
    const session = {} as Ours.Session;

    const asUser = (await ours.withAuth<User>(request)).auth;
    const context: { auth: () => Ours.AuthResult<User> } = { auth: () => asUser };
    const destructured: { auth: Ours.AuthResult } = await ours.withAuth(request);
    const promised: Promise<{ auth: Ours.AuthResult; refreshedSessionData?: string }> = ours.withAuth(request);
    const refreshed: Ours.AuthResult = (await ours.refreshSession(session)).auth;
    const switched: Ours.AuthResult = (await ours.switchOrganization(session, 'org_1')).auth;
    const custom: Ours.AuthResult<{ tier: string }> = (await ours.withAuth<{ tier: string }>(request)).auth;
    const returned = async (): Promise<Ours.AuthResult<User>> => (await ours.withAuth<User>(request)).auth;
    // Neither package infers custom claims from the target type: both need withAuth<User>() or a cast.
    // @ts-expect-error withAuth() without a type argument is AuthResult<CustomClaims>, as in 0.7.1
    const inferredOurs: Ours.AuthResult<User> = (await ours.withAuth(request)).auth;
    // @ts-expect-error the same assignment is refused by 0.7.1's declarations
    const inferredUpstream: Upstream.AuthResult<User> = (await upstream.withAuth(request)).auth;

    const upAsUser = (await upstream.withAuth<User>(request)).auth;
    const upContext: { auth: () => Upstream.AuthResult<User> } = { auth: () => upAsUser };
    const upDestructured: { auth: Upstream.AuthResult } = await upstream.withAuth(request);
    const upPromised: Promise<{ auth: Upstream.AuthResult; refreshedSessionData?: string }> = upstream.withAuth(request);

    // Results of one package fit the other's types, both ways.
    const crossIn: Upstream.AuthResult<User> = asUser;
    const crossOut: Ours.AuthResult<User> = upAsUser;

    expectTypeOf(context.auth).returns.toEqualTypeOf<Ours.AuthResult<User>>();
    expectTypeOf(upContext.auth).returns.toEqualTypeOf<Upstream.AuthResult<User>>();
    for (const value of [destructured, promised, refreshed, switched, custom, returned, inferredOurs, inferredUpstream]) {
      expectTypeOf(value).not.toBeNever();
    }
    for (const value of [upDestructured, upPromised, crossIn, crossOut]) expectTypeOf(value).not.toBeNever();
  });
});
