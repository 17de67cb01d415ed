import { candidateType, codecsOf, hasDataChannelSection, iceUfrag, mediaSections, parseCandidate } from '../../../src/peer/sdp';
import { parseConnectionStats } from '../../../src/peer/statsParser';
import type { PeerConnectionLike } from '../../../src/platform/SkylinkPlatform';

const SDP = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
  'a=mid:0',
  'a=ice-ufrag:abcd',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=rtpmap:96 VP8/90000',
  'a=candidate:2 1 udp 1686052607 1.2.3.4 40001 typ srflx raddr 0.0.0.0 rport 0',
  'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
  'a=mid:2',
  '',
].join('\r\n');

describe('sdp helpers', () => {
  it('reads sections, mids, ufrag and codecs', () => {
    expect(mediaSections(SDP).map((s) => [s.kind, s.mid, s.port])).toEqual([
      ['audio', '0', 9],
      ['video', '1', 9],
      ['application', '2', 0],
    ]);
    expect(iceUfrag(SDP)).toBe('abcd');
    expect(hasDataChannelSection(SDP)).toBe(false); // port 0: rejected
    expect(hasDataChannelSection(SDP.replace('m=application 0', 'm=application 9'))).toBe(true);
    expect(codecsOf(SDP, 'audio').get(111)).toEqual({ name: 'opus', payloadType: 111, clockRate: 48000, channels: 2, params: 'minptime=10;useinbandfec=1' });
    expect(codecsOf(SDP, 'video').get(96)?.name).toBe('VP8');
  });

  it('parses candidates and their types', () => {
    expect(parseCandidate('candidate:1 1 UDP 2122260223 127.0.0.1 40000 typ host generation 0')).toMatchObject({
      protocol: 'udp',
      address: '127.0.0.1',
      port: 40000,
      type: 'host',
    });
    expect(candidateType('a=candidate:3 1 udp 41885439 5.6.7.8 3478 typ relay raddr 1.2.3.4 rport 1')).toBe('relay');
    expect(candidateType('garbage')).toBeNull();
  });
});

describe('parseConnectionStats', () => {
  const pc = {
    iceConnectionState: 'connected',
    iceGatheringState: 'complete',
    signalingState: 'stable',
    localDescription: { type: 'offer', sdp: SDP },
    remoteDescription: { type: 'answer', sdp: SDP },
  } as unknown as PeerConnectionLike;

  const report = (bytesSent: number, packetsSent: number): RTCStatsReport =>
    new Map<string, Record<string, unknown>>([
      ['T', { id: 'T', type: 'transport', selectedCandidatePairId: 'CP', dtlsCipher: 'TLS_AES', srtpCipher: 'AES_CM', tlsVersion: 'FEFD', localCertificateId: 'C1' }],
      ['C1', { id: 'C1', type: 'certificate', base64Certificate: 'MII', fingerprintAlgorithm: 'sha-256' }],
      ['CP', { id: 'CP', type: 'candidate-pair', state: 'succeeded', nominated: true, localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: 0.012, totalRoundTripTime: 0.5, requestsSent: 10, responsesReceived: 9 }],
      ['L', { id: 'L', type: 'local-candidate', address: '127.0.0.1', port: 5000, protocol: 'udp', candidateType: 'host', priority: 1 }],
      ['R', { id: 'R', type: 'remote-candidate', address: '127.0.0.1', port: 6000, protocol: 'udp', candidateType: 'relay', priority: 2 }],
      ['OA', { id: 'OA', type: 'outbound-rtp', kind: 'audio', ssrc: 11, bytesSent, packetsSent, codecId: 'CO' }],
      ['CO', { id: 'CO', type: 'codec', mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
      ['RI', { id: 'RI', type: 'remote-inbound-rtp', kind: 'audio', localId: 'OA', jitter: 0.003, roundTripTime: 0.02 }],
      ['IV', { id: 'IV', type: 'inbound-rtp', kind: 'video', ssrc: 22, bytesReceived: 5000, packetsReceived: 50, packetsLost: 2, framesDecoded: 30, frameWidth: 640, frameHeight: 480 }],
    ]) as unknown as RTCStatsReport;

  it('maps RTP, the selected pair, RTT, jitter, ciphers; counters are deltas between reports', () => {
    const first = parseConnectionStats('p1', pc, report(1000, 10), null, []);
    const s1 = first.stats;
    expect(s1.peerId).toBe('p1');
    expect(s1.audio.sending).toMatchObject({ bytes: 1000, totalBytes: 1000, packets: 10, ssrc: 11, jitter: 0.003, roundTripTime: 0.02 });
    expect(s1.audio.sending.codec).toEqual({ name: 'opus', payloadType: 111, clockRate: 48000, channels: 2 });
    expect(s1.video.receiving).toMatchObject({ totalBytes: 5000, totalPacketsLost: 2, framesDecoded: 30, frameWidth: 640 });
    expect(s1.selectedCandidatePair).toMatchObject({
      id: 'CP',
      roundTripTime: 0.012,
      local: { ipAddress: '127.0.0.1', portNumber: 5000, candidateType: 'local' },
      remote: { candidateType: 'relayed' },
      requests: { totalSent: 10 },
    });
    expect(s1.certificate).toMatchObject({ dtlsCipher: 'TLS_AES', srtpCipher: 'AES_CM', local: { fingerprintAlgorithm: 'sha-256' } });
    expect(s1.connection.candidates.sending.host).toHaveLength(1);
    expect(s1.connection.candidates.sending.srflx).toHaveLength(1);
    const second = parseConnectionStats('p1', pc, report(1600, 16), first.snapshot, []).stats;
    expect(second.audio.sending).toMatchObject({ bytes: 600, totalBytes: 1600, packets: 6, totalPackets: 16 });
  });

  it('gives empty counters and a null pair when nothing is selected yet', () => {
    const { stats } = parseConnectionStats('p', pc, new Map() as unknown as RTCStatsReport, null, []);
    expect(stats.selectedCandidatePair).toBeNull();
    expect(stats.video.sending).toMatchObject({ bytes: 0, totalBytes: 0, ssrc: null, codec: null });
  });
});
