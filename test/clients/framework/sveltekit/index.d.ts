// The parts of @sveltejs/kit's types that @workos/authkit-sveltekit's definitions use, in their shape.
export interface RequestEvent<Params extends Record<string, string> = Record<string, string>> {
  request: Request;
  url: URL;
  params: Params;
  locals: Record<string, unknown>;
  cookies: {
    get(name: string): string | undefined;
    set(name: string, value: string, options: { path: string; [key: string]: unknown }): void;
    delete(name: string, options: { path: string; [key: string]: unknown }): void;
  };
  setHeaders(headers: Record<string, string>): void;
}

export type MaybePromise<T> = T | Promise<T>;

export type Handle = (input: { event: RequestEvent; resolve: (event: RequestEvent) => MaybePromise<Response> }) => MaybePromise<Response>;
