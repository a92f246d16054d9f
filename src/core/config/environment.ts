import { CONFIG_KEYS, environmentVariableName, PREVIOUS_PASSWORDS_VARIABLE } from './keys.js';
import type { AuthKitConfig, ValueSource } from './types.js';

/**
 * The process environment where one exists (Node, Bun, Deno with `process` shim), else an empty object.
 * The only place the library touches `process`; Workers and Deno pass their env to {@link configure}.
 */
export function defaultEnvironment(): Record<string, string | undefined> {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env ?? {};
  } catch {
    return {};
  }
}

/** Reads one raw value from a source (object or function) by key's environment name. */
export function readSource(source: ValueSource, name: string): unknown {
  try {
    const value = typeof source === 'function' ? source(name) : source[name];
    return value === '' || value === null ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Reads every `WORKOS_*` key the source holds, unconverted. Previous cookie passwords join the current one. */
export function readEnvironment(source: ValueSource): Partial<Record<keyof AuthKitConfig, unknown>> {
  const out: Partial<Record<keyof AuthKitConfig, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    const value = readSource(source, environmentVariableName(key));
    if (value !== undefined) out[key] = value;
  }
  const previous = readSource(source, PREVIOUS_PASSWORDS_VARIABLE);
  if (typeof previous === 'string' && typeof out.cookiePassword === 'string') {
    const rest = previous
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (rest.length > 0) out.cookiePassword = [out.cookiePassword, ...rest];
  }
  return out;
}
