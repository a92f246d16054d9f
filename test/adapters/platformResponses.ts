/** The platform's own Response class (the emulator's @hono/node-server may have replaced the global one). */
export const PlatformResponse = Object.getPrototypeOf(Response.error()).constructor as typeof Response;

/** A Response that hands out the Headers object it was given, as @hono/node-server's lighter Response does. */
export class SharingResponse extends PlatformResponse {
  readonly #shared: Headers;
  constructor(body: string, shared: Headers) {
    super(body, { headers: shared });
    this.#shared = shared;
  }
  override get headers(): Headers {
    return this.#shared;
  }
}

/** A route's own headers: its cache rule, a Vary token and one more header, all of which must survive. */
export const APP_HEADERS = { 'cache-control': 'public, max-age=60', vary: 'Accept-Encoding', 'x-app': '1' };
