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
  'sessionCacheMaxBytes',
]);

/** A value that could not be converted; reported by validation, never silently dropped. */
export class InvalidValue {
  constructor(readonly reason: string) {}
}

/** The one rule for numeric options, from any source. */
export const NUMBER_RULE =
  'must be a whole number of at least 0 in plain decimal digits, e.g. 600 (no sign, spaces, decimals, leading zeros or hex)';
const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Converts a string from an environment-like source into the key's type; other values pass unchanged
 * (programmatic values are already typed), except numbers, which must be safe non-negative integers.
 * Numbers are written exactly as plain decimal digits (`" 5"`, `5.5`, `007`, `0x10`, `1e3` are refused).
 * `'TRUE'`, `'1'`, `'yes'` mean true; `'false'`, `'0'`, `'no'` false.
 */
export function convertValue(key: keyof AuthKitConfig, value: unknown): unknown {
  if (NUMBER_KEYS.has(key) && value !== undefined && value !== null) {
    if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : new InvalidValue(NUMBER_RULE);
    if (typeof value !== 'string' || !PLAIN_DECIMAL.test(value) || !Number.isSafeInteger(Number(value))) {
      return new InvalidValue(NUMBER_RULE);
    }
    return Number(value);
  }
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (BOOLEAN_KEYS.has(key)) {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === '1' || lower === 'yes') return true;
    if (lower === 'false' || lower === '0' || lower === 'no') return false;
    return new InvalidValue('must be true or false');
  }
  if (key === 'cookieSameSite' || key === 'sessionMode') return text.toLowerCase();
  return value;
}
