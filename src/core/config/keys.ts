import type { AuthKitConfig } from './types.js';

/** Keys without which no service can be built. */
export const REQUIRED_KEYS = ['clientId', 'apiKey', 'redirectUri', 'cookiePassword'] as const;

/** Every configuration key, in documentation order. */
export const CONFIG_KEYS: readonly (keyof AuthKitConfig)[] = [
  ...REQUIRED_KEYS,
  'apiHostname',
  'apiHttps',
  'apiPort',
  'cookieMaxAge',
  'cookieName',
  'cookieSameSite',
  'cookieDomain',
  'cookieMaxParts',
  'refreshBufferSeconds',
  'refreshGraceSeconds',
  'apiTimeoutMs',
  'clockToleranceSeconds',
  'issuer',
  'sessionCacheMaxEntries',
  'sessionCacheMaxBytes',
  'redisUrl',
  'webhookSecret',
  'webhookToleranceSeconds',
  'sessionIdleTimeoutSeconds',
  'sessionMaxLifetimeSeconds',
  'sessionTouchIntervalSeconds',
  'sessionMode',
];

/** Built-in defaults, lowest precedence. */
export const DEFAULTS = {
  apiHostname: 'api.workos.com',
  apiHttps: true,
  cookieMaxAge: 34_560_000,
  cookieName: 'wos-session',
  cookieSameSite: 'lax',
  cookieMaxParts: 8,
  refreshBufferSeconds: 60,
  refreshGraceSeconds: 30,
  apiTimeoutMs: 10_000,
  clockToleranceSeconds: 5,
  sessionCacheMaxEntries: 150_000,
  sessionCacheMaxBytes: 64 * 2 ** 20,
  webhookToleranceSeconds: 180,
  sessionIdleTimeoutSeconds: 0,
  sessionMaxLifetimeSeconds: 0,
  sessionTouchIntervalSeconds: 60,
  sessionMode: 'cookie',
} as const satisfies Partial<AuthKitConfig>;

/** `cookieSameSite` → `WORKOS_COOKIE_SAME_SITE`. */
export function environmentVariableName(key: string): string {
  return `WORKOS_${key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** Environment variable holding previous cookie passwords (comma-separated), for rotation. */
export const PREVIOUS_PASSWORDS_VARIABLE = 'WORKOS_COOKIE_PASSWORD_PREVIOUS';
