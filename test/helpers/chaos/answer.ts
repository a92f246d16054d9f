import { cookieName, isDeletion } from '../../../src/testing/jar.js';

/** The session cookie of the soak's servers (the library's default name). */
export const SESSION = 'wos-session';
const REQUEST_TIMEOUT_MS = 60_000;

/** What a soak server answers (test/helpers/chaos/server.ts), as JSON. */
export type Answer = { status: number; body: { sid?: string; reason?: string; retryable?: boolean; signedOut?: string } };

/** The status and JSON body of a soak server's response (empty when it has none), with the session cookie it sets. */
export async function readAnswer(response: Response): Promise<Answer & { sessionCookie: string | undefined }> {
  const line = response.headers.getSetCookie().find((l) => cookieName(l) === SESSION && !isDeletion(l));
  const sessionCookie = line === undefined ? undefined : decodeURIComponent(line.slice(line.indexOf('=') + 1).split(';')[0] as string);
  let body: Answer['body'] = {};
  try {
    body = (await response.json()) as Answer['body'];
  } catch {
    // a 502 from a dying process may have no JSON body
  }
  return { status: response.status, body, sessionCookie };
}

/** The abort signal of one simulated browser request. */
export function timeout(): AbortSignal {
  return AbortSignal.timeout(REQUEST_TIMEOUT_MS);
}
