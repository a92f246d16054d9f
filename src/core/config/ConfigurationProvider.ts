import { convertValue, InvalidValue } from './convert.js';
import { defaultEnvironment, readEnvironment } from './environment.js';
import { CONFIG_KEYS, DEFAULTS, environmentVariableName } from './keys.js';
import { expectedIssuer } from './issuer.js';
import { labelerFor, type KeyLabeler, type ValueOrigin } from './origin.js';
import { configError, configProblems, MAX_COOKIE_AGE_SECONDS, resolveConfig, type ResolvedConfig } from './resolve.js';
import type { AuthKitConfig, ValueSource } from './types.js';

/**
 * Holds programmatic configuration and the value source (environment), with the 0.3.4 precedence:
 * value source > `configure()` > defaults. Most apps use the module-level {@link configure} instead.
 */
export class ConfigurationProvider {
  private config: Partial<AuthKitConfig> = {};
  private valueSource: ValueSource | undefined;

  constructor(source?: ValueSource) {
    this.valueSource = source;
  }

  /**
   * `configure(source)` replaces the value source; `configure(config)` merges programmatic values;
   * `configure(config, source)` does both.
   */
  configure(configOrSource: Partial<AuthKitConfig> | ValueSource, source?: ValueSource): void {
    if (typeof configOrSource === 'function') {
      this.valueSource = configOrSource;
      return;
    }
    this.config = { ...this.config, ...configOrSource };
    if (source !== undefined) this.valueSource = source;
  }

  /** Replaces the value source (an env object or a lookup function). */
  setValueSource(source: ValueSource): void {
    this.valueSource = source;
  }

  /**
   * The value the service uses for one key: converted, with its default applied (the derived ones too:
   * `issuer` on WorkOS's own host, `cookieMaxAge` capped at 400 days); `undefined` when unset and without a
   * default.
   * @throws AuthKitError `config_invalid` when the value set for this key is invalid (never a silent default).
   */
  getValue<K extends keyof AuthKitConfig>(key: K): AuthKitConfig[K] {
    const { values, label } = this.rawValues();
    const value = convertValue(key, values[key]);
    if (value instanceof InvalidValue) throw configError([`${label(key)} ${value.reason}`]);
    if (key === 'issuer' && value === undefined) {
      return expectedIssuer({
        apiHostname: this.getValue('apiHostname') as string,
        apiHttps: this.getValue('apiHttps') as boolean,
        apiPort: this.getValue('apiPort'),
      }) as AuthKitConfig[K];
    }
    if (key === 'cookieMaxAge' && typeof value === 'number') return Math.min(value, MAX_COOKIE_AGE_SECONDS) as AuthKitConfig[K];
    return (value ?? (DEFAULTS as Partial<AuthKitConfig>)[key]) as AuthKitConfig[K];
  }

  /**
   * Checks every key at once.
   * @throws AuthKitError `config_invalid` listing all problems.
   */
  validate(): void {
    const { values, label } = this.rawValues();
    const converted: Partial<Record<keyof AuthKitConfig, unknown>> = {};
    for (const [key, value] of Object.entries(values) as [keyof AuthKitConfig, unknown][]) {
      converted[key] = convertValue(key, value);
    }
    const problems = configProblems(converted, label);
    if (problems.length > 0) throw configError(problems);
  }

  /**
   * Every key with a value (environment, programmatic and defaults), as {@link getValue} answers it.
   * @throws AuthKitError `config_invalid` when a value set is invalid.
   */
  getConfig(): AuthKitConfig {
    const out: Partial<AuthKitConfig> = {};
    for (const key of CONFIG_KEYS) {
      const value = this.getValue(key);
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
    return out as AuthKitConfig;
  }

  /**
   * The validated, frozen configuration.
   * @throws AuthKitError `config_invalid`.
   */
  getResolvedConfig(): ResolvedConfig {
    const { values, label } = this.rawValues();
    return resolveConfig(values as Partial<AuthKitConfig>, label, 'provider');
  }

  protected getEnvironmentVariableName(key: string): string {
    return environmentVariableName(key);
  }

  /** Programmatic values overlaid by the value source, unconverted, and how to name each in an error. */
  private rawValues(): { values: Partial<Record<keyof AuthKitConfig, unknown>>; label: KeyLabeler } {
    const source = this.valueSource ?? defaultEnvironment();
    const fromSource = readEnvironment(source);
    const values: Partial<Record<keyof AuthKitConfig, unknown>> = {};
    const origins: Partial<Record<keyof AuthKitConfig, ValueOrigin>> = {};
    for (const key of CONFIG_KEYS) {
      if (fromSource[key] !== undefined) {
        values[key] = fromSource[key];
        origins[key] = 'environment';
      } else if (this.config[key] !== undefined) {
        values[key] = this.config[key];
        origins[key] = 'configure';
      }
    }
    return { values, label: labelerFor('provider', origins) };
  }
}
