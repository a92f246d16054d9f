import type { WorkOS } from '@workos-inc/node';

/** The few WorkOS user-management calls this library makes; a `WorkOS` instance satisfies it. */
export interface WorkOSPort {
  userManagement: Pick<
    WorkOS['userManagement'],
    'authenticateWithRefreshToken' | 'authenticateWithCode' | 'getAuthorizationUrl' | 'getLogoutUrl' | 'revokeSession'
  >;
}
