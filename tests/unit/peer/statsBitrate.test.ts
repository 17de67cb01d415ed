/**
 * getConnectionStatus beyond 2.x: bitrates, loss fractions, data channel and transport traffic,
 * computed from two consecutive literal RTCStats reports (Chrome's shapes), with the 2.x shape intact.
 */
import { parseConnectionStats } from '../../../src/peer/statsParser';
import type { PeerConnectionLike } from '../../../src/platform/SkylinkPlatform';
import type { ConnectionStatistics } from '../../../src/types/stats';

const pc = {
  iceConnectionState: 'connected',
  iceGatheringState: 'complete',
  signalingState: 'stable',
  localDescription: null,
  remoteDescription: null,
} as unknown as PeerConnectionLike;

type Stat = Record<string, unknown>;

function report(timestamp: number, stats: Stat[]): RTCStatsReport {
  return new Map(stats.map((s) => [String(s.id), { timestamp, ...s }])) as unknown as RTCStatsReport;
}

interface Counters {
  audioOut: number;
  audioOutPackets: number;
  remoteLost: number;
  videoIn: number;
  videoInPackets: number;
  videoLost: number;
  dc1Sent: number;
  dc2Sent: number;
  dcReceived: number;
  transportSent: number;
  transportReceived: number;
}

/** A Chrome-like report of a call with audio out, video in and two data channels. */
function callReport(timestamp: number, c: Counters): RTCStatsReport {
  return report(timestamp, [
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1', bytesSent: c.transportSent, bytesReceived: c.transportReceived, packetsSent: c.transportSent / 1000, packetsReceived: c.transportReceived / 1000 },
    { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, localCandidateId: 'IL', remoteCandidateId: 'IR', currentRoundTripTime: 0.004, availableOutgoingBitrate: 2_500_000, bytesSent: 1, bytesReceived: 1 },
    { id: 'IL', type: 'local-candidate', address: '127.0.0.1', port: 50000, protocol: 'udp', candidateType: 'host', priority: 1 },
    { id: 'IR', type: 'remote-candidate', address: '127.0.0.1', port: 50001, protocol: 'udp', candidateType: 'host', priority: 1 },
    { id: 'OT01A1', type: 'outbound-rtp', kind: 'audio', ssrc: 1, bytesSent: c.audioOut, packetsSent: c.audioOutPackets },
    { id: 'RI01A1', type: 'remote-inbound-rtp', kind: 'audio', ssrc: 1, localId: 'OT01A1', packetsLost: c.remoteLost, fractionLost: 0.0117, roundTripTime: 0.01, jitter: 0.002 },
    { id: 'IT01V2', type: 'inbound-rtp', kind: 'video', ssrc: 2, bytesReceived: c.videoIn, packetsReceived: c.videoInPackets, packetsLost: c.videoLost, framesDecoded: 10 },
    { id: 'D1', type: 'data-channel', label: 'main', state: 'open', bytesSent: c.dc1Sent, messagesSent: c.dc1Sent / 100, bytesReceived: c.dcReceived, messagesReceived: c.dcReceived / 100 },
    { id: 'D2', type: 'data-channel', label: 'transfer', state: 'open', bytesSent: c.dc2Sent, messagesSent: c.dc2Sent / 100, bytesReceived: 0, messagesReceived: 0 },
  ]);
}

const FIRST: Counters = {
  audioOut: 10_000,
  audioOutPackets: 100,
  remoteLost: 1,
  videoIn: 100_000,
  videoInPackets: 100,
  videoLost: 2,
  dc1Sent: 100,
  dc2Sent: 0,
  dcReceived: 200,
  transportSent: 50_000,
  transportReceived: 150_000,
};
const SECOND: Counters = {
  audioOut: 30_000,
  audioOutPackets: 200,
  remoteLost: 4,
  videoIn: 350_000,
  videoInPackets: 300,
  videoLost: 7,
  dc1Sent: 600,
  dc2Sent: 1_000,
  dcReceived: 1_200,
  transportSent: 300_000,
  transportReceived: 650_000,
};

function twoReports(): { first: ConnectionStatistics; second: ConnectionStatistics } {
  const one = parseConnectionStats('p', pc, callReport(1_000, FIRST), null, []);
  // Two seconds later.
  const two = parseConnectionStats('p', pc, callReport(3_000, SECOND), one.snapshot, []);
  return { first: one.stats, second: two.stats };
}

describe('parseConnectionStats: bitrate and loss (beyond 2.x)', () => {
  it('has no bitrate on the first report (no interval yet) but counts totals and cumulative loss', () => {
    const { first } = twoReports();
    for (const part of [first.audio.sending, first.audio.receiving, first.video.sending, first.video.receiving, first.data.sending, first.total.sending]) {
      expect(part).not.toHaveProperty('bitrate');
    }
    expect(first.video.receiving).toMatchObject({ totalBytes: 100_000, packetsLost: 2, totalPacketsLost: 2, fractionLost: 2 / 102 });
    expect(first.data.sending).toEqual({ bytes: 100, totalBytes: 100, messages: 1, totalMessages: 1 });
    expect(first.total.receiving).toEqual({ bytes: 150_000, totalBytes: 150_000, packets: 150, totalPackets: 150 });
  });

  it('gives bits per second per kind and direction over the interval between two reports', () => {
    const { second } = twoReports();
    // 20 000 bytes in 2 s.
    expect(second.audio.sending).toMatchObject({ bytes: 20_000, totalBytes: 30_000, packets: 100, bitrate: 80_000 });
    // 250 000 bytes in 2 s.
    expect(second.video.receiving).toMatchObject({ bytes: 250_000, totalBytes: 350_000, packets: 200, bitrate: 1_000_000 });
    // Nothing sent or received: a measured zero, not an absent value.
    expect(second.video.sending).toMatchObject({ bytes: 0, bitrate: 0 });
    expect(second.audio.receiving).toMatchObject({ bytes: 0, bitrate: 0, fractionLost: 0 });
  });

  it('sums the data channels and reports the whole transport', () => {
    const { second } = twoReports();
    // (500 + 1000) bytes in 2 s over two channels.
    expect(second.data.sending).toEqual({ bytes: 1_500, totalBytes: 1_600, messages: 15, totalMessages: 16, bitrate: 6_000 });
    expect(second.data.receiving).toEqual({ bytes: 1_000, totalBytes: 1_200, messages: 10, totalMessages: 12, bitrate: 4_000 });
    expect(second.total.sending).toEqual({ bytes: 250_000, totalBytes: 300_000, packets: 250, totalPackets: 300, bitrate: 1_000_000 });
    expect(second.total.receiving).toEqual({ bytes: 500_000, totalBytes: 650_000, packets: 500, totalPackets: 650, bitrate: 2_000_000 });
    expect(second.selectedCandidatePair).toMatchObject({ id: 'CP1', roundTripTime: 0.004, availableOutgoingBitrate: 2_500_000 });
  });

  it('gives the loss fraction of the interval, and the sender loss the remote reported', () => {
    const { second } = twoReports();
    // 5 lost while 200 arrived.
    expect(second.video.receiving).toMatchObject({ packetsLost: 5, totalPacketsLost: 7, fractionLost: 5 / 205 });
    expect(second.audio.sending).toMatchObject({ packetsLost: 3, totalPacketsLost: 4, fractionLost: 0.0117, roundTripTime: 0.01, jitter: 0.002 });
    // No receiver report for video: no sender loss fields.
    expect(second.video.sending).not.toHaveProperty('packetsLost');
    expect(second.video.sending).not.toHaveProperty('fractionLost');
  });

  it('falls back to the selected candidate pair when the transport has no counters', () => {
    const at = (t: number, sent: number, received: number) =>
      report(t, [
        { id: 'T', type: 'transport', selectedCandidatePairId: 'CP' },
        { id: 'CP', type: 'candidate-pair', state: 'succeeded', nominated: true, bytesSent: sent, bytesReceived: received, packetsSent: sent / 100, packetsReceived: received / 100 },
      ]);
    const first = parseConnectionStats('p', pc, at(500, 1_000, 2_000), null, []);
    const { stats } = parseConnectionStats('p', pc, at(1_000, 3_000, 2_500), first.snapshot, []);
    // 2000 bytes and 500 bytes in 0.5 s.
    expect(stats.total.sending).toEqual({ bytes: 2_000, totalBytes: 3_000, packets: 20, totalPackets: 30, bitrate: 32_000 });
    expect(stats.total.receiving).toMatchObject({ bytes: 500, bitrate: 8_000 });
  });

  it('treats counters that went down (a new connection) as a restart from zero', () => {
    const first = parseConnectionStats('p', pc, callReport(1_000, SECOND), null, []);
    const { stats } = parseConnectionStats('p', pc, callReport(2_000, FIRST), first.snapshot, []);
    expect(stats.audio.sending).toMatchObject({ bytes: 10_000, totalBytes: 10_000, bitrate: 80_000 });
    expect(stats.data.sending).toMatchObject({ bytes: 100, bitrate: 800 });
  });

  it('gives no bitrate when the reports carry no usable timestamps', () => {
    const bare = (bytesSent: number) =>
      new Map([['O', { id: 'O', type: 'outbound-rtp', kind: 'video', bytesSent, packetsSent: 1 }]]) as unknown as RTCStatsReport;
    const first = parseConnectionStats('p', pc, bare(100), null, []);
    const { stats } = parseConnectionStats('p', pc, bare(500), first.snapshot, []);
    expect(stats.video.sending).toMatchObject({ bytes: 400, totalBytes: 500 });
    expect(stats.video.sending).not.toHaveProperty('bitrate');
    // The same timestamp twice is no interval either.
    const again = parseConnectionStats('p', pc, callReport(1_000, SECOND), parseConnectionStats('p', pc, callReport(1_000, FIRST), null, []).snapshot, []);
    expect(again.stats.total.sending).not.toHaveProperty('bitrate');
  });

  it('keeps every 2.x field of spec D.8 (the additions are extra keys)', () => {
    const { second } = twoReports();
    expect(Object.keys(second).sort()).toEqual(
      ['audio', 'certificate', 'connection', 'data', 'peerId', 'raw', 'selectedCandidatePair', 'total', 'video'].sort(),
    );
    expect(second.audio.receiving).toEqual(
      expect.objectContaining({ bytes: 0, totalBytes: 0, packets: 0, totalPackets: 0, packetsLost: 0, totalPacketsLost: 0, ssrc: null, codec: null }),
    );
    expect(second.video.receiving).toEqual(
      expect.objectContaining({ firs: 0, totalFirs: 0, nacks: 0, totalNacks: 0, plis: 0, totalPlis: 0, ssrc: 2, framesDecoded: 10, codec: null }),
    );
    expect(second.audio.sending).toEqual(expect.objectContaining({ retransmittedBytesSent: 0, totalRetransmittedBytesSent: 0, ssrc: 1, codec: null }));
    expect(second.raw.D1).toMatchObject({ type: 'data-channel', bytesSent: 600 });
    // JSON-safe, as events are cloned by apps.
    expect(JSON.parse(JSON.stringify(second)).total.sending.bitrate).toBe(1_000_000);
  });
});
