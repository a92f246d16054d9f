import { convertValue, InvalidValue } from './convert.js';
import { defaultEnvironment, readEnvironment } from './environment.js';
import { CONFIG_KEYS, DEFAULTS, environmentVariableName } from './keys.js';
import { configError, configProblems, resolveConfig, type ResolvedConfig } from './resolve.js';
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

  /** Current value of one key, converted, with defaults; `undefined` when unset. Invalid values read as unset. */
  getValue<K extends keyof AuthKitConfig>(key: K): AuthKitConfig[K] {
    const raw = this.rawValues()[key];
    const value = convertValue(key, raw);
    if (value instanceof InvalidValue) return (DEFAULTS as Partial<AuthKitConfig>)[key] as AuthKitConfig[K];
    return (value ?? (DEFAULTS as Partial<AuthKitConfig>)[key]) as AuthKitConfig[K];
  }

  /**
   * Checks every key at once.
   * @throws AuthKitError `config_invalid` listing all problems.
   */
  validate(): void {
    const converted: Partial<Record<keyof AuthKitConfig, unknown>> = {};
    for (const [key, value] of Object.entries(this.rawValues()) as [keyof AuthKitConfig, unknown][]) {
      converted[key] = convertValue(key, value);
    }
    const problems = configProblems(converted);
    if (problems.length > 0) throw configError(problems);
  }

  /** Every configured key (environment, programmatic and defaults), unvalidated. */
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
    return resolveConfig(this.rawValues() as Partial<AuthKitConfig>);
  }

  protected getEnvironmentVariableName(key: string): string {
    return environmentVariableName(key);
  }

  /** Programmatic values overlaid by the value source; unconverted. */
  private rawValues(): Partial<Record<keyof AuthKitConfig, unknown>> {
    const source = this.valueSource ?? defaultEnvironment();
    const fromSource = readEnvironment(source);
    const out: Partial<Record<keyof AuthKitConfig, unknown>> = { ...this.config };
    for (const key of CONFIG_KEYS) {
      if (fromSource[key] !== undefined) out[key] = fromSource[key];
    }
    return out;
  }
}
