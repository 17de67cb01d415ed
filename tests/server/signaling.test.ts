/**
 * Signaling over real sockets, with socket.io v4 and v2 clients: join, enter ordering, relay of
 * every peer-to-peer message type, broadcast without echo, lock, user data, bye.
 */
import {
  CONNECTORS,
  barrier,
  selfBarrier,
  connectV4,
  enterPeer,
  joinPeer,
  joinRoomMessage,
  auth,
  startServer,
  type JoinedPeer,
  type TestServer,
} from './helpers/serverKit';

describe.each(CONNECTORS)('signaling with %s', (_name, connect) => {
  let srv: TestServer;
  const peers: JoinedPeer[] = [];
  const room = (n: string) => `${_name}-${n}`;
  const join = async (name: string, opts: Parameters<typeof enterPeer>[2] = {}) => {
    const p = await enterPeer(srv.url, name, { connect, ...opts });
    peers.push(p);
    return p;
  };

  beforeEach(async () => {
    srv = await startServer({
      iceServers: [
        { urls: 'stun:stun.example.test:3478' },
        { urls: ['turn:turn.example.test:3478'], username: 'u1', credential: 'pw' },
      ],
    });
  });
  afterEach(async () => {
    peers.splice(0).forEach((p) => p.client.close());
    await srv.close();
  });

  it('answers joinRoom with inRoom (sid, tieBreaker, iceServers with url and urls) as a JSON string', async () => {
    const a = await join(room('join'));
    expect(a.inRoom).toMatchObject({ type: 'inRoom', rid: a.auth.room_key, sid: expect.any(String) });
    expect(typeof a.inRoom.tieBreaker).toBe('number');
    expect(a.inRoom.pc_config.iceServers).toEqual([
      { url: 'stun:stun.example.test:3478', urls: 'stun:stun.example.test:3478' },
      { url: 'turn:u1@turn.example.test:3478', urls: 'turn:turn.example.test:3478', username: 'u1', credential: 'pw' },
    ]);
    expect(a.client.nonStringPayloads).toEqual([]);
    const b = await join(room('join'));
    expect(b.sid).not.toBe(a.sid);
    expect(b.inRoom.tieBreaker).not.toBe(a.inRoom.tieBreaker);
  });

  it('delivers enter only to earlier members, then relays the whole negotiation by target', async () => {
    const a = await join(room('nego'));
    const b = await join(room('nego'));
    const enter = await a.client.nextOfType('enter');
    expect(enter).toMatchObject({ mid: b.sid, rid: a.rid, userInfo: { userData: b.sid } });

    const base = { rid: a.rid };
    const aToB = { ...base, mid: a.sid, target: b.sid };
    const bToA = { ...base, mid: b.sid, target: a.sid };
    const steps: Array<[JoinedPeer, JoinedPeer, Record<string, unknown>]> = [
      [a, b, { type: 'welcome', ...aToB, userInfo: {}, weight: 1, agent: 'chrome', version: '156' }],
      [b, a, { type: 'offer', ...bToA, sdp: 'v=0 offer', weight: 2, mediaInfoList: [{ mediaId: 'AUDIO_1' }] }],
      [a, b, { type: 'answer', ...aToB, sdp: 'v=0 answer', userInfo: {}, mediaInfoList: [] }],
      [a, b, { type: 'candidate', ...aToB, label: 0, id: '0', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' }],
      [b, a, { type: 'answerAck', ...bToA, success: true }],
      [b, a, { type: 'endOfCandidates', ...bToA, noOfExpectedCandidates: 3 }],
      [b, a, { type: 'restart', ...bToA, weight: 2 }],
      [a, b, { type: 'mediaInfoEvent', ...aToB, publisherId: a.sid, mediaId: 'AUDIO_s', mediaType: 'audioMic', mediaState: 'muted' }],
      [a, b, { type: 'private', ...aToB, data: 'legacy private' }],
      [a, b, { type: 'message', ...aToB, data: 'private chat', msgId: 'm1', roomSessionId: 'x', peerSessionId: '' }],
    ];
    for (const [from, to, msg] of steps) {
      from.client.send(msg);
      // Relayed unchanged, extra fields included.
      expect(await to.client.nextOfType(msg.type as string)).toEqual(msg);
    }
    // b never got its own enter back, a never got b's welcome etc. echoed.
    expect(b.client.receivedMatching((m) => m.type === 'enter')).toEqual([]);
    expect(a.client.receivedMatching((m) => m.mid === a.sid && m.type !== 'inRoom')).toEqual([]);
    expect(b.client.receivedMatching((m) => m.mid === b.sid && m.type !== 'inRoom')).toEqual([]);
  });

  it('simultaneous joiners: exactly one direction of enter per pair', async () => {
    const [a, b, c] = await Promise.all([join(room('sim')), join(room('sim')), join(room('sim'))]);
    const all = [a, b, c] as JoinedPeer[];
    const bySeq = [...all].sort((x, y) => x.inRoom.tieBreaker - y.inRoom.tieBreaker);
    const [first, second, third] = bySeq as [JoinedPeer, JoinedPeer, JoinedPeer];
    await first.client.nextOfType('enter', (m) => m.mid === second.sid);
    await first.client.nextOfType('enter', (m) => m.mid === third.sid);
    await second.client.nextOfType('enter', (m) => m.mid === third.sid);
    await barrier(third, first);
    await barrier(third, second);
    expect(third.client.receivedMatching((m) => m.type === 'enter')).toEqual([]);
    expect(second.client.receivedMatching((m) => m.type === 'enter' && m.mid === first.sid)).toEqual([]);
  });

  it('broadcasts public messages, user data, stream and mute events to the others only', async () => {
    const a = await join(room('bcast'));
    const b = await join(room('bcast'));
    const c = await join(room('bcast'));
    const msgs = [
      { type: 'message', rid: a.rid, mid: a.sid, data: 'hello all', msgId: 'x', roomSessionId: 's', peerSessionId: '' },
      { type: 'public', rid: a.rid, mid: a.sid, data: 'legacy public', cid: 'c' },
      { type: 'updateUserEvent', rid: a.rid, mid: a.sid, userData: '{"name":"A2"}', stamp: 5 },
      { type: 'stream', rid: a.rid, mid: a.sid, status: 'ended', streamId: 's1', settings: { isScreensharing: true } },
      { type: 'muteAudioEvent', rid: a.rid, mid: a.sid, muted: true, stamp: 1 },
      { type: 'muteVideoEvent', rid: a.rid, mid: a.sid, muted: false, stamp: 2 },
      { type: 'mediaInfoEvent', rid: a.rid, mid: a.sid, publisherId: a.sid, mediaId: 'VIDEO_s', mediaType: 'videoCamera', mediaState: 'active' },
    ];
    for (const msg of msgs) a.client.send(msg);
    for (const other of [b, c]) {
      for (const msg of msgs) expect(await other.client.nextOfType(msg.type)).toEqual(msg);
    }
    await barrier(b, a);
    expect(a.client.receivedMatching((m) => m.mid === a.sid && m.type !== 'inRoom')).toEqual([]);
  });

  it('relays a message as the JSON text it was sent in, extra fields and spacing included', async () => {
    const a = await join(room('raw'));
    const b = await join(room('raw'));
    const c = await join(room('raw'));
    const text = `{ "type" : "message", "rid": ${JSON.stringify(a.rid)}, "mid": ${JSON.stringify(a.sid)},\n "data": {"n": 1e0, "s": "\\u00e9"}, "x-extra": [1, 2] }`;
    a.client.send(text);
    const targeted = JSON.stringify({ target: b.sid, data: 'to b only', rid: a.rid, mid: a.sid, type: 'private' });
    a.client.send(targeted);
    for (const other of [b, c]) expect(await other.client.nextOfType('message')).toEqual({ ...JSON.parse(text) });
    expect(await b.client.nextOfType('private')).toEqual(JSON.parse(targeted));
    await barrier(c, b);
    expect(b.client.rawReceived.filter((r) => r === text || r === targeted)).toEqual([text, targeted]);
    expect(c.client.rawReceived.filter((r) => r === text || r === targeted)).toEqual([text]);
  });

  it('keeps the order of relays sent right after a message the server handles asynchronously', async () => {
    const a = await join(room('order'));
    const b = await join(room('order'));
    const c = await join(room('order'));
    // A persistent chat message waits for the store; the plain ones after it must not overtake it.
    const base = { type: 'message', rid: a.rid, mid: a.sid, secretId: 'k' };
    a.client.send({ ...base, data: 'stored 1', isPersistent: true });
    for (let i = 2; i <= 5; i++) a.client.send({ ...base, data: `plain ${i}` });
    a.client.send({ ...base, data: 'stored 6', isPersistent: true });
    a.client.send({ ...base, data: 'plain 7' });
    const expected = ['stored 1', 'plain 2', 'plain 3', 'plain 4', 'plain 5', 'stored 6', 'plain 7'];
    for (const other of [b, c]) {
      const got: unknown[] = [];
      for (let i = 0; i < expected.length; i++) got.push((await other.client.nextOfType('message')).data);
      expect(got).toEqual(expected);
    }
  });

  it('lock: broadcast, a locked room rejects joins with redirect locked, unlock admits again', async () => {
    const a = await join(room('lock'));
    const b = await join(room('lock'));
    a.client.send({ type: 'roomLockEvent', rid: a.rid, mid: a.sid, lock: true });
    expect(await b.client.nextOfType('roomLockEvent')).toMatchObject({ lock: true, mid: a.sid });

    const cAuth = await auth(srv.url, 'test-app', room('lock'));
    const c = await connect(srv.url);
    c.send(joinRoomMessage(cAuth));
    expect(await c.nextOfType('redirect')).toEqual({
      type: 'redirect',
      rid: cAuth.room_key,
      action: 'reject',
      reason: 'locked',
      info: expect.any(String),
    });

    b.client.send({ type: 'roomLockEvent', rid: b.rid, mid: b.sid, lock: false });
    expect(await a.client.nextOfType('roomLockEvent')).toMatchObject({ lock: false });
    const d = await join(room('lock'), { client: c });
    expect(d.rid).toBe(a.rid);
    c.close();
  });

  it('a disconnect sends bye to the others of every room of that socket', async () => {
    const a = await join(room('dc1'));
    const a2 = await join(room('dc2'), { client: a.client });
    const b = await join(room('dc1'));
    const c = await join(room('dc2'));
    a.client.close();
    expect(await b.client.nextOfType('bye')).toEqual({ type: 'bye', rid: a.rid, mid: a.sid });
    expect(await c.client.nextOfType('bye')).toEqual({ type: 'bye', rid: a2.rid, mid: a2.sid });
  });

  it('multi-room bye leaves only that room; the socket stays in the other', async () => {
    const a = await join(room('mr1'));
    const a2 = await join(room('mr2'), { client: a.client });
    const b = await join(room('mr1'));
    const c = await join(room('mr2'));
    a.client.send({ type: 'bye', rid: a.rid, mid: a.sid, target: b.sid });
    expect(await b.client.nextOfType('bye')).toEqual({ type: 'bye', rid: a.rid, mid: a.sid });
    // Still in mr2: messages flow both ways there.
    await barrier(a2, c);
    await barrier(c, a2);
    // No longer in mr1: its messages there are dropped.
    a.client.send({ type: 'message', rid: a.rid, mid: a.sid, data: 'ghost' });
    await barrier(a2, c);
    await selfBarrier(b);
    expect(b.client.receivedMatching((m) => m.data === 'ghost')).toEqual([]);
    expect(c.client.receivedMatching((m) => m.type === 'bye')).toEqual([]);
  });

  it('a second joinRoom for the same room replaces the membership (bye for the old id)', async () => {
    const a = await join(room('rejoin'));
    const b = await join(room('rejoin'));
    const again = await joinPeer(srv.url, room('rejoin'), { client: a.client });
    expect(again.sid).not.toBe(a.sid);
    expect(await b.client.nextOfType('bye')).toEqual({ type: 'bye', rid: a.rid, mid: a.sid });
  });
});

describe('signaling between a v2 and a v4 client', () => {
  it('relays in both directions', async () => {
    const srv = await startServer();
    try {
      const { connectV2 } = await import('./helpers/serverKit');
      const a = await enterPeer(srv.url, 'mixed', { connect: connectV2 });
      const b = await enterPeer(srv.url, 'mixed', { connect: connectV4 });
      expect(await a.client.nextOfType('enter')).toMatchObject({ mid: b.sid });
      await barrier(a, b);
      await barrier(b, a);
      a.client.close();
      b.client.close();
    } finally {
      await srv.close();
    }
  });
});
