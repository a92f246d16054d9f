// TanStack Router's redirect() returns a Response that carries its options; server functions throw it and the
// framework turns it into the HTTP answer. Only the server-side shape is reproduced here.
export function redirect(options) {
  const headers = new Headers(options.headers ?? {});
  const location = options.href ?? options.to;
  if (location) headers.set('Location', location);
  const response = new Response(null, { status: options.statusCode ?? 307, headers });
  response.options = options;
  return response;
}

export function isRedirect(value) {
  return value instanceof Response && typeof value.options === 'object';
}
