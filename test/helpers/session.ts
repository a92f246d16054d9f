import { sessionEncryption } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import type { Session } from '../../src/core/session/types.js';
import type { AuthService } from '../../src/service/AuthService.js';
import { COOKIE_PASSWORD } from './emulator.js';
import { requestWithCookies } from './requests.js';

/** The unsealed session in a cookie value, read through the service (throws when it cannot be opened). */
export async function openCookie(service: AuthService<Request, Response>, cookie: string): Promise<Session> {
  const session = await service.getSession(requestWithCookies({ 'wos-session': cookie }));
  if (!session) throw new Error('cookie did not open');
  return session;
}

/** Seals any value the way the library does (iron, password id 1, `~2`), under the test cookie password by default. */
export function seal(data: unknown, password: string = COOKIE_PASSWORD): Promise<string> {
  return sessionEncryption.sealData(data, { password, ttl: 0 });
}

/** A Fetch request with a raw (not URL-encoded) `Cookie` header. */
export function requestWithRawCookie(header: string): Request {
  return new Request('http://localhost:3000/', { headers: { cookie: header } });
}
