import type http from 'node:http';
import type { Socket } from 'node:net';

// The HTTP servers the tests put in front of others (fault proxy, chaos balancer) start, stop and read alike.

/** Starts `server` on an ephemeral loopback port, keeping `sockets` as the set of its open connections. */
export async function listenOnLoopback(server: http.Server, sockets: Set<Socket>): Promise<void> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** Destroys the open connections (keep-alive ones included) and waits until `server` is closed. */
export async function closeNow(server: http.Server | undefined, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** The whole body of `req`. */
export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
