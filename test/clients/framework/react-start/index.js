// The request context of TanStack Start, reduced to what @workos/authkit-tanstack-react-start reads:
// request middleware (createMiddleware().server), server functions (createServerFn) and the context the
// middleware passes to next() (getGlobalStartContext). Everything else of the SDK runs unmodified.
import { AsyncLocalStorage } from 'node:async_hooks';

const contexts = new AsyncLocalStorage();

export function getGlobalStartContext() {
  return contexts.getStore();
}

export function createMiddleware() {
  return {
    server(fn) {
      return { type: 'request', server: fn };
    },
  };
}

export function createServerFn() {
  const builder = {
    validator: () => builder,
    inputValidator: () => builder,
    handler: (fn) => (input) => fn({ data: input?.data }),
  };
  return builder;
}

/**
 * Runs one request through request middleware the way TanStack Start does: the middleware calls next(),
 * the route (`handle`) runs inside the context given to next(), and a thrown redirect becomes the response.
 * Resolves to the Response the client would receive.
 */
export async function runRequest(middlewares, request, handle) {
  const run = async (index, context) => {
    if (index === middlewares.length) {
      return { response: await contexts.run(context, () => respond(handle)) };
    }
    return middlewares[index].server({
      request,
      context,
      pathname: new URL(request.url).pathname,
      next: async (options = {}) => run(index + 1, { ...context, ...(options.context ?? {}) }),
    });
  };
  const result = await run(0, {});
  return result.response;
}

async function respond(handle) {
  try {
    return await handle();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
