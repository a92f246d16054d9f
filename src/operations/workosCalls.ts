import type { AuthenticationResponse, WorkOS } from '@workos-inc/node';
import { AuthKitError } from '../core/errors.js';

/**
 * Revokes a session at WorkOS; a session WorkOS no longer knows (404) counts as revoked.
 * @throws AuthKitError `revocation_failed` when WorkOS refuses or cannot be reached.
 */
export async function revokeAtWorkOS(
  client: { userManagement: Pick<WorkOS['userManagement'], 'revokeSession'> },
  sessionId: string,
): Promise<void> {
  try {
    await client.userManagement.revokeSession({ sessionId });
  } catch (error) {
    if ((error as { status?: number }).status === 404) return;
    throw new AuthKitError('Session revocation at WorkOS failed', error, undefined, 'revocation_failed');
  }
}

/**
 * Exchanges a sign-in's authorization code (with its PKCE verifier) for the user's tokens.
 * @throws AuthKitError `code_exchange_failed` (the cause holds WorkOS's error; the message never holds the code).
 */
export async function exchangeCode(
  client: { userManagement: Pick<WorkOS['userManagement'], 'authenticateWithCode'> },
  request: { clientId: string; code: string; codeVerifier: string },
): Promise<AuthenticationResponse> {
  try {
    return await client.userManagement.authenticateWithCode(request);
  } catch (error) {
    throw new AuthKitError('Authorization code exchange failed', error, undefined, 'code_exchange_failed');
  }
}
