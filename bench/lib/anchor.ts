/**
 * The anchor: `@workos/authkit-session` 0.7.1 from npm (devDependency alias `anchor-authkit-session`),
 * wired to the same emulator through a Fetch adapter, so both libraries run in one process.
 */
import { WorkOS } from '@workos-inc/node';
import * as anchor from 'anchor-authkit-session';
import { parseCookieHeader } from '../../src/core/session/parseCookieHeader.js';
import { CLIENT_ID, COOKIE_PASSWORD, REDIRECT_URI } from '../../test/helpers/emulator.js';

class AnchorFetchStorage extends anchor.CookieSessionStorage<Request, Response> {
  async getCookie(request: Request, name: string): Promise<string | null> {
    return parseCookieHeader(request.headers.get('cookie'))[name] ?? null;
  }
}

/** A 0.7.1 AuthService talking to `port` (the emulator or the fault proxy). */
export function anchorService(port: number, apiKey: string) {
  const config = {
    clientId: CLIENT_ID,
    apiKey,
    redirectUri: REDIRECT_URI,
    cookiePassword: COOKIE_PASSWORD,
    apiHostname: 'localhost',
    apiHttps: false,
    apiPort: port,
  };
  anchor.configure(config);
  const client = new WorkOS(apiKey, { apiHostname: 'localhost', port, https: false, clientId: CLIENT_ID });
  return anchor.createAuthService<Request, Response>({
    sessionStorageFactory: (c) => new AnchorFetchStorage(c),
    clientFactory: () => client,
  });
}
