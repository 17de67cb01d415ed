import {
  DEFAULT_GUARD_LIMITS,
  isClientMessageType,
  isServerMessageType,
  parseClientMessage,
  parseServerMessage,
  parseStoredMessageItems,
} from '../../../src/signaling/guards';
import {
  dispatchMessage,
  encodeMessage,
  type ClientToServerMessage,
  type MessageHandlers,
  type SignalingMessage,
} from '../../../src/signaling/protocol';

const peer = { rid: 'room-key', mid: 'peer-a' };
const targeted = { ...peer, target: 'peer-b' };

/** One valid example of every message a client sends (as 2.x puts them on the wire). */
const clientExamples: ClientToServerMessage[] = [
  {
    type: 'joinRoom',
    rid: 'room-key',
    uid: 'user_1',
    cid: 'app',
    userCred: 'uc',
    roomCred: 'rc',
    timeStamp: '2026-01-01T00:00:00.000Z',
    apiOwner: 'owner',
    start: '2026-01-01T00:00:00.000Z',
    len: 24,
    isPrivileged: false,
    autoIntroduce: true,
    key: 'app',
  },
  {
    type: 'enter',
    ...peer,
    agent: 'chrome',
    version: '156',
    os: 'Linux x86_64',
    userInfo: { userData: { name: 'A' }, mediaStatus: {} },
    weight: 123,
    temasysPluginVersion: null,
    enableDataChannel: true,
    enableIceRestart: false,
    SMProtocolVersion: '2.1.0',
    DTProtocolVersion: '0.1.3',
  },
  { type: 'welcome', ...targeted, userInfo: {}, weight: 5, agent: 'chrome', version: 156 },
  {
    type: 'offer',
    ...targeted,
    sdp: 'v=0\r\n',
    userInfo: {},
    weight: 5,
    mediaInfoList: [{ publisherId: 'peer-a', mediaId: 'AUDIO_x', mediaType: 'audioMic', mediaState: 'active' }],
  },
  { type: 'answer', ...targeted, sdp: 'v=0\r\n', userInfo: {}, mediaInfoList: [] },
  { type: 'answerAck', ...targeted, success: true },
  { type: 'candidate', ...targeted, label: 0, id: '0', candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host' },
  { type: 'endOfCandidates', ...targeted, noOfExpectedCandidates: 1 },
  { type: 'bye', ...targeted },
  { type: 'updateUserEvent', ...peer, userData: '{"name":"A"}', stamp: 1 },
  { type: 'roomLockEvent', ...peer, lock: true },
  {
    type: 'mediaInfoEvent',
    ...targeted,
    publisherId: 'peer-a',
    mediaId: 'AUDIO_s',
    mediaType: 'audioMic',
    mediaState: 'muted',
  },
  { type: 'message', ...peer, data: 'hi', msgId: 'm1', roomSessionId: 's', peerSessionId: '' },
  { type: 'message', ...peer, data: 'U2FsdGVkX1', secretId: 's1', isPersistent: true },
  { type: 'public', ...peer, data: { x: 1 }, cid: 'c' },
  { type: 'private', ...targeted, data: 'x' },
  { type: 'getStoredMessages', ...peer, target: 'peer-a', roomSessionId: '' },
  { type: 'getPeers', rid: 'room-key', showAll: false },
  { type: 'introduce', sendingPeerId: 'a', receivingPeerId: 'b' },
  { type: 'stream', ...peer, status: 'ended', streamId: 's', settings: { isScreensharing: false } },
  { type: 'startRecordingRoom', rid: 'room-key', target: 'MCU' },
  { type: 'stopRecordingRoom', rid: 'room-key', target: 'MCU' },
  { type: 'startRTMP', ...peer, target: 'MCU', rtmpId: 'r', streamId: 's', endpoint: 'rtmp://x' },
  { type: 'stopRTMP', ...peer, target: 'MCU', rtmpId: 'r' },
  { type: 'group', ...peer, lists: ['{"type":"public"}'] },
  { type: 'restart', ...targeted, userInfo: {}, weight: 1 },
  { type: 'muteAudioEvent', ...peer, muted: true, stamp: 1 },
  { type: 'muteVideoEvent', ...peer, muted: false },
];

describe('parseClientMessage', () => {
  it.each(clientExamples.map((m) => [m.type, m] as const))('accepts a valid %s (string and object)', (_t, m) => {
    const fromString = parseClientMessage(encodeMessage(m));
    expect(fromString).toEqual({ ok: true, message: m });
    expect(parseClientMessage(m)).toEqual({ ok: true, message: m });
  });

  it('accepts server-issued credentials longer than an id, up to 4 KiB', () => {
    const join = clientExamples.find((m) => m.type === 'joinRoom')!;
    const long = { ...join, roomCred: 'x'.repeat(1500), userCred: 'y'.repeat(400), resumeToken: 'r1.' + 'z'.repeat(300) };
    expect(parseClientMessage(long)).toEqual({ ok: true, message: long });
    expect(parseClientMessage({ ...join, roomCred: 'x'.repeat(5000) }).ok).toBe(false);
  });

  it('keeps unknown extra fields (relayed unchanged)', () => {
    const r = parseClientMessage({ type: 'offer', ...targeted, sdp: 'x', custom: { a: 1 } });
    expect(r.ok && (r.message as unknown as Record<string, unknown>).custom).toEqual({ a: 1 });
  });

  it.each([
    ['not json', '{nope', 'not_json'],
    ['a number', 42, 'not_object'],
    ['null', null, 'not_object'],
    ['an array', '[1,2]', 'not_object'],
    ['a JSON string literal', '"hello"', 'not_object'],
    ['no type', { rid: 'r' }, 'missing_type'],
    ['numeric type', { type: 5, rid: 'r' }, 'missing_type'],
    ['unknown type', { type: 'hack', rid: 'r' }, 'unknown_type'],
    ['prototype key as type', { type: 'constructor', rid: 'r' }, 'unknown_type'],
    ['server-only type', { type: 'inRoom', rid: 'r', sid: 's', pc_config: { iceServers: [] }, tieBreaker: 1 }, 'unknown_type'],
    ['missing rid', { type: 'enter', mid: 'a' }, 'invalid_field'],
    ['empty mid', { type: 'enter', rid: 'r', mid: '' }, 'invalid_field'],
    ['numeric target', { type: 'offer', ...peer, target: 7, sdp: 'x' }, 'invalid_field'],
    ['sdp object', { type: 'offer', ...targeted, sdp: { a: 1 } }, 'invalid_field'],
    ['userData object', { type: 'updateUserEvent', ...peer, userData: { a: 1 }, stamp: 1 }, 'invalid_field'],
    ['lock string', { type: 'roomLockEvent', ...peer, lock: 'true' }, 'invalid_field'],
    ['NaN-ish stamp', { type: 'updateUserEvent', ...peer, userData: 'x', stamp: 'now' }, 'invalid_field'],
    ['message without data', { type: 'message', ...peer }, 'invalid_field'],
    ['userInfo array', { type: 'enter', ...peer, userInfo: [] }, 'invalid_field'],
    ['too long id', { type: 'enter', rid: 'r'.repeat(257), mid: 'a' }, 'invalid_field'],
    ['group too big', { type: 'group', ...peer, lists: new Array(17).fill('{}') }, 'invalid_field'],
    ['group of objects', { type: 'group', ...peer, lists: [{}] }, 'invalid_field'],
    ['joinRoom len string', { type: 'joinRoom', rid: 'r', len: '24' }, 'invalid_field'],
  ])('rejects %s', (_name, input, reason) => {
    const r = parseClientMessage(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(typeof r.detail).toBe('string');
    }
  });

  it('rejects payloads above the size limit, string or object', () => {
    const big = 'x'.repeat(DEFAULT_GUARD_LIMITS.maxMessageLength);
    const msg = { type: 'message', ...peer, data: big };
    expect(parseClientMessage(JSON.stringify(msg))).toMatchObject({ ok: false, reason: 'too_large' });
    expect(parseClientMessage(msg)).toMatchObject({ ok: false, reason: 'too_large' });
    expect(parseClientMessage(JSON.stringify(msg), { maxMessageLength: 10 * big.length })).toMatchObject({ ok: true });
  });

  it('rejects cyclic objects without throwing', () => {
    const cyclic: Record<string, unknown> = { type: 'message', ...peer, data: 'x' };
    cyclic.self = cyclic;
    expect(parseClientMessage(cyclic)).toMatchObject({ ok: false, reason: 'not_json' });
  });

  it('never throws on random input', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = ['{', '}', '[', ']', '"type"', ':', '"offer"', ',', '"rid"', '"x"', '1', 'null', 'true', '\\u0000'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(rand() * 20);
      for (let j = 0; j < n; j++) s += pieces[Math.floor(rand() * pieces.length)];
      expect(() => parseClientMessage(s)).not.toThrow();
      expect(() => parseServerMessage(s)).not.toThrow();
    }
  });
});

describe('parseServerMessage', () => {
  const serverExamples: SignalingMessage[] = [
    {
      type: 'inRoom',
      rid: 'r',
      sid: 's',
      tieBreaker: 1,
      pc_config: { iceServers: [{ url: 'turn:u@h', urls: 'turn:h', credential: 'c' }] },
    },
    { type: 'redirect', rid: 'r', action: 'reject', reason: 'locked', info: 'Room is locked' },
    {
      type: 'storedMessages',
      rid: 'r',
      mid: 's',
      data: JSON.stringify([{ data: 'U2F', secretId: 's1', mid: 'p', timeStamp: 1 }]),
    },
    { type: 'peerList', rid: 'r', result: { room1: ['a', 'b'] } },
    { type: 'approach', rid: 'r', target: 'b' },
    { type: 'introduceError', reason: 'x', sendingPeerId: 'a', receivingPeerId: 'b' },
    { type: 'recordingEvent', rid: 'r', action: 'on', recordingId: 'x' },
    { type: 'rtmpEvent', rid: 'r', action: 'startSuccess', rtmpId: 'x', peerId: 'p', streamId: 's' },
    { type: 'bye', rid: 'r', mid: 'gone' },
    { type: 'enter', rid: 'r', mid: 'p', userInfo: {} },
  ];

  it.each(serverExamples.map((m) => [m.type, m] as const))('accepts a valid %s', (_t, m) => {
    expect(parseServerMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
  });

  it.each([
    ['inRoom without pc_config', { type: 'inRoom', rid: 'r', sid: 's', tieBreaker: 1 }],
    ['ice server with only urls', { type: 'inRoom', rid: 'r', sid: 's', tieBreaker: 1, pc_config: { iceServers: [{ urls: 'x' }] } }],
    ['storedMessages data not JSON', { type: 'storedMessages', rid: 'r', mid: 's', data: '[' }],
    ['storedMessages item without secretId', { type: 'storedMessages', rid: 'r', mid: 's', data: '[{"data":"x","mid":"p","timeStamp":1}]' }],
    ['peerList with numbers', { type: 'peerList', rid: 'r', result: { a: [1] } }],
    ['client-only type', { type: 'joinRoom', rid: 'r' }],
  ])('rejects %s', (_n, input) => {
    expect(parseServerMessage(input).ok).toBe(false);
  });

  it('parses stored message items', () => {
    const items = [{ data: 'c', secretId: 's', mid: 'p', timeStamp: 5 }];
    expect(parseStoredMessageItems(JSON.stringify(items))).toEqual(items);
  });
});

describe('type helpers', () => {
  it('know the direction of each type', () => {
    expect(isClientMessageType('joinRoom')).toBe(true);
    expect(isClientMessageType('inRoom')).toBe(false);
    expect(isServerMessageType('inRoom')).toBe(true);
    expect(isServerMessageType('toString')).toBe(false);
    expect(isClientMessageType('offer') && isServerMessageType('offer')).toBe(true);
  });

  it('dispatchMessage calls the handler of the message type', () => {
    type Small = Extract<ClientToServerMessage, { type: 'bye' | 'roomLockEvent' }>;
    const seen: string[] = [];
    const handlers: MessageHandlers<Small> = {
      bye: (m) => seen.push(`bye:${m.mid}`),
      roomLockEvent: (m) => seen.push(`lock:${String(m.lock)}`),
    };
    dispatchMessage(handlers, { type: 'roomLockEvent', rid: 'r', mid: 'a', lock: true });
    dispatchMessage(handlers, { type: 'bye', rid: 'r', mid: 'a' });
    expect(seen).toEqual(['lock:true', 'bye:a']);
  });
});
