/**
 * Node-only: a fake platform (in-memory WebRTC) whose REST calls and sockets are real, for the
 * integration tests against the project's server. Never import from jsdom tests.
 */
import { io } from 'socket.io-client';
import type { SignalingSocketLike } from '../../src/platform/SkylinkPlatform';
import type { FakeNetwork } from './FakePeerConnection';
import { createFakePlatform, type FakePlatform } from './fakePlatform';

export function createRealSignalingPlatform(network: FakeNetwork): FakePlatform {
  return createFakePlatform({
    network,
    fetch: async (url, init) => {
      const requestInit: RequestInit = { method: init?.method ?? 'GET' };
      if (init?.headers) requestInit.headers = { ...init.headers };
      if (init?.signal) requestInit.signal = init.signal;
      return fetch(url, requestInit);
    },
    connectSignaling: (url, options) =>
      io(url, {
        path: options.path ? options.path : '/socket.io',
        forceNew: true,
        reconnection: false,
        timeout: options.timeoutMs,
        transports: ['websocket'],
        query: { ...options.query },
      }) as unknown as SignalingSocketLike,
  });
}
