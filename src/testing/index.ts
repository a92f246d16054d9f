// Adapter conformance kit: run it against any SessionStorage adapter and its middleware.
export { CONFORMANCE_CHECKS, describeAdapterConformance, runAdapterConformance } from './conformance.js';
export type { ConformanceSubject, TestRunner } from './conformance.js';
export type {
  AdapterUnderTest,
  ConformanceOptions,
  ConformanceResult,
  HeaderSource,
  MiddlewareContext,
  MiddlewareRun,
  ServiceUnderTest,
  StorageUnderTest,
} from './types.js';

// Helpers for adapter tests
export { CookieJar, cookieHeader, cookieName, isCommaJoined, isDeletion } from './jar.js';
export { fakeSeal, terminalSeal } from './fixtures.js';
