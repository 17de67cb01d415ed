import { createSkylinkServer, type SkylinkServer, type SkylinkServerConfig } from '../../../src/server';

export interface TestSkylinkServer extends SkylinkServer {
  /** The `roomServer` init option pointing at this server (protocol-relative, as 2.x expects). */
  roomServer: string;
}

/**
 * The project's real server on 127.0.0.1 (free port unless given), in dev mode (any app key),
 * with no STUN/TURN servers so that ICE only ever uses loopback host candidates.
 */
export async function startSkylinkServer(overrides: SkylinkServerConfig = {}): Promise<TestSkylinkServer> {
  const server = await createSkylinkServer({
    dev: true,
    host: '127.0.0.1',
    port: 0,
    iceServers: [],
    logLevel: 'warn',
    ...overrides,
  });
  return Object.assign(server, { roomServer: `//127.0.0.1:${server.port}` });
}
