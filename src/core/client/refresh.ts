import type { Impersonator, User } from '@workos-inc/node';
import type { CoreDeps } from '../deps.js';
import type { RefreshCall } from '../refresh/types.js';
import type { Session } from '../session/types.js';

/** What WorkOS answers to a code exchange or a refresh, as far as a session is concerned. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator?: Impersonator | undefined;
  organizationId?: string | null | undefined;
  authenticationMethod?: string | null | undefined;
}

/**
 * The one WorkOS refresh call: `authenticateWithRefreshToken` for this client, into `organizationId` when
 * given, stamped with when it was made (tokens reflect WorkOS state from then on). Errors are WorkOS's own;
 * `refresh/retry.ts` classifies them.
 */
export function workosRefreshCall(deps: Pick<CoreDeps, 'workos' | 'clock'>, clientId: string): RefreshCall {
  return async (refreshToken, organizationId) => {
    const requestedAt = deps.clock();
    const response = await deps.workos.userManagement.authenticateWithRefreshToken({
      refreshToken,
      clientId,
      ...(organizationId ? { organizationId } : {}),
    });
    return {
      accessToken: response.accessToken,
      refreshToken: response.refreshToken,
      user: response.user,
      impersonator: response.impersonator,
      organizationId: response.organizationId,
      authenticationMethod: response.authenticationMethod,
      requestedAt,
    };
  };
}

/**
 * The session a WorkOS answer makes, for the callback and for a refresh alike. After a refresh, pass the
 * `previous` session: its authentication method (how the user signed in) and its app data carry over.
 */
export function sessionFromTokens(tokens: SessionTokens, previous?: Session): Session {
  const session: Session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user };
  if (tokens.impersonator) session.impersonator = tokens.impersonator;
  if (tokens.organizationId) session.organizationId = tokens.organizationId;
  const method = previous?.authenticationMethod ?? tokens.authenticationMethod;
  if (method) session.authenticationMethod = method;
  if (previous?.data) session.data = previous.data;
  return session;
}
