/** Current time in milliseconds since the epoch. */
export type Clock = () => number;

/**
 * The default clock. It reads `Date.now()` on every call (never a captured reference), so an application's
 * faked `Date` (`vi.useFakeTimers({ toFake: ['Date'] })`, sinon) moves this library's time too. It is the
 * only place the library reads the system time.
 */
export const systemClock: Clock = () => Date.now();

/**
 * How far `nowMs` is from the runtime's own `Date.now()`, in milliseconds: the `localtimeOffsetMsec` that
 * makes iron-webcrypto (which reads `Date.now()` itself) seal and unseal on the injected clock.
 */
export function offsetFromSystemMs(nowMs: number): number {
  return nowMs - Date.now();
}
