import { SkylinkError, SkylinkErrorCode } from '../../../src/errors';
import {
  assertJsonMessage,
  parseSendMessageArgs,
  parseSendP2PMessageArgs,
  parseTargets,
} from '../../../src/messaging/messageArgs';

const JOINED = ['Lobby', 'room-2'];
const isJoined = (name: string): boolean => JOINED.some((room) => room.toLowerCase() === name.toLowerCase());

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SkylinkError);
    return (err as SkylinkError).code;
  }
  throw new Error('expected a throw');
}

describe('parseSendP2PMessageArgs (documented sendP2PMessage overloads)', () => {
  it.each<[string, unknown[], object]>([
    ['(message)', ['hello'], { roomName: null, message: 'hello', targets: null, targetPeerId: null }],
    ['(objectMessage)', [{ a: 1 }], { roomName: null, message: { a: 1 }, targets: null }],
    ['(message, peerId)', ['hello', 'peer-1'], { roomName: null, message: 'hello', targets: ['peer-1'], targetPeerId: 'peer-1' }],
    [
      '(message, [peerIds])',
      ['hello', ['p1', 'p2', 'p1']],
      { roomName: null, message: 'hello', targets: ['p1', 'p2'], targetPeerId: ['p1', 'p2', 'p1'] },
    ],
    ['(objectMessage, peerId)', [{ a: 1 }, 'p1'], { roomName: null, message: { a: 1 }, targets: ['p1'] }],
    ['(message, undefined)', ['hello', undefined], { roomName: null, message: 'hello', targets: null }],
    ['(roomName, message)', ['Lobby', 'hello'], { roomName: 'Lobby', message: 'hello', targets: null }],
    ['(roomName in another case, message)', ['LOBBY', 'hi'], { roomName: 'LOBBY', message: 'hi', targets: null }],
    ['(roomName, message, peerId)', ['room-2', { x: [1] }, 'p9'], { roomName: 'room-2', message: { x: [1] }, targets: ['p9'] }],
    ['(roomName, message, [])', ['Lobby', 'hi', []], { roomName: 'Lobby', targets: null, targetPeerId: null }],
    ['(roomName, message, "")', ['Lobby', 'hi', ''], { roomName: 'Lobby', targets: null }],
    ["('', message) — 2.x default roomName", ['', 'hello'], { roomName: null, message: 'hello', targets: null }],
    ['(null, message, peerId)', [null, 'hello', 'p1'], { roomName: null, message: 'hello', targets: ['p1'] }],
    ['(undefined, message)', [undefined, 42], { roomName: null, message: 42, targets: null }],
  ])('%s', (_form, args, expected) => {
    expect(parseSendP2PMessageArgs(args, isJoined)).toMatchObject(expected);
  });

  it('remembers a shifted first argument that might have been a mistyped room name', () => {
    expect(parseSendP2PMessageArgs(['Lobyy', 'hello'], isJoined)).toEqual({
      roomName: null,
      message: 'Lobyy',
      messageJson: '"Lobyy"',
      targets: ['hello'],
      targetPeerId: 'hello',
      unmatchedRoomName: 'Lobyy',
    });
  });

  it('reads (unknownRoom, objectMessage) as a missing room, not as a bad target', () => {
    expect(codeOf(() => parseSendP2PMessageArgs(['nope', { a: 1 }], isJoined))).toBe(SkylinkErrorCode.ROOM_NOT_FOUND);
  });

  it('rejects an unknown room name in the three-argument form', () => {
    expect(codeOf(() => parseSendP2PMessageArgs(['nope', 'hello', 'p1'], isJoined))).toBe(SkylinkErrorCode.ROOM_NOT_FOUND);
  });

  it.each<[string, unknown[]]>([
    ['no arguments', []],
    ['an undefined message', [undefined]],
    ['a function message', [() => 1]],
    ['a non-string room name', [42, 'hello', 'p1']],
    ['a numeric target', ['Lobby', 'hello', 7]],
    ['an array target with a non-string', ['hello', ['p1', 2]]],
    ['a missing message in the room form', ['Lobby', undefined, 'p1']],
  ])('rejects %s with INVALID_ARGUMENT', (_case, args) => {
    expect(codeOf(() => parseSendP2PMessageArgs(args, isJoined))).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
  });
});

describe('parseSendMessageArgs', () => {
  it('accepts strings and JSON values, a target or targets and a peerSessionId', () => {
    expect(parseSendMessageArgs('hi')).toEqual({ message: 'hi', targets: null, targetPeerId: null, peerSessionId: '' });
    expect(parseSendMessageArgs({ kind: 'chat', n: 1 }, ['a', 'b'], 'session-x')).toEqual({
      message: { kind: 'chat', n: 1 },
      targets: ['a', 'b'],
      targetPeerId: ['a', 'b'],
      peerSessionId: 'session-x',
    });
    expect(parseSendMessageArgs('', 'a', null)).toMatchObject({ message: '', targets: ['a'], peerSessionId: '' });
  });

  it.each<[string, unknown, unknown, unknown]>([
    ['an undefined message', undefined, undefined, undefined],
    ['a bigint message', 10n, undefined, undefined],
    ['a target object', 'hi', { id: 'a' }, undefined],
    ['a numeric peerSessionId', 'hi', 'a', 5],
  ])('rejects %s with INVALID_ARGUMENT', (_case, message, target, session) => {
    expect(codeOf(() => parseSendMessageArgs(message, target, session))).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
  });
});

describe('assertJsonMessage / parseTargets', () => {
  it.each<[string, unknown]>([
    ['a string', 'x'],
    ['an empty string', ''],
    ['a number', 3.5],
    ['a boolean', false],
    ['null', null],
    ['an array', [1, 'two', { three: 3 }]],
    ['a plain object', { nested: { ok: true } }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('accepts %s', (_case, value) => {
    expect(() => assertJsonMessage(value, 'm')).not.toThrow();
  });

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  it.each<[string, unknown]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a symbol', Symbol('s')],
    ['a Date', new Date()],
    ['a Map', new Map()],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['a cyclic object', cyclic],
    ['an object holding a bigint', { n: 1n }],
  ])('rejects %s', (_case, value) => {
    expect(() => assertJsonMessage(value, 'm')).toThrow(/m: message must be a string or a JSON-serialisable value/);
  });

  it('treats absent, empty string and empty array targets as a broadcast', () => {
    for (const value of [undefined, null, '', []]) {
      expect(parseTargets(value, 'm')).toEqual({ targets: null, targetPeerId: null });
    }
    expect(codeOf(() => parseTargets([''], 'm'))).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
  });
});
