import { agentVersionNumber, decodeUserData, encodeUserData, readRemotePeer, toRtcIceServers } from '../../../src/room/roomMessages';

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
});
