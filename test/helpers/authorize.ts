import type { AuthService } from '../../src/service/AuthService.js';
import { DEMO_EMAIL } from './emulator.js';

/** Follows a hosted authorize URL on the emulator (which auto-approves) and returns the callback's code and state. */
export async function followAuthorize(url: string): Promise<{ code: string; state: string | undefined; callback: URL }> {
  const response = await fetch(url, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}`);
  const callback = new URL(response.headers.get('location') as string);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error('authorize gave no code');
  return { code, state: callback.searchParams.get('state') ?? undefined, callback };
}

/** A fresh, unspent authorization code for `loginHint` (default the demo user). */
export async function authorizationCode(service: AuthService<Request, Response>, loginHint = DEMO_EMAIL): Promise<string> {
  return (await followAuthorize(await service.getSignInUrl({ loginHint }))).code;
}
