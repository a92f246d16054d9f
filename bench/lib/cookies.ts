import { WorkOS } from '@workos-inc/node';
import { generateKeyPair, SignJWT } from 'jose';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD } from '../../test/helpers/emulator.js';

let foreignKey: CryptoKey | undefined;

/**
 * A `wos-session` cookie both libraries must refresh: a real refresh token from the emulator (password
 * sign-in) and an expired access token with the right claims, signed by a key outside the JWKS. Neither
 * library can verify it, so both take the refresh path; sealed in the shared wire format.
 */
export async function expiredCookie(emulatorPort: number, apiKey: string): Promise<string> {
  const workos = new WorkOS(apiKey, { apiHostname: 'localhost', port: emulatorPort, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  foreignKey ??= (await generateKeyPair('RS256')).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const claims = JSON.parse(Buffer.from(auth.accessToken.split('.')[1] as string, 'base64url').toString('utf8'));
  const accessToken = await new SignJWT({ ...claims, iat: now - 7200, exp: now - 3600 })
    .setProtectedHeader({ alg: 'RS256', kid: 'foreign' })
    .sign(foreignKey);
  return sealData({ accessToken, refreshToken: auth.refreshToken, user: auth.user }, { password: COOKIE_PASSWORD });
}
