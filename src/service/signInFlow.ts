import type { AuthenticationResponse } from '@workos-inc/node';
import { sessionFromTokens } from '../core/client/refresh.js';
import { stampSignIn } from '../control/sessionTimes.js';
import type { AuthKitCore } from '../core/AuthKitCore.js';
import type { ResolvedConfig } from '../core/config/resolve.js';
import { AuthKitError } from '../core/errors.js';
import { HOST_PREFIX } from '../core/pkce/cookieName.js';
import { flowCookieName, flowCookieOptions } from '../core/pkce/cookieOptions.js';
import { DEFAULT_MAX_PENDING_PKCE_COOKIES, isPKCEVerifierCookieName, selectOldestPendingFlows } from '../core/pkce/eviction.js';
import { checkCallbackCookie } from '../core/pkce/verifyCallbackState.js';
import type { CookieOptions, GetAuthorizationUrlOptions, HeadersBag } from '../core/session/types.js';
import type { AuthOperations } from '../operations/AuthOperations.js';
import { openState, STATE_TTL_SECONDS, type AuthState } from '../operations/authState.js';
import { sanitizeReturnPathname } from '../operations/returnPathname.js';
import type { CookieStore, CookieWrite, Written } from './cookieStore.js';
import { newSessionCookie } from './server/serverMode.js';
import type { ServerSessions } from './server/ServerSessions.js';

/** What the sign-in flow needs of the service. */
export interface FlowDeps<TRequest, TResponse> {
  config: ResolvedConfig;
  cookies: CookieStore<TRequest, TResponse>;
  core: AuthKitCore;
  operations: AuthOperations;
  clock: () => number;
  /** Present in `sessionMode: 'server'`. */
  server?: ServerSessions | undefined;
}

/** Options of `createAuthorization`: the URL options, plus the request for automatic eviction of old flows. */
export interface CreateAuthorizationOptions<TRequest> extends GetAuthorizationUrlOptions {
  /**
   * The request starting the sign-in. When given, pending flows of this browser past `maxPendingSignIns`
   * are deleted, oldest first, so repeated starts cannot grow the `Cookie` header without bound.
   */
  request?: TRequest;
  /** Most pending sign-in flows a browser keeps, the new one included. Default 5. */
  maxPendingSignIns?: number;
}

/** Result of `createAuthorization`/`createSignIn`/`createSignUp`. */
export interface CreateAuthorizationResult<TResponse> {
  url: string;
  /** Name of the per-flow cookie written. */
  cookieName: string;
  response?: TResponse;
  headers?: HeadersBag;
}

/** Result of `handleCallback`. */
export interface HandleCallbackResult<TResponse> {
  response: TResponse | undefined;
  headers: HeadersBag | undefined;
  /** Same-origin path to redirect to (sanitised). */
  returnPathname: string;
  /** The custom `state` given to the sign-in URL, unchanged. */
  state: string | undefined;
  authResponse: AuthenticationResponse;
}

/** Attributes a flow cookie of this name was written with (a `__Host-` one never has a `Domain`). */
export function flowCookieOptionsFor(name: string, config: ResolvedConfig, redirectUri?: string): CookieOptions {
  const options = flowCookieOptions(config, redirectUri);
  if (!name.startsWith(HOST_PREFIX)) return options;
  const { domain: _domain, ...rest } = options;
  return { ...rest, secure: true };
}

/** Starts a browser-bound sign-in: writes the flow cookie and, given the request, evicts the oldest flows. */
export async function startFlow<TRequest, TResponse>(
  deps: FlowDeps<TRequest, TResponse>,
  response: TResponse | undefined,
  options: CreateAuthorizationOptions<TRequest>,
): Promise<CreateAuthorizationResult<TResponse>> {
  const { request, maxPendingSignIns, ...urlOptions } = options;
  const flow = await deps.operations.createAuthorization({ ...urlOptions, bound: true });
  const writes: CookieWrite<TRequest>[] = [{ kind: 'cookie', name: flow.cookieName, value: flow.sealedState, options: flow.cookieOptions }];
  if (request !== undefined) {
    const max = maxPendingSignIns ?? DEFAULT_MAX_PENDING_PKCE_COOKIES;
    const stale = selectOldestPendingFlows(await deps.cookies.readAll(request), { keep: flow.cookieName, max });
    for (const name of stale) writes.push({ kind: 'clearCookie', name, options: flowCookieOptionsFor(name, deps.config) });
  }
  const written = await deps.cookies.write(response, writes);
  return { url: flow.url, cookieName: flow.cookieName, ...written };
}

/** Deletes one flow cookie by name. @throws AuthKitError `cookie_invalid` for a name that is not a flow cookie. */
export async function clearFlowCookie<TRequest, TResponse>(
  deps: FlowDeps<TRequest, TResponse>,
  response: TResponse | undefined,
  cookieName: string,
  redirectUri?: string,
): Promise<Written<TResponse>> {
  if (!isPKCEVerifierCookieName(cookieName)) {
    throw new AuthKitError('Refusing to clear a cookie that is not a sign-in flow cookie', undefined, undefined, 'cookie_invalid');
  }
  return deps.cookies.write(response, [clearFlowWrite(deps.config, cookieName, redirectUri)]);
}

/** The deletion of one flow cookie. */
function clearFlowWrite<TRequest>(config: ResolvedConfig, name: string, redirectUri?: string): CookieWrite<TRequest> {
  return { kind: 'clearCookie', name, options: flowCookieOptionsFor(name, config, redirectUri) };
}

/** The name this library wrote a flow's cookie under, from the callback's `state`. */
export function flowCookieNameForState(config: ResolvedConfig, state: string, redirectUri?: string): string {
  return flowCookieName(state, flowCookieOptions(config, redirectUri));
}

/**
 * Completes a sign-in: checks the state (and, for a bound flow, its cookie) before the code is spent, claims
 * the state (single-use across instances: a replay answers `state_used`), exchanges
 * the code, saves the session and deletes the flow cookie. On failure the flow cookie is deleted when the
 * storage writes onto the response (best effort) and the error is rethrown; no session cookie is set.
 */
export async function completeFlow<TRequest, TResponse>(
  deps: FlowDeps<TRequest, TResponse>,
  request: TRequest,
  response: TResponse,
  options: { code: string; state?: string | undefined },
): Promise<HandleCallbackResult<TResponse>> {
  const { config, core, cookies, clock } = deps;
  let state: AuthState;
  let cookieName: string | undefined;
  try {
    state = await openState(options?.state, config.cookiePasswords, clock(), core.deps.crypto);
    if (state.bound) {
      cookieName = flowCookieNameForState(config, options.state as string, state.redirectUri);
      // A storage that cannot read a cookie by name never presents one: the check below refuses the flow.
      const presented = cookies.readCookie ? await cookies.readCookie(request, cookieName).catch(() => null) : null;
      // The state is open already: only the browser check is left.
      checkCallbackCookie({ stateFromUrl: options.state, cookieValue: presented ?? undefined });
    }
    if (!options.code) throw new AuthKitError('Missing authorization code', undefined, undefined, 'code_exchange_failed');
    // Each state is spent once, on whichever instance: a replayed callback never reaches WorkOS.
    if (!(await core.claimOnce(`state:${state.nonce}`, STATE_TTL_SECONDS * 1000))) {
      throw new AuthKitError('This sign-in was already completed or attempted', undefined, undefined, 'state_used');
    }
  } catch (error) {
    if (options?.state) await clearQuietly(deps, response, flowCookieNameForState(config, options.state));
    throw error;
  }
  let authResponse: AuthenticationResponse;
  const exchangeStartedAt = clock();
  try {
    authResponse = await deps.operations.exchangeCode(options.code, state.codeVerifier);
  } catch (error) {
    if (cookieName) await clearQuietly(deps, response, cookieName, state.redirectUri);
    throw error;
  }
  const session = stampSignIn(sessionFromTokens(authResponse), exchangeStartedAt);
  await core.control.rememberProfile(authResponse.user);
  const writes = [await newSessionCookie<TRequest>(deps, session)];
  if (cookieName) writes.push(clearFlowWrite(config, cookieName, state.redirectUri));
  const result = await cookies.write(response, writes);
  return {
    response: result.response ?? response,
    headers: result.headers,
    returnPathname: sanitizeReturnPathname(state.returnPathname ?? '/'),
    state: state.customState,
    authResponse,
  };
}

async function clearQuietly<TRequest, TResponse>(
  deps: FlowDeps<TRequest, TResponse>,
  response: TResponse | undefined,
  name: string,
  redirectUri?: string,
): Promise<void> {
  try {
    await clearFlowCookie(deps, response, name, redirectUri);
  } catch {
    // Cleanup must never hide the original error; the cookie expires in 10 minutes anyway.
  }
}
