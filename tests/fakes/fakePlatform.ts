/**
 * A SkylinkPlatform made of fakes: in-memory peer connections on a shared {@link FakeNetwork} and, by
 * default, an in-memory {@link FakeSignalingServer} for REST and sockets. Integration tests pass real
 * `fetch`/`connectSignaling` (see realSignaling.ts) to talk to the project's server.
 */
import type {
  AgentInfo,
  HttpRequestInit,
  HttpResponseLike,
  SignalingConnectOptions,
  SignalingSocketLike,
  SkylinkPlatform,
} from '../../src/platform/SkylinkPlatform';
import { generateUUID } from '../../src/uuid';
import { FakeNetwork, FakePeerConnection } from './FakePeerConnection';
import { FakeSignalingServer } from './FakeSignalingServer';

export interface FakePlatform extends SkylinkPlatform {
  readonly network: FakeNetwork;
  readonly server: FakeSignalingServer;
  /** Peer connections created through this platform. */
  readonly peerConnections: FakePeerConnection[];
  /** Sockets created through this platform. */
  readonly sockets: SignalingSocketLike[];
}

export interface FakePlatformOptions {
  network?: FakeNetwork;
  server?: FakeSignalingServer;
  fetch?: (url: string, init?: HttpRequestInit) => Promise<HttpResponseLike>;
  connectSignaling?: (url: string, options: SignalingConnectOptions) => SignalingSocketLike;
  agent?: AgentInfo;
  pageProtocol?: string;
}

export function createFakePlatform(options: FakePlatformOptions = {}): FakePlatform {
  const network = options.network ?? new FakeNetwork();
  const server = options.server ?? new FakeSignalingServer();
  const peerConnections: FakePeerConnection[] = [];
  const sockets: SignalingSocketLike[] = [];
  return {
    network,
    server,
    peerConnections,
    sockets,
    createPeerConnection(config) {
      const pc = new FakePeerConnection(network, config);
      peerConnections.push(pc);
      return pc;
    },
    getUserMedia: () => Promise.reject(new Error('fakePlatform: no media')),
    getDisplayMedia: () => Promise.reject(new Error('fakePlatform: no media')),
    enumerateDevices: async () => [],
    createMediaStream: () => {
      throw new Error('fakePlatform: no media');
    },
    connectSignaling(url, connectOptions) {
      const socket = options.connectSignaling ? options.connectSignaling(url, connectOptions) : server.connect(url, connectOptions);
      sockets.push(socket);
      return socket;
    },
    fetch: (url, init) => (options.fetch ? options.fetch(url, init) : server.fetch(url, init)),
    pageProtocol: () => options.pageProtocol ?? 'http:',
    agent: () => options.agent ?? { name: 'fake', version: 1, os: 'test' },
    randomId: () => generateUUID(),
  };
}
