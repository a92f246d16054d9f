import { AuthKitError } from '../errors.js';
import { convertValue, InvalidValue } from './convert.js';
import { expectedIssuer } from './issuer.js';
import { CONFIG_KEYS, DEFAULTS, environmentVariableName, REQUIRED_KEYS } from './keys.js';
import type { AuthKitConfig } from './types.js';

/** Minimum length of a cookie password (iron's minimum). */
export const MIN_PASSWORD_LENGTH = 32;
/** Browsers cap cookie lifetimes at 400 days. */
export const MAX_COOKIE_AGE_SECONDS = 34_560_000;

/** A validated, frozen configuration with every default applied. */
export interface ResolvedConfig extends Readonly<AuthKitConfig> {
  readonly apiHostname: string;
  readonly apiHttps: boolean;
  readonly cookieMaxAge: number;
  readonly cookieName: string;
  readonly cookieSameSite: 'strict' | 'lax' | 'none';
  readonly cookieMaxParts: number;
  readonly refreshBufferSeconds: number;
  readonly refreshGraceSeconds: number;
  readonly apiTimeoutMs: number;
  readonly clockToleranceSeconds: number;
  readonly sessionCacheMaxEntries: number;
  readonly webhookToleranceSeconds: number;
  readonly sessionIdleTimeoutSeconds: number;
  readonly sessionMaxLifetimeSeconds: number;
  readonly sessionTouchIntervalSeconds: number;
  /** `[current, ...previous]`; the first seals. */
  readonly cookiePasswords: readonly string[];
  /** `https://api.workos.com` or the configured host/port/scheme. */
  readonly apiBaseUrl: string;
  /**
   * Expected `iss` of access tokens: the configured `issuer`, else `https://api.workos.com` on WorkOS's own
   * host; `undefined` (not checked) on any other host without a configured `issuer`.
   */
  readonly issuer: string | undefined;
}

const RESOLVED = Symbol('authkit.resolved');

/** Lists every problem of a raw configuration (names only, never values). */
export function configProblems(raw: Partial<Record<keyof AuthKitConfig, unknown>>): string[] {
  const problems: string[] = [];
  for (const key of REQUIRED_KEYS) {
    if (raw[key] === undefined || raw[key] === '') problems.push(`${environmentVariableName(key)} is required`);
  }
  for (const key of CONFIG_KEYS) {
    const value = raw[key];
    if (value instanceof InvalidValue) problems.push(`${environmentVariableName(key)} ${value.reason}`);
  }
  const passwords = passwordList(raw.cookiePassword);
  passwords.forEach((password, index) => {
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      const label = index === 0 ? 'WORKOS_COOKIE_PASSWORD' : `previous cookie password #${index}`;
      const length = typeof password === 'string' ? password.length : 0;
      problems.push(`${label} must be at least ${MIN_PASSWORD_LENGTH} characters (currently ${length})`);
    }
  });
  const sameSite = raw.cookieSameSite;
  if (sameSite !== undefined && !(sameSite instanceof InvalidValue) && !['lax', 'strict', 'none'].includes(String(sameSite))) {
    problems.push('WORKOS_COOKIE_SAME_SITE must be lax, strict or none');
  }
  for (const key of [
    'apiPort',
    'cookieMaxAge',
    'refreshBufferSeconds',
    'refreshGraceSeconds',
    'apiTimeoutMs',
    'clockToleranceSeconds',
    'webhookToleranceSeconds',
    'sessionIdleTimeoutSeconds',
    'sessionMaxLifetimeSeconds',
    'sessionTouchIntervalSeconds',
  ] as const) {
    const value = raw[key];
    if (value === undefined || value instanceof InvalidValue) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${environmentVariableName(key)} must be a non-negative number`);
    }
  }
  if (typeof raw.cookieMaxParts === 'number' && (raw.cookieMaxParts < 1 || !Number.isInteger(raw.cookieMaxParts))) {
    problems.push('WORKOS_COOKIE_MAX_PARTS must be a whole number of at least 1');
  }
  const cacheEntries = raw.sessionCacheMaxEntries;
  if (cacheEntries !== undefined && !(cacheEntries instanceof InvalidValue)) {
    if (typeof cacheEntries !== 'number' || !Number.isInteger(cacheEntries) || cacheEntries < 0) {
      problems.push('WORKOS_SESSION_CACHE_MAX_ENTRIES must be a whole number of at least 0');
    }
  }
  if (typeof raw.redirectUri === 'string' && !URL.canParse(raw.redirectUri)) {
    problems.push('WORKOS_REDIRECT_URI must be an absolute URL');
  }
  return problems;
}

/** Builds the error thrown for an invalid configuration (0.3.4 wording). */
export function configError(problems: string[]): AuthKitError {
  const lines = problems.map((p) => `  • ${p}`).join('\n');
  return new AuthKitError(
    `AuthKit configuration error. Missing or invalid environment variables:\n\n${lines}\n\n` +
      'Set these environment variables or call configure() with the required values.\n' +
      'Get your values from the WorkOS Dashboard: https://dashboard.workos.com',
    undefined,
    { problems },
    'config_invalid',
  );
}

function passwordList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Applies conversions and defaults, validates, and freezes. Accepts an already resolved config unchanged.
 * @throws AuthKitError `config_invalid` listing every problem.
 */
export function resolveConfig(raw: Partial<AuthKitConfig> | ResolvedConfig): ResolvedConfig {
  if ((raw as { [RESOLVED]?: true })[RESOLVED]) return raw as ResolvedConfig;
  const converted: Partial<Record<keyof AuthKitConfig, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    const value = convertValue(key, (raw as Record<string, unknown>)[key]);
    if (value !== undefined) converted[key] = value;
  }
  const problems = configProblems(converted);
  if (problems.length > 0) throw configError(problems);

  const config = { ...DEFAULTS, ...converted } as AuthKitConfig & typeof DEFAULTS;
  const cookiePasswords = Object.freeze([...passwordList(config.cookiePassword)] as string[]);
  const scheme = config.apiHttps ? 'https' : 'http';
  const port = config.apiPort ? `:${config.apiPort}` : '';
  const apiBaseUrl = `${scheme}://${config.apiHostname}${port}`;
  const issuer = expectedIssuer(config);
  const resolved = {
    ...config,
    cookieMaxAge: Math.min(config.cookieMaxAge, MAX_COOKIE_AGE_SECONDS),
    cookiePasswords,
    apiBaseUrl,
    issuer,
  };
  Object.defineProperty(resolved, RESOLVED, { value: true });
  return Object.freeze(resolved) as ResolvedConfig;
}
