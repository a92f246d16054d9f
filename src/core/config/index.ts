import { ConfigurationProvider } from './ConfigurationProvider.js';
import type { AuthKitConfig, ValueSource } from './types.js';

let provider: ConfigurationProvider | undefined;

/** The process-wide provider behind {@link configure} and {@link getConfig}. */
export function getConfigurationProvider(): ConfigurationProvider {
  provider ??= new ConfigurationProvider();
  return provider;
}

/**
 * Sets configuration (0.3.4 semantics). `configure(fn)` replaces the environment source with a lookup
 * function; `configure(config)` merges programmatic values (keys like `clientId`, not `WORKOS_*` names);
 * `configure(config, source)` does both — on Workers or Deno pass the env object here:
 * `configure({}, env)`. Values from the source win over programmatic ones.
 */
export function configure(source: ValueSource): void;
export function configure(config: Partial<AuthKitConfig>): void;
export function configure(config: Partial<AuthKitConfig>, source: ValueSource): void;
export function configure(configOrSource: Partial<AuthKitConfig> | ValueSource, source?: ValueSource): void {
  getConfigurationProvider().configure(configOrSource, source);
}

/** Current value of one configuration key (environment > configure() > default). */
export function getConfig<K extends keyof AuthKitConfig>(key: K): AuthKitConfig[K] {
  return getConfigurationProvider().getValue(key);
}

/**
 * Validates the global configuration.
 * @throws AuthKitError `config_invalid` listing every missing or invalid value.
 */
export function validateConfig(): void {
  getConfigurationProvider().validate();
}
