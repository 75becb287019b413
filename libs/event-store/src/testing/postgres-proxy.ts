import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real Postgres that a test takes down and brings back on the same
 * port: down, it drops every connection and refuses new ones, as a restarting server does,
 * without touching the server that other tests share.
 */
export class PostgresProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** The port it listens on (picked when first brought up, kept afterwards). */
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // Either side may be cut by down(); the other is destroyed with it.
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
