import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { type AppOptions, type BuiltApp, buildApp } from '../app.js';
import { FIXED_NOW, startTestServer, type TestServer } from '../test-support.js';

/**
 * For tests that need the app on a real port and raw sockets to it: a test server's store before each test, the app
 * listening with the options a test gives, and after each test every socket destroyed and everything closed.
 */
export function listeningApp() {
  let server: TestServer;
  let built: BuiltApp | undefined;
  let port = 0;
  const sockets: Socket[] = [];
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await built?.app.close();
    built = undefined;
    await server.close();
  });
  return {
    get server(): TestServer {
      return server;
    },
    get built(): BuiltApp {
      if (!built) throw new Error('listen() first');
      return built;
    },
    async listen(options: Omit<Partial<AppOptions>, 'store' | 'now'>, host = '127.0.0.1'): Promise<void> {
      built = buildApp({ store: server.store, now: () => FIXED_NOW, ...options });
      port = Number(new URL(await built.app.listen({ port: 0, host })).port);
    },
    /** A raw socket to the listening app, destroyed after the test. */
    connect(options: { localAddress?: string } = {}): Socket {
      const socket = connect({ host: '127.0.0.1', port, ...options });
      sockets.push(socket);
      return socket;
    },
  };
}
