import {
  authenticateRoom,
  buildRoomAuthUrl,
  signalingEndpoint,
  skylinkHeaders,
  type RoomAuthRequest,
} from '../../../src/signaling/restClient';
import { FakeSignalingServer } from '../../fakes/FakeSignalingServer';
import { SkylinkErrorCode } from '../../../src/errors';

const base: RoomAuthRequest = {
  appKey: 'key1',
  roomName: 'room1',
  roomServer: '//127.0.0.1:3000',
  forceSSL: true,
  credentials: null,
  sdkVersion: '9.9.9',
  timeoutMs: 5000,
};

describe('restClient', () => {
  afterEach(() => jest.useRealTimers());

  it('builds the 2.x REST URL (scheme from forceSSL / page protocol)', () => {
    expect(buildRoomAuthUrl(base, 'http:', 42)).toBe('https://127.0.0.1:3000/api/key1/room1?rand=42');
    expect(buildRoomAuthUrl({ ...base, forceSSL: false }, 'http:', 42)).toBe('http://127.0.0.1:3000/api/key1/room1?rand=42');
    expect(buildRoomAuthUrl({ ...base, forceSSL: false, roomServer: 'http://h:1/' }, 'https:', 1)).toBe('http://h:1/api/key1/room1?rand=1');
  });

  it('builds the credentials form of the URL', () => {
    const url = buildRoomAuthUrl(
      { ...base, credentials: { startDateTime: '2020-01-01T00:00:00.000Z', duration: 2, credentials: 'abc%2B%3D' } },
      'https:',
      7,
    );
    expect(url).toBe('https://127.0.0.1:3000/api/key1/room1/2020-01-01T00:00:00.000Z/2?cred=abc%2B%3D&rand=7');
  });

  it('sends the four Skylink headers', async () => {
    const server = new FakeSignalingServer();
    const result = await authenticateRoom({ fetch: (u, i) => server.fetch(u, i), pageProtocol: () => 'http:' }, base);
    expect(result.ok).toBe(true);
    expect(server.restCalls[0]?.headers).toEqual(skylinkHeaders('9.9.9'));
    expect(skylinkHeaders('1')).toEqual({
      Skylink_SDK_type: 'Web SDK',
      Skylink_SDK_version: '1',
      Skylink_API_version: '9.0.0',
      'X-Server-Select': 'sig-v2',
    });
  });

  it('maps an API error body to AUTH_FAILED / CREDENTIALS_INVALID with status and code', async () => {
    const server = new FakeSignalingServer();
    const platform = { fetch: server.fetch.bind(server), pageProtocol: () => 'http:' };
    server.restFailure = { status: 403, body: { info: 'Invalid app key', error: 4001 } };
    const r1 = await authenticateRoom(platform, base);
    expect(r1).toMatchObject({ ok: false, status: 403, errorCode: 4001 });
    if (!r1.ok) {
      expect(r1.error.code).toBe(SkylinkErrorCode.AUTH_FAILED);
      expect(r1.error.message).toContain('Invalid app key');
      expect(r1.error.roomName).toBe('room1');
    }
    server.restFailure = { status: 401, body: { info: 'bad credentials', error: 4004 } };
    const r2 = await authenticateRoom(platform, base);
    expect(!r2.ok && r2.error.code).toBe(SkylinkErrorCode.CREDENTIALS_INVALID);
    server.restFailure = { status: 500, body: 'not json' };
    const r3 = await authenticateRoom(platform, base);
    expect(r3).toMatchObject({ ok: false, status: 500, errorCode: 500 });
    server.restFailure = { status: 200, body: { nope: true } };
    const r4 = await authenticateRoom(platform, base);
    expect(!r4.ok && r4.error.message).toContain('invalid response');
  });

  it('turns a network error into AUTH_FAILED', async () => {
    const server = new FakeSignalingServer();
    server.restNetworkError = true;
    const r = await authenticateRoom({ fetch: server.fetch.bind(server), pageProtocol: () => 'http:' }, base);
    expect(r).toMatchObject({ ok: false, status: -1, errorCode: -1 });
    expect(!r.ok && r.error.code).toBe(SkylinkErrorCode.AUTH_FAILED);
  });

  it('times out instead of hanging', async () => {
    jest.useFakeTimers();
    const p = authenticateRoom({ fetch: () => new Promise(() => undefined), pageProtocol: () => 'http:' }, base);
    jest.advanceTimersByTime(5000);
    const r = await p;
    expect(!r.ok && r.error.message).toContain('did not answer within 5000 ms');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('derives the signaling endpoint as 2.x does', () => {
    const rest = { ipSigserver: '10.0.0.1:3000', ipSigserverPath: '/sio', httpPortList: [80], httpsPortList: [443] };
    expect(signalingEndpoint(rest, { socketServer: null, socketServerPath: null }, 'https:')).toEqual({ url: 'https://10.0.0.1:3000', path: '/sio' });
    expect(signalingEndpoint(rest, { socketServer: '127.0.0.1:9', socketServerPath: null }, 'http:')).toEqual({ url: 'http://127.0.0.1:9', path: '' });
    expect(signalingEndpoint(rest, { socketServer: { url: 'sig.example', ports: [8080], protocol: 'http:' }, socketServerPath: '/x' }, 'https:')).toEqual({ url: 'http://sig.example:8080', path: '/x' });
    expect(signalingEndpoint(rest, { socketServer: { url: 'sig.example' }, socketServerPath: null }, 'https:')).toEqual({ url: 'https://sig.example:443', path: '' });
  });
});
