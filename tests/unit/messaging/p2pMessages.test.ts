import { parseFrame } from '../../../src/data/dataProtocol';
import { SkylinkErrorCode } from '../../../src/errors';
import { parseSendP2PMessageArgs } from '../../../src/messaging/messageArgs';
import {
  buildP2PMessageFrame,
  parseP2PMessage,
  planP2PDelivery,
  type P2PRoomView,
} from '../../../src/messaging/p2pMessages';

const ROOMS: P2PRoomView[] = [
  {
    roomName: 'lobby',
    selfId: 'me-1',
    peers: [
      { peerId: 'B', channelOpen: true },
      { peerId: 'C', channelOpen: false },
    ],
  },
  {
    roomName: 'side',
    selfId: 'me-2',
    peers: [
      { peerId: 'C', channelOpen: true },
      { peerId: 'D', channelOpen: true },
    ],
  },
];
const isJoined = (name: string): boolean => ROOMS.some((r) => r.roomName === name);
const plan = (args: unknown[], rooms: P2PRoomView[] = ROOMS, max?: number) => {
  const request = parseSendP2PMessageArgs(args, isJoined);
  const selected = request.roomName === null ? rooms : rooms.filter((r) => r.roomName === request.roomName);
  return planP2PDelivery(request, selected, max === undefined ? {} : { maxMessageBytes: max });
};
const frames = (deliveries: ReturnType<typeof plan>) =>
  deliveries.flatMap((d) => d.sends.map((s) => [d.roomName, s.peerId, JSON.parse(s.payload) as unknown]));

describe('planP2PDelivery', () => {
  it('broadcasts (message) in every room to peers with an open channel, with a 2.x frame', () => {
    const deliveries = plan([{ hello: 'all' }]);
    expect(frames(deliveries)).toEqual([
      ['lobby', 'B', { type: 'MESSAGE', isPrivate: false, sender: 'me-1', target: null, data: { hello: 'all' } }],
      ['side', 'C', { type: 'MESSAGE', isPrivate: false, sender: 'me-2', target: null, data: { hello: 'all' } }],
      ['side', 'D', { type: 'MESSAGE', isPrivate: false, sender: 'me-2', target: null, data: { hello: 'all' } }],
    ]);
    expect(deliveries.map((d) => d.echo)).toEqual([
      {
        peerId: 'me-1',
        isSelf: true,
        message: { targetPeerId: null, content: { hello: 'all' }, senderPeerId: 'me-1', isDataChannel: true, isPrivate: false },
      },
      {
        peerId: 'me-2',
        isSelf: true,
        message: { targetPeerId: null, content: { hello: 'all' }, senderPeerId: 'me-2', isDataChannel: true, isPrivate: false },
      },
    ]);
  });

  it('sends (message, target) only where the target is reachable, echoing in those rooms', () => {
    const deliveries = plan(['psst', 'C']);
    expect(frames(deliveries)).toEqual([
      ['side', 'C', { type: 'MESSAGE', isPrivate: true, sender: 'me-2', target: 'C', data: 'psst' }],
    ]);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.echo.message).toMatchObject({ targetPeerId: 'C', isPrivate: true });
  });

  it('sends (message, [targets]) to each, echoing the targets reached in each room', () => {
    const deliveries = plan(['hi', ['B', 'D']]);
    expect(frames(deliveries).map(([room, peer]) => [room, peer])).toEqual([
      ['lobby', 'B'],
      ['side', 'D'],
    ]);
    expect(deliveries.map((d) => d.echo.message.targetPeerId)).toEqual([['B'], ['D']]);
  });

  it('keeps (roomName, message, target) inside the named room', () => {
    expect(frames(plan(['side', 'x', 'D'])).map(([room, peer]) => [room, peer])).toEqual([['side', 'D']]);
    expect(() => plan(['side', 'x', 'B'])).toThrow(expect.objectContaining({ code: SkylinkErrorCode.PEER_NOT_FOUND, roomName: 'side' }));
  });

  it('echoes a broadcast in a room with no reachable peer', () => {
    const deliveries = plan(['lobby', 'anyone?'], [{ roomName: 'lobby', selfId: 'me', peers: [] }]);
    expect(deliveries).toEqual([expect.objectContaining({ roomName: 'lobby', sends: [] })]);
    expect(deliveries[0]?.echo.isSelf).toBe(true);
  });

  it('rejects unknown targets, closed channels, no rooms and oversize frames before sending anything', () => {
    expect(() => plan(['hi', 'Z'])).toThrow(expect.objectContaining({ code: SkylinkErrorCode.PEER_NOT_FOUND, peerId: 'Z' }));
    expect(() => plan(['lobby', 'hi', 'C'])).toThrow(
      expect.objectContaining({ code: SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, peerId: 'C', roomName: 'lobby' }),
    );
    expect(() => plan(['hi'], [])).toThrow(expect.objectContaining({ code: SkylinkErrorCode.ROOM_NOT_FOUND }));
    expect(() => plan(['é'.repeat(100)], ROOMS, 150)).toThrow(expect.objectContaining({ code: SkylinkErrorCode.MESSAGE_TOO_LARGE }));
    expect(() => plan(['é'.repeat(10)], ROOMS, 150)).not.toThrow();
  });

  it('writes frames byte-identical to JSON.stringify of the 2.x frame object', () => {
    const rooms: P2PRoomView[] = [{ roomName: 'lobby', selfId: 'me "quoted" \\ \u2028', peers: [{ peerId: 'B\n"x"', channelOpen: true }] }];
    const withToJson = { toJSON: (key: string) => `key:${key}` };
    const messages: unknown[] = [
      'plain',
      'quotes " and \\ backslashes, \u0000 control, é, 😀, lone \ud800',
      0,
      -1.5e-7,
      true,
      null,
      [1, undefined, () => 1, { a: undefined }],
      { nested: { deep: [{ x: 'y' }] }, skipped: undefined, fn: () => 1 },
      Object.assign(Object.create(null) as object, { a: 1 }),
      withToJson,
      { inner: withToJson },
    ];
    for (const message of messages) {
      for (const target of [undefined, 'B\n"x"']) {
        const args = target === undefined ? ['lobby', message] : ['lobby', message, target];
        const [delivery] = planP2PDelivery(parseSendP2PMessageArgs(args, () => true), rooms);
        const expected = JSON.stringify(buildP2PMessageFrame(rooms[0]!.selfId, message, target ?? null));
        expect(delivery?.sends[0]?.payload).toBe(expected);
      }
    }
  });

  it('serialises the message once per call, whatever the number of recipients', () => {
    let calls = 0;
    const message = { get counted() { calls += 1; return 1; } };
    const rooms: P2PRoomView[] = [{ roomName: 'lobby', selfId: 'me', peers: ['B', 'C', 'D'].map((peerId) => ({ peerId, channelOpen: true })) }];
    const [delivery] = planP2PDelivery(parseSendP2PMessageArgs(['lobby', message, ['B', 'C', 'D']], () => true), rooms);
    expect(delivery?.sends.map((send) => JSON.parse(send.payload) as unknown)).toEqual(
      ['B', 'C', 'D'].map((target) => ({ type: 'MESSAGE', isPrivate: true, sender: 'me', target, data: { counted: 1 } })),
    );
    expect(calls).toBe(1);
  });

  it('keeps the order of the targets given, not the order of the peers', () => {
    const rooms: P2PRoomView[] = [{ roomName: 'lobby', selfId: 'me', peers: ['B', 'C', 'D'].map((peerId) => ({ peerId, channelOpen: true })) }];
    const [delivery] = planP2PDelivery(parseSendP2PMessageArgs(['lobby', 'hi', ['D', 'B']], () => true), rooms);
    expect(delivery?.sends.map((send) => send.peerId)).toEqual(['D', 'B']);
    expect(delivery?.echo.message.targetPeerId).toEqual(['D', 'B']);
  });

  it('enforces the byte limit exactly, counting UTF-8 bytes', () => {
    const rooms: P2PRoomView[] = [{ roomName: 'lobby', selfId: 'me', peers: [{ peerId: 'B', channelOpen: true }] }];
    // The frame around the text is ASCII; 'a' takes 1 byte in UTF-8, '€' 3, '😀' 4 (2 UTF-16 units).
    const overhead = JSON.stringify(buildP2PMessageFrame('me', '', 'B')).length;
    const send = (message: string, limit: number) => () =>
      planP2PDelivery(parseSendP2PMessageArgs(['lobby', message, 'B'], () => true), rooms, { maxMessageBytes: limit });
    for (const [message, bytes] of [['a'.repeat(500), overhead + 500], ['€'.repeat(200), overhead + 600], ['😀'.repeat(120), overhead + 480]] as const) {
      expect(send(message, bytes)).not.toThrow();
      expect(send(message, bytes - 1)).toThrow(expect.objectContaining({ code: SkylinkErrorCode.MESSAGE_TOO_LARGE, message: expect.stringContaining(`(${bytes} > ${bytes - 1} bytes`) as unknown }));
    }
  });

  it('mentions a possibly mistyped room name when the shifted target is unknown', () => {
    expect(() => plan(['lobbyy', 'hello'])).toThrow(/Peer Id not found hello \(and no joined room is named "lobbyy"\)/);
  });
});

describe('parseP2PMessage', () => {
  it('reads what the data protocol parser accepts from a 2.x peer', () => {
    const raw = '{"type":"MESSAGE","isPrivate":true,"sender":"A","target":"B","data":{"any":["json"]}}';
    const frame = parseFrame(raw);
    if (frame.kind !== 'protocol' || frame.message.type !== 'MESSAGE') throw new Error('not a MESSAGE frame');
    expect(parseP2PMessage(frame.message, 'A')).toEqual({
      peerId: 'A',
      isSelf: false,
      message: { targetPeerId: 'B', content: { any: ['json'] }, senderPeerId: 'A', isDataChannel: true, isPrivate: true },
    });
  });

  it('trusts the channel peer over the claimed sender, except on the MCU channel', () => {
    const spoofed = buildP2PMessageFrame('VICTIM', 'hi', null);
    expect(parseP2PMessage(spoofed, 'ATTACKER').message.senderPeerId).toBe('ATTACKER');
    const relayed = { type: 'MESSAGE' as const, isPrivate: true, sender: 'A', target: ['B'], data: 'hi' };
    expect(parseP2PMessage(relayed, 'MCU')).toMatchObject({
      peerId: 'A',
      message: { senderPeerId: 'A', targetPeerId: ['B'] },
    });
  });

  it('round-trips our own frames through the data protocol parser', () => {
    const [delivery] = plan(['lobby', { n: 1 }, 'B']);
    const frame = parseFrame(delivery?.sends[0]?.payload);
    if (frame.kind !== 'protocol' || frame.message.type !== 'MESSAGE') throw new Error('not a MESSAGE frame');
    expect(parseP2PMessage(frame.message, 'me-1').message).toEqual({
      targetPeerId: 'B',
      content: { n: 1 },
      senderPeerId: 'me-1',
      isDataChannel: true,
      isPrivate: true,
    });
  });
});
