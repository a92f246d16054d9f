import { expect, vi } from 'vitest';
import type { AuthKitConfig, ValueSource } from '../../src/core/config/types.js';
import { AuthKitError } from '../../src/core/errors.js';
import { CLIENT_ID, REDIRECT_URI } from './emulator.js';

// Shared by the configuration tests (test/core/config/).

/** A valid cookie password (40 characters). */
export const PASSWORD = 'p'.repeat(40);

/** A complete environment with the required variables. */
export const REQUIRED_ENV = {
  WORKOS_CLIENT_ID: 'client_env',
  WORKOS_API_KEY: 'sk_test_env',
  WORKOS_REDIRECT_URI: 'https://app.example/callback',
  WORKOS_COOKIE_PASSWORD: PASSWORD,
};

/** A function value source reading `env`. */
export const asFunction =
  (env: Record<string, string>): ValueSource =>
  (name: string) =>
    env[name];

/** The library with fresh module state (a new global provider and WorkOS client). */
export async function freshLibrary() {
  vi.resetModules();
  return import('../../src/index.js');
}

/** The configuration error `fn` throws, with its list of problems. */
export function problemsOf(fn: () => unknown): { error: AuthKitError; problems: string[] } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthKitError);
    return { error: error as AuthKitError, problems: (error as AuthKitError).data?.problems as string[] };
  }
  throw new Error('expected a configuration error');
}

/** A complete programmatic configuration pointing at the emulator's client id and redirect URI. */
export function configForCore(): AuthKitConfig {
  return { clientId: CLIENT_ID, apiKey: 'sk_test', redirectUri: REDIRECT_URI, cookiePassword: PASSWORD };
}
