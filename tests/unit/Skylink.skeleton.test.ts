import Skylink, { SkylinkError, SkylinkEventManagerClass, SkylinkLogger } from '../../src/index';
import { DEFAULT_INIT_OPTIONS, resolveInitOptions } from '../../src/initOptions';
import { subscribeToEvents, waitForEvent } from '../helpers/waitForEvent';

const expectInvalid = (fn: () => unknown, message?: string | RegExp): void => {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SkylinkError);
  expect((caught as SkylinkError).code).toBe('INVALID_ARGUMENT');
  if (message) expect((caught as SkylinkError).message).toMatch(message);
};

describe('new Skylink(initOptions)', () => {
  let events: SkylinkEventManagerClass;
  beforeEach(() => {
    events = new SkylinkEventManagerClass();
    SkylinkLogger.setLevel('SILENT');
  });
  afterEach(() => SkylinkLogger.setLevel('WARN'));

  test('valid options: READY_STATE_CHANGE INIT on the injected manager', () => {
    const sub = subscribeToEvents(events, ['readyStateChange']);
    const skylink = new Skylink({ appKey: 'key' }, { eventManager: events });
    expect(skylink).toBeInstanceOf(Skylink);
    expect(sub.buffered('readyStateChange')).toEqual([{ readyState: 0, error: null, room: null, roomName: null }]);
    sub.unsubscribe();
  });

  test.each([
    ['missing appKey', {}],
    ['empty appKey', { appKey: '' }],
    ['blank appKey', { appKey: '   ' }],
    ['non-string appKey', { appKey: 42 }],
  ])('%s throws INVALID_ARGUMENT with the 2.x message and fires READY_STATE_CHANGE ERROR', (_label, options) => {
    const fired: unknown[] = [];
    events.addEventListener('readyStateChange', (e) => fired.push(e.detail));
    expectInvalid(() => new Skylink(options as never, { eventManager: events }), 'Please provide an App Key - Get one at console.temasys.io!');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ readyState: -1, error: { status: -2, errorCode: 4 }, room: null, roomName: null });
  });

  test.each([
    ['not an object', null],
    ['array', []],
    ['boolean field', { appKey: 'k', forceSSL: 'yes' }],
    ['socketTimeout', { appKey: 'k', socketTimeout: -1 }],
    ['statsInterval', { appKey: 'k', statsInterval: Number.NaN }],
    ['TURNServerTransport', { appKey: 'k', TURNServerTransport: 'carrier-pigeon' }],
    ['defaultRoom', { appKey: 'k', defaultRoom: 5 }],
    ['roomServer', { appKey: 'k', roomServer: '' }],
    ['socketServer', { appKey: 'k', socketServer: { ports: [1] } }],
    ['credentials', { appKey: 'k', credentials: { startDateTime: 'not a date', duration: 1, credentials: 'c' } }],
    ['iceServer', { appKey: 'k', iceServer: { urls: [] } }],
    ['filterCandidatesType', { appKey: 'k', filterCandidatesType: { host: 'yes' } }],
  ])('invalid %s throws INVALID_ARGUMENT', (_label, options) => {
    expectInvalid(() => new Skylink(options as never, { eventManager: events }));
  });

  test('error messages name the field but never echo a secret value', () => {
    expectInvalid(
      () => new Skylink({ appKey: 'k', credentials: { startDateTime: 'x', duration: 1, credentials: 'SECRET-HMAC' } }, { eventManager: events }),
      /^Invalid initOptions\.credentials: /,
    );
    try {
      resolveInitOptions({ appKey: 'k', credentials: { credentials: 'SECRET-HMAC' } }, 'id');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('SECRET-HMAC');
    }
  });

  test('defaults (2.x code values), user values win, forceTURN post-processing', () => {
    const resolved = resolveInitOptions({ appKey: ' k ', defaultRoom: 'lobby', audioFallback: false }, 'client-1');
    expect(resolved).toMatchObject({
      appKey: 'k',
      defaultRoom: 'lobby',
      clientId: 'client-1',
      roomServer: '//api.temasys.io',
      enableDataChannel: true,
      socketTimeout: 7000,
      forceSSL: true,
      audioFallback: false,
      TURNServerTransport: 'any',
      statsInterval: 20,
    });
    const turn = resolveInitOptions({ appKey: 'k', forceTURN: true, enableTURNServer: false }, 'c');
    expect(turn).toMatchObject({ enableTURNServer: true, enableSTUNServer: false, filterCandidatesType: { host: true, srflx: true, relay: false } });
    expect(DEFAULT_INIT_OPTIONS.filterCandidatesType).toEqual({ host: false, srflx: false, relay: false });
    const partial = resolveInitOptions({ appKey: 'k', filterCandidatesType: { relay: true }, socketServer: { url: '//127.0.0.1:1', ports: [1] } }, 'c');
    expect(partial.filterCandidatesType).toEqual({ host: false, srflx: false, relay: true });
  });
});

describe('Skylink facade skeleton', () => {
  let skylink: Skylink;
  let events: SkylinkEventManagerClass;
  beforeEach(() => {
    events = new SkylinkEventManagerClass();
    skylink = new Skylink({ appKey: 'key', defaultRoom: 'lobby' }, { eventManager: events });
  });

  test('generateUUID returns distinct RFC 4122 v4 ids; getSdkVersion returns the package version', () => {
    const a = skylink.generateUUID();
    const b = skylink.generateUUID();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(skylink.getSdkVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('lookups return null for rooms that are not joined', () => {
    expect(skylink.getPeersInRoom('lobby')).toBeNull();
    expect(skylink.getPeerInfo('lobby')).toBeNull();
    expect(skylink.getUserData('lobby')).toBeNull();
    expect(skylink.getPeersCustomSettings('lobby')).toBeNull();
    expect(skylink.getPeersDataChannels('lobby')).toBeNull();
    expect(skylink.getStreams('lobby')).toBeNull();
    expect(skylink.getEncryptSecrets('lobby')).toBeNull();
    expect(skylink.getSelectedSecret('lobby')).toBeNull();
    expect(skylink.getMessagePersistence('lobby')).toBeNull();
    expect(skylink.getRecordings('lobby')).toBeNull();
  });

  // MCU-only commands on a room that is not joined reject ROOM_NOT_FOUND (joined: MCU_NOT_CONNECTED,
  // tested with the fakes in tests/unit/room).
  const commands: Array<[string, (s: Skylink) => Promise<unknown>]> = [
    ['startRecording', (s) => s.startRecording('lobby')],
    ['stopRecording', (s) => s.stopRecording('lobby')],
    ['startRTMPSession', (s) => s.startRTMPSession('lobby', 'stream', 'rtmp://x')],
    ['stopRTMPSession', (s) => s.stopRTMPSession('lobby', 'id')],
  ];
  test.each(commands)('%s returns a promise rejecting with a SkylinkError', async (_name, call) => {
    const result = call(skylink);
    expect(result).toBeInstanceOf(Promise);
    const err: unknown = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SkylinkError);
    expect((err as SkylinkError).code).toBe('ROOM_NOT_FOUND');
  });

  test('every 2.x public method exists on the class', () => {
    const methods = [
      'joinRoom', 'leaveRoom', 'leaveAllRooms', 'getUserMedia', 'stopStreams', 'sendStream', 'shareScreen', 'stopScreen',
      'muteStreams', 'sendMessage', 'sendP2PMessage', 'getStoredMessages', 'setEncryptSecret', 'getEncryptSecrets',
      'deleteEncryptSecrets', 'setSelectedSecret', 'getSelectedSecret', 'setMessagePersistence', 'getMessagePersistence',
      'getPeersInRoom', 'getPeerInfo', 'getUserData', 'setUserData', 'getPeers', 'getPeersCustomSettings',
      'getPeersDataChannels', 'refreshDatachannel', 'refreshConnection', 'getConnectionStatus', 'getStreams',
      'getStreamSources', 'generateUUID', 'getSdkVersion', 'startRecording', 'stopRecording', 'getRecordings',
      'startRTMPSession', 'stopRTMPSession', 'lockRoom', 'unlockRoom', 'sendBlobData', 'respondBlobRequest',
      'cancelBlobTransfer', 'stopPrefetchedStream',
    ];
    expect(methods).toHaveLength(44);
    for (const m of methods) expect(typeof (skylink as unknown as Record<string, unknown>)[m]).toBe('function');
  });
});

describe('waitForEvent helper', () => {
  test('resolves with the first matching detail', async () => {
    const events = new SkylinkEventManagerClass();
    const pending = waitForEvent(events, 'peerConnectionState', (d) => d.state === 'connected', 1000);
    events.dispatch('peerConnectionState', { roomName: 'r', peerId: 'p', state: 'connecting' });
    events.dispatch('peerConnectionState', { roomName: 'r', peerId: 'p', state: 'connected' });
    await expect(pending).resolves.toMatchObject({ state: 'connected' });
    expect(events.listenerCount()).toBe(0);
  });

  test('rejects on timeout with a clear message', async () => {
    jest.useFakeTimers();
    try {
      const events = new SkylinkEventManagerClass();
      const pending = waitForEvent(events, 'peerJoined', undefined, 250);
      jest.advanceTimersByTime(250);
      await expect(pending).rejects.toThrow('waitForEvent: no "peerJoined" event within 250 ms');
      expect(events.listenerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('subscribeToEvents buffers events fired before waitFor', async () => {
    const events = new SkylinkEventManagerClass();
    const sub = subscribeToEvents(events, ['peerConnectionState']);
    events.dispatch('peerConnectionState', { roomName: 'r', peerId: 'a', state: 'connected' });
    events.dispatch('peerConnectionState', { roomName: 'r', peerId: 'b', state: 'connected' });
    await expect(sub.waitFor('peerConnectionState', (d) => d.peerId === 'b')).resolves.toMatchObject({ peerId: 'b' });
    expect(sub.buffered('peerConnectionState')).toHaveLength(1);
    const later = sub.waitFor('peerConnectionState', (d) => d.peerId === 'c', 1000);
    events.dispatch('peerConnectionState', { roomName: 'r', peerId: 'c', state: 'failed' });
    await expect(later).resolves.toMatchObject({ peerId: 'c', state: 'failed' });
    sub.unsubscribe();
    expect(events.listenerCount()).toBe(0);
  });
});
