/**
 * The 0.3.4 clients' view of a sign-in state. SDKs built on 0.3.4 (e.g. `@workos/authkit-tanstack-react-start`
 * 0.5) read the return path from the callback's `state` themselves, as `base64(JSON{ returnPathname })` before the
 * first `.`. An unbound state therefore starts with that hint, followed by the sealed state; `openState` accepts
 * it only when it says exactly what the sealed state says, so the hint can never redirect elsewhere.
 */

/** The hint for a (sanitised, ASCII) return path: standard base64 of `{"returnPathname":…}`, as 0.3.4 wrote it. */
export function returnHint(returnPathname: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ returnPathname }));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** `hint.sealed` for a state with a return path; the sealed state alone otherwise. */
export function withReturnHint(sealed: string, returnPathname: string | undefined): string {
  return returnPathname === undefined ? sealed : `${returnHint(returnPathname)}.${sealed}`;
}

/** Splits a callback `state` into the hint (if any) and the sealed state. Iron seals start with `Fe26.`. */
export function splitReturnHint(state: string): { hint: string | undefined; sealed: string } {
  if (state.startsWith('Fe26.')) return { hint: undefined, sealed: state };
  const dot = state.indexOf('.');
  return dot === -1 ? { hint: undefined, sealed: state } : { hint: state.slice(0, dot), sealed: state.slice(dot + 1) };
}
