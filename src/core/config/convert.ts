import type { AuthKitConfig } from './types.js';

const BOOLEAN_KEYS = new Set<string>(['apiHttps']);
const NUMBER_KEYS = new Set<string>([
  'apiPort',
  'cookieMaxAge',
  'cookieMaxParts',
  'refreshBufferSeconds',
  'refreshGraceSeconds',
  'apiTimeoutMs',
  'clockToleranceSeconds',
  'sessionCacheMaxEntries',
  'webhookToleranceSeconds',
  'sessionIdleTimeoutSeconds',
  'sessionMaxLifetimeSeconds',
  'sessionTouchIntervalSeconds',
]);

/** A value that could not be converted; reported by validation, never silently dropped. */
export class InvalidValue {
  constructor(readonly reason: string) {}
}

/**
 * Converts a string from an environment-like source into the key's type. Non-strings pass unchanged
 * (programmatic values are already typed). `'TRUE'`, `'1'` mean true; `'false'`, `'0'` false.
 */
export function convertValue(key: keyof AuthKitConfig, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (BOOLEAN_KEYS.has(key)) {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === '1' || lower === 'yes') return true;
    if (lower === 'false' || lower === '0' || lower === 'no') return false;
    return new InvalidValue('must be true or false');
  }
  if (NUMBER_KEYS.has(key)) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) return new InvalidValue('must be a number');
    return Number(text);
  }
  if (key === 'cookieSameSite') return text.toLowerCase();
  return value;
}
