import type { AuthService } from '../../src/service/AuthService.js';
import { requestWithCookies } from './requests.js';

export interface StormResult {
  calls: number;
  authenticated: number;
  loggedOut: number;
  reasons: Record<string, number>;
  errors: number;
}

/** Fires `calls` withAuth calls with one cookie, `spacingMs` apart (0 = all at once), and tallies outcomes. */
export async function storm(service: AuthService<Request, Response>, cookie: string, calls: number, spacingMs = 0): Promise<StormResult> {
  const result: StormResult = { calls, authenticated: 0, loggedOut: 0, reasons: {}, errors: 0 };
  const one = async (delay: number) => {
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      if (auth.user) result.authenticated += 1;
      else {
        result.loggedOut += 1;
        result.reasons[auth.reason] = (result.reasons[auth.reason] ?? 0) + 1;
      }
    } catch {
      result.errors += 1;
    }
  };
  await Promise.all(Array.from({ length: calls }, (_, i) => one(i * spacingMs)));
  return result;
}
