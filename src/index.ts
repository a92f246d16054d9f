// Configuration
export { configure, getConfig, getConfigurationProvider, validateConfig } from './core/config/index.js';
export { ConfigurationProvider } from './core/config/ConfigurationProvider.js';
export { readEnvironment } from './core/config/environment.js';
export type { AuthKitConfig, ValueSource } from './core/config/types.js';
export type { ResolvedConfig } from './core/config/resolve.js';

// WorkOS client
export { getWorkOS, createWorkOSClient } from './core/client/workos.js';
export type { WorkOSControlPort, WorkOSPort } from './core/client/port.js';

// Sealing
export { sessionEncryption } from './core/encryption/ironWebcryptoEncryption.js';
export type { CryptoBackend } from './core/encryption/backend.js';

// Core and operations
export { AuthKitCore } from './core/AuthKitCore.js';
export type { AuthKitCoreOptions, AuthenticateOutcome } from './core/AuthKitCore.js';
export { AuthOperations } from './operations/AuthOperations.js';
export type { GeneratedAuthorizationUrl, RefreshSessionResult } from './operations/AuthOperations.js';
export { sanitizeReturnPathname } from './operations/returnPathname.js';

// Browser-bound sign-in flows (the 0.5–0.7 names)
export { PKCE_COOKIE_PREFIX, getPKCECookieNameForState } from './core/pkce/cookieName.js';
export { DEFAULT_MAX_PENDING_PKCE_COOKIES, isPKCEVerifierCookieName, selectStalePKCEVerifierCookieNames } from './core/pkce/eviction.js';
export { OAuthStateMismatchError, PKCECookieMissingError, PKCEPayloadTooLargeError } from './core/pkce/errors.js';

// Security helpers
export { checkCsrf, checkRequestCsrf } from './security/csrf.js';
export type { CsrfFailure, CsrfInput } from './security/csrf.js';

// Storage
export { CookieSessionStorage } from './core/session/CookieSessionStorage.js';
export type { SessionWriteOptions } from './core/session/CookieSessionStorage.js';
export { parseCookieHeader } from './core/session/parseCookieHeader.js';
export { serializeCookie } from './core/session/serializeCookie.js';
export { UNAUTHENTICATED_REASONS, shouldClearCookie } from './core/session/reasons.js';
export type { UnauthenticatedReason } from './core/session/reasons.js';

// Coordination across instances
export { MemoryCoordinationStore } from './core/coordination/MemoryCoordinationStore.js';
export type { CoordinationStore, SubjectMarks } from './core/coordination/CoordinationStore.js';

// Session control: guards, active sessions, webhooks
export { checkGuards, requireAuth, requireOrganization, requirePermission, requireRecentSignIn, requireRole } from './control/guards.js';
export type { Guard, GuardReason, GuardResult } from './control/guards.js';
export type { ActiveSession } from './control/sessions.js';
export type { WebhookDelivery, WebhookReply } from './control/webhook/receiver.js';

// Server-side sessions (`sessionMode: 'server'`)
export { MemorySessionStore } from './core/sessionStore/MemorySessionStore.js';
export type { MemorySessionStoreOptions } from './core/sessionStore/MemorySessionStore.js';
export type { SessionStore } from './core/sessionStore/SessionStore.js';
export type { SessionData } from './core/sessionStore/sessionData.js';

// Service
export { AuthService } from './service/AuthService.js';
export type {
  AuthServiceOptions,
  CreateAuthorizationOptions,
  CreateAuthorizationResult,
  HandleCallbackResult,
  WithAuthResult,
} from './service/AuthService.js';
export { createAuthService } from './service/factory.js';
export type { CreateAuthServiceOptions } from './service/factory.js';

// Events
export type { AuthKitEvent, AuthKitEventHandler } from './core/events.js';

// Errors
export { AuthKitError, SessionEncryptionError, TokenRefreshError, TokenValidationError, isAuthKitError } from './core/errors.js';
export type { AnyAuthKitError, AuthKitErrorCode, SessionEncryptionErrorCode } from './core/errors.js';
export type { OAuthStateErrorCode } from './core/pkce/errors.js';

// Types
export type {
  AuthResult,
  Authenticated,
  AuthUrlOptions,
  BaseTokenClaims,
  CookieOptions,
  CustomClaims,
  GetAuthorizationUrlOptions,
  HeadersBag,
  Session,
  SessionEncryption,
  SessionStorage,
  Unauthenticated,
} from './core/session/types.js';
export type { AuthenticationResponse, Impersonator, Organization, User, WorkOS } from '@workos-inc/node';
