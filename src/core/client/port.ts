import type { WorkOS } from '@workos-inc/node';

/** The few WorkOS user-management calls this library makes; a `WorkOS` instance satisfies it. */
export interface WorkOSPort {
  userManagement: Pick<
    WorkOS['userManagement'],
    'authenticateWithRefreshToken' | 'authenticateWithCode' | 'getAuthorizationUrl' | 'getLogoutUrl' | 'revokeSession'
  >;
}

/** The WorkOS calls of session control: listing a user's sessions and verifying webhook signatures. */
export interface WorkOSControlPort {
  userManagement: Pick<WorkOS['userManagement'], 'listSessions' | 'revokeSession'>;
  webhooks: Pick<WorkOS['webhooks'], 'verifyHeader'>;
}
