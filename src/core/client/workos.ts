import { WorkOS } from '@workos-inc/node';
import { getConfigurationProvider } from '../config/index.js';
import type { AuthKitConfig } from '../config/types.js';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.js';
import { VERSION } from '../version.js';

/** Builds a WorkOS client for a configuration: host, port, scheme and timeout all come from it. */
export function createWorkOSClient(config: AuthKitConfig | ResolvedConfig, options: { fetch?: typeof fetch } = {}): WorkOS {
  const resolved = resolveConfig(config);
  return new WorkOS(resolved.apiKey, {
    apiHostname: resolved.apiHostname,
    https: resolved.apiHttps,
    ...(resolved.apiPort ? { port: resolved.apiPort } : {}),
    clientId: resolved.clientId,
    timeout: resolved.apiTimeoutMs,
    appInfo: { name: 'authkit-session', version: VERSION },
    ...(options.fetch ? { fetchFn: options.fetch } : {}),
  });
}

let client: { key: string; value: WorkOS } | undefined;

/**
 * The WorkOS client for the global configuration, memoised while that configuration is unchanged.
 * @throws AuthKitError `config_invalid` when configuration is missing or invalid.
 */
export function getWorkOS(): WorkOS {
  const config = getConfigurationProvider().getResolvedConfig();
  const key = [config.apiKey, config.apiBaseUrl, config.clientId, config.apiTimeoutMs].join('\n');
  if (client?.key !== key) client = { key, value: createWorkOSClient(config) };
  return client.value;
}
