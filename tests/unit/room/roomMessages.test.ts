import { agentVersionNumber, clonePeerData, decodeUserData, encodeUserData, readRemotePeer, toRtcIceServers } from '../../../src/room/roomMessages';

const base = { enableSTUNServer: true, enableTURNServer: true, forceTURN: false, forceTURNSSL: false, TURNServerTransport: 'any' as const, iceServer: null };

describe('roomMessages', () => {
  it('parses agent versions as 2.x', () => {
    expect(agentVersionNumber('0.9.6.1')).toBeCloseTo(0.90601, 6);
    expect(agentVersionNumber('2.7')).toBe(2.7);
    expect(agentVersionNumber('156')).toBe(156);
    expect(agentVersionNumber(120)).toBe(120);
    expect(agentVersionNumber(undefined)).toBe(0);
  });

  it('decodes and encodes user data', () => {
    expect(decodeUserData('{&quot;a&quot;:1}')).toEqual({ a: 1 });
    expect(decodeUserData('plain')).toBe('plain');
    expect(decodeUserData(undefined)).toBeNull();
    expect(encodeUserData({ a: 1 })).toBe('{"a":1}');
    expect(encodeUserData('x')).toBe('x');
    expect(encodeUserData(null)).toBe('');
  });

  it('reads a remote peer with 2.x defaults', () => {
    const peer = readRemotePeer('p', { weight: 5, agent: 'chrome', version: '120', os: 'Linux' });
    expect(peer.config).toEqual({ enableDataChannel: true, enableIceRestart: false, priorityWeight: 5 });
    expect(peer.agent).toMatchObject({ name: 'chrome', version: 120, os: 'Linux', DTProtocolVersion: '0.1.0' });
    const full = readRemotePeer('q', {
      enableIceRestart: true,
      userInfo: {
        userData: '{"n":1}',
        settings: { data: false, audio: { s1: { stereo: false } } },
        mediaStatus: { s1: { audioMuted: 0, videoMuted: -1 } },
        agent: { name: 'firefox', version: 115, SDKVersion: '2.7.2' },
        config: { enableDataChannel: false, priorityWeight: 9 },
      },
    });
    expect(full.userData).toEqual({ n: 1 });
    expect(full.settings.data).toBe(false);
    expect(full.mediaStatus).toEqual({ s1: { audioMuted: 0, videoMuted: -1 } });
    expect(full.config).toEqual({ enableDataChannel: false, enableIceRestart: true, priorityWeight: 9 });
    expect(full.agent.SDKVersion).toBe('2.7.2');
  });

  it('builds ICE servers from inRoom entries (url/urls, user@host) and the init options', () => {
    const entries = [
      { url: 'turn:alice@turn.example:3478?transport=udp', credential: 'pw' },
      { url: 'stun:stun.example:3478', urls: 'stun:stun.example:3478' },
    ];
    expect(toRtcIceServers(entries, base)).toEqual([
      { urls: ['turn:turn.example:3478?transport=udp'], username: 'alice', credential: 'pw' },
      { urls: ['stun:stun.example:3478'] },
    ]);
    expect(toRtcIceServers(entries, { ...base, enableTURNServer: false })).toEqual([{ urls: ['stun:stun.example:3478'] }]);
    expect(toRtcIceServers(entries, { ...base, forceTURN: true })).toEqual([
      { urls: ['turn:turn.example:3478?transport=udp'], username: 'alice', credential: 'pw' },
    ]);
    expect(toRtcIceServers(entries, { ...base, forceTURNSSL: true, TURNServerTransport: 'tcp' })[0]?.urls).toEqual([
      'turns:turn.example:3478?transport=tcp',
    ]);
    expect(toRtcIceServers(entries, { ...base, iceServer: { urls: ['turn:mine.example'] } })).toEqual([
      { urls: ['turn:mine.example'], username: 'alice', credential: 'pw' },
    ]);
    expect(toRtcIceServers([], base)).toEqual([]);
  });

  describe('clonePeerData', () => {
    it('returns primitives as they are', () => {
      for (const value of [null, undefined, 0, 'text', true]) expect(clonePeerData(value)).toBe(value);
    });

    it('deep-copies plain objects and arrays: equal, sharing nothing', () => {
      const value = { audio: { stereo: true, ids: ['a', 'b'] }, video: false, maxBandwidth: {}, list: [[1], { x: null }], u: undefined };
      const copy = clonePeerData(value);
      expect(copy).toStrictEqual(value);
      expect(copy).not.toBe(value);
      expect(copy.audio).not.toBe(value.audio);
      expect(copy.audio.ids).not.toBe(value.audio.ids);
      expect(copy.list[0]).not.toBe(value.list[0]);
      copy.audio.ids.push('c');
      expect(value.audio.ids).toEqual(['a', 'b']);
    });

    it('keeps array holes and copies null-prototype objects', () => {
      const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
      const copy = clonePeerData(sparse);
      expect(copy).toHaveLength(3);
      expect(1 in copy).toBe(false);
      const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: { b: 1 } });
      expect(clonePeerData(bare)).toEqual({ a: { b: 1 } });
      expect(clonePeerData(bare).a).not.toBe(bare.a);
    });

    it('hands other values to structuredClone, and keeps what it cannot copy by reference', () => {
      const withFunction = { fn: () => 1, nested: { a: 1 } };
      expect(clonePeerData(withFunction)).toBe(withFunction);
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      const copy = clonePeerData(cyclic);
      if (typeof structuredClone === 'function') {
        expect(copy).not.toBe(cyclic);
        expect(copy.self).toBe(copy);
        const date = new Date(5);
        expect(clonePeerData({ when: date }).when).toEqual(date);
        expect(clonePeerData({ when: date }).when).not.toBe(date);
      } else {
        expect(copy).toBe(cyclic);
      }
    });
  });
});
