import { AuthKitError } from '../errors.js';
import { convertValue, InvalidValue } from './convert.js';
import { expectedIssuer } from './issuer.js';
import { CONFIG_KEYS, DEFAULTS, REQUIRED_KEYS } from './keys.js';
import { labelerFor, type ConfigMode, type KeyLabeler } from './origin.js';
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
  readonly sessionCacheMaxBytes: number;
  readonly webhookToleranceSeconds: number;
  readonly sessionIdleTimeoutSeconds: number;
  readonly sessionMaxLifetimeSeconds: number;
  readonly sessionTouchIntervalSeconds: number;
  readonly sessionMode: 'cookie' | 'server';
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

/**
 * Lists every problem of a converted configuration, each naming its key as `label` says (the variable,
 * `key (configure())` or `config.key`); names only, never values.
 */
export function configProblems(raw: Partial<Record<keyof AuthKitConfig, unknown>>, label: KeyLabeler = labelerFor('provider')): string[] {
  const problems: string[] = [];
  for (const key of REQUIRED_KEYS) {
    if (raw[key] === undefined || raw[key] === '') problems.push(`${label(key)} is required`);
  }
  for (const key of CONFIG_KEYS) {
    const value = raw[key];
    if (value instanceof InvalidValue) problems.push(`${label(key)} ${value.reason}`);
  }
  const passwords = passwordList(raw.cookiePassword);
  passwords.forEach((password, index) => {
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      const name = index === 0 ? label('cookiePassword') : `previous cookie password #${index}`;
      const length = typeof password === 'string' ? password.length : 0;
      problems.push(`${name} must be at least ${MIN_PASSWORD_LENGTH} characters (currently ${length})`);
    }
  });
  const sameSite = raw.cookieSameSite;
  if (sameSite !== undefined && !(sameSite instanceof InvalidValue) && !['lax', 'strict', 'none'].includes(String(sameSite))) {
    problems.push(`${label('cookieSameSite')} must be lax, strict or none`);
  }
  if (typeof raw.cookieMaxParts === 'number' && raw.cookieMaxParts < 1) {
    problems.push(`${label('cookieMaxParts')} must be at least 1`);
  }
  const mode = raw.sessionMode;
  if (mode !== undefined && !(mode instanceof InvalidValue) && mode !== 'cookie' && mode !== 'server') {
    problems.push(`${label('sessionMode')} must be cookie or server`);
  }
  if (typeof raw.redirectUri === 'string' && !URL.canParse(raw.redirectUri)) {
    problems.push(`${label('redirectUri')} must be an absolute URL`);
  }
  // Browsers drop a `__Host-` cookie that has a Domain: refuse it now, not after a sign-in spent its code.
  if (typeof raw.cookieName === 'string' && /^__host-/i.test(raw.cookieName) && raw.cookieDomain) {
    problems.push(`${label('cookieName')} starts with __Host-, which forbids a cookie domain: remove ${label('cookieDomain')}`);
  }
  return problems;
}

/**
 * Builds the error thrown for an invalid configuration. From the environment (the global provider) it keeps
 * the 0.3.4 wording; for a config object it says the environment was not read.
 */
export function configError(problems: string[], mode: ConfigMode = 'provider'): AuthKitError {
  const lines = problems.map((p) => `  • ${p}`).join('\n');
  const dashboard = 'Get your values from the WorkOS Dashboard: https://dashboard.workos.com';
  const message =
    mode === 'explicit'
      ? `AuthKit configuration error. Missing or invalid values in the config object:\n\n${lines}\n\n` +
        'Fix these keys of the config object (environment variables are not read when a config object is given).\n' +
        dashboard
      : `AuthKit configuration error. Missing or invalid environment variables:\n\n${lines}\n\n` +
        'Set these environment variables or call configure() with the required values.\n' +
        dashboard;
  return new AuthKitError(message, undefined, { problems }, 'config_invalid');
}

function passwordList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Applies conversions and defaults, validates, and freezes. Accepts an already resolved config unchanged.
 * `label` names keys in errors (default: `config.key`, a config object); `mode` picks the message.
 * @throws AuthKitError `config_invalid` listing every problem.
 */
export function resolveConfig(
  raw: Partial<AuthKitConfig> | ResolvedConfig,
  label: KeyLabeler = labelerFor('explicit'),
  mode: ConfigMode = 'explicit',
): ResolvedConfig {
  if ((raw as { [RESOLVED]?: true })[RESOLVED]) return raw as ResolvedConfig;
  const converted: Partial<Record<keyof AuthKitConfig, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    const value = convertValue(key, (raw as Record<string, unknown>)[key]);
    if (value !== undefined) converted[key] = value;
  }
  const problems = configProblems(converted, label);
  if (problems.length > 0) throw configError(problems, mode);

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
