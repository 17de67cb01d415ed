/**
 * The real browser platform. The ONLY module that imports 'webrtc-adapter' (for its shims and its
 * browser detection) and calls socket.io's `io()`. It never assigns `window.*` globals.
 * @internal
 */
import adapter from 'webrtc-adapter';
import { io } from 'socket.io-client';
import type {
  AgentInfo,
  HttpRequestInit,
  HttpResponseLike,
  PeerConnectionLike,
  SignalingConnectOptions,
  SignalingSocketLike,
  SkylinkPlatform,
} from './SkylinkPlatform';
import { generateUUID } from '../uuid';

function mediaDevices(): MediaDevices {
  const devices = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!devices) throw new Error('navigator.mediaDevices is not available (insecure context?)');
  return devices;
}

export const browserPlatform: SkylinkPlatform = {
  createPeerConnection(config: RTCConfiguration): PeerConnectionLike {
    // The DOM type is wider than PeerConnectionLike in its event typings only.
    return new RTCPeerConnection(config) as unknown as PeerConnectionLike;
  },
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    return mediaDevices().getUserMedia(constraints);
  },
  getDisplayMedia(options?: DisplayMediaStreamOptions): Promise<MediaStream> {
    return mediaDevices().getDisplayMedia(options);
  },
  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return mediaDevices().enumerateDevices();
  },
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream {
    return new MediaStream(tracks);
  },
  connectSignaling(url: string, options: SignalingConnectOptions): SignalingSocketLike {
    // socket.io's own reconnection stays off: SignalingClient reconnects with its own backoff so it can
    // resume room sessions (and be tested with fake timers).
    const socket = io(url, {
      path: options.path ? options.path : '/socket.io',
      forceNew: true,
      reconnection: false,
      timeout: options.timeoutMs,
      transports: ['websocket'],
      query: { ...options.query },
    });
    return socket as unknown as SignalingSocketLike;
  },
  async fetch(url: string, init?: HttpRequestInit): Promise<HttpResponseLike> {
    const requestInit: RequestInit = { method: init?.method ?? 'GET' };
    if (init?.headers) requestInit.headers = { ...init.headers };
    if (init?.body !== undefined) requestInit.body = init.body;
    if (init?.signal) requestInit.signal = init.signal;
    return fetch(url, requestInit);
  },
  pageProtocol(): string {
    return typeof location !== 'undefined' && location.protocol ? location.protocol : 'https:';
  },
  agent(): AgentInfo {
    const details = adapter.browserDetails;
    return {
      name: details.browser || 'other',
      version: typeof details.version === 'number' ? details.version : 0,
      os: typeof navigator !== 'undefined' ? navigator.platform : '',
    };
  },
  randomId(): string {
    return generateUUID();
  },
};
