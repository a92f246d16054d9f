/** The `iss` of access tokens WorkOS issues from its own API host. */
export const WORKOS_ISSUER = 'https://api.workos.com';
const WORKOS_HOST = 'api.workos.com';

/**
 * The `iss` access tokens must carry, or `undefined` when it is not checked. A configured `issuer` is always
 * pinned. Otherwise it is pinned only when the API is WorkOS's own host (`api.workos.com` in any case, with or
 * without a trailing dot, over https on the default port): behind a proxy, a regional or custom domain or an
 * IP address, tokens carry an issuer this configuration cannot know, and a guessed default would sign
 * everyone out. Signature, audience and expiry are checked either way.
 */
export function expectedIssuer(config: {
  issuer?: string | undefined;
  apiHostname: string;
  apiHttps: boolean;
  apiPort?: number | undefined;
}): string | undefined {
  if (config.issuer) return config.issuer;
  const host = config.apiHostname.toLowerCase().replace(/\.+$/, '');
  const defaultPort = !config.apiPort || config.apiPort === 443;
  return host === WORKOS_HOST && config.apiHttps && defaultPort ? WORKOS_ISSUER : undefined;
}
