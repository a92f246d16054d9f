import { expect } from 'vitest';
import { AuthKitError } from '../../src/core/errors.js';

// Shared by the sign-in security tests (test/security/signIn*.test.ts, boundSignIn.test.ts).

/**
 * Follows a hosted sign-in URL on the emulator; returns the callback's code and state. Unlike `followAuthorize`
 * it does not insist on a 302 with a code.
 */
export async function authorize(url: string): Promise<{ code: string; state: string | undefined; callback: URL }> {
  const response = await fetch(url, { redirect: 'manual' });
  const callback = new URL(response.headers.get('location') as string);
  return { code: callback.searchParams.get('code') as string, state: callback.searchParams.get('state') ?? undefined, callback };
}

/** Asserts that `promise` rejects with an {@link AuthKitError} of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthKitError);
  expect((error as AuthKitError).code).toBe(code);
}
