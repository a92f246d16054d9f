import type { AuthKitConfig } from './types.js';
import { environmentVariableName } from './keys.js';

/**
 * Where a value came from, so a configuration error names what the user wrote: an environment variable
 * (`WORKOS_COOKIE_MAX_AGE`), a `configure({ … })` call, or a config object given to `createAuthService`
 * or a constructor (`config.cookieMaxAge`).
 */
export type ValueOrigin = 'environment' | 'configure' | 'config';

/** How a configuration was assembled: from the global provider (environment + `configure()`), or one object. */
export type ConfigMode = 'provider' | 'explicit';

/** Names a key for a message: the variable, `key (configure())`, or `config.key`. */
export type KeyLabeler = (key: keyof AuthKitConfig) => string;

/** A labeler for the values' origins; keys without a value (missing) are named as the mode expects them. */
export function labelerFor(mode: ConfigMode, origins: Partial<Record<keyof AuthKitConfig, ValueOrigin>> = {}): KeyLabeler {
  return (key) => {
    const origin = origins[key] ?? (mode === 'provider' ? 'environment' : 'config');
    if (origin === 'environment') return environmentVariableName(key);
    if (origin === 'configure') return `${key} (configure())`;
    return `config.${key}`;
  };
}
