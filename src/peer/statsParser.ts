/**
 * Turns an RTCStatsReport into the 2.x `statistics` shape of getConnectionStatus (spec D.8): RTP
 * counters per kind and direction (non-"total" counters are deltas since the previous report of the
 * same peer), the selected candidate pair with RTT, the DTLS/SRTP ciphers and certificates.
 * Beyond 2.x: bitrates over the interval between the two reports' timestamps, loss fractions, data
 * channel and whole-transport traffic.
 * Pure apart from reading the connection's current states and descriptions.
 * @internal
 */
import type { DataChannelLike, PeerConnectionLike } from '../platform/SkylinkPlatform';
import type {
  AudioReceiveStats,
  AudioSendStats,
  CertificateStats,
  ConnectionStatistics,
  DataTrafficStats,
  RemoteLossCounters,
  RtpCounters,
  RtpLossCounters,
  SelectedCandidatePairStats,
  StatsCandidateEndpoint,
  StatsCandidatesByType,
  StatsCodec,
  TransportTrafficStats,
  VideoReceiveStats,
  VideoSendStats,
} from '../types/stats';
import { candidateType, sdpLines } from './sdp';

type StatsRecord = Record<string, unknown>;
export type StatsSnapshot = Map<string, StatsRecord>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toSnapshot(report: RTCStatsReport): StatsSnapshot {
  const map: StatsSnapshot = new Map();
  report.forEach((value: unknown, key: string) => {
    if (value && typeof value === 'object') map.set(key, { ...(value as StatsRecord) });
  });
  return map;
}

function byType(snapshot: StatsSnapshot, type: string): StatsRecord[] {
  return [...snapshot.values()].filter((s) => s.type === type);
}

function kindOf(s: StatsRecord): string | undefined {
  return str(s.kind) ?? str(s.mediaType);
}

function codecOf(snapshot: StatsSnapshot, s: StatsRecord | undefined): StatsCodec | null {
  const codec = s && typeof s.codecId === 'string' ? snapshot.get(s.codecId) : undefined;
  if (!codec) return null;
  const out: StatsCodec = {
    name: (str(codec.mimeType) ?? '').replace(/^(audio|video)\//, ''),
    payloadType: num(codec.payloadType) ?? 0,
  };
  const clockRate = num(codec.clockRate);
  const channels = num(codec.channels);
  const params = str(codec.sdpFmtpLine);
  if (clockRate !== undefined) out.clockRate = clockRate;
  if (channels !== undefined) out.channels = channels;
  if (params) out.params = params;
  return out;
}

/** `total` now, `delta` since the previous report of the same stats object. */
function counter(current: StatsRecord | undefined, previous: StatsRecord | undefined, field: string): { total: number; delta: number } {
  const total = num(current?.[field]) ?? 0;
  const before = num(previous?.[field]);
  return { total, delta: before === undefined || before > total ? total : total - before };
}

/** Sum of `counter` over several stats objects (e.g. every data channel). */
function sumCounter(records: StatsRecord[], previous: StatsSnapshot | null, field: string): { total: number; delta: number } {
  let total = 0;
  let delta = 0;
  for (const r of records) {
    const c = counter(r, previous?.get(String(r.id)), field);
    total += c.total;
    delta += c.delta;
  }
  return { total, delta };
}

/** Milliseconds between the two reports (their latest stats timestamps); undefined without a previous report. */
function intervalOf(snapshot: StatsSnapshot, previous: StatsSnapshot | null): number | undefined {
  const latest = (map: StatsSnapshot) => Math.max(...[...map.values()].map((s) => num(s.timestamp) ?? -Infinity));
  if (!previous) return undefined;
  const ms = latest(snapshot) - latest(previous);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Bits per second for `bytes` over `intervalMs`. */
function bitrateOf(bytes: number, intervalMs: number | undefined): number | undefined {
  return intervalMs === undefined ? undefined : Math.round((bytes * 8 * 1000) / intervalMs);
}

/** `part / whole` clamped to 0..1, 0 when `whole` is not positive. */
function fraction(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0;
}

function rtp(current: StatsRecord | undefined, previous: StatsRecord | undefined, bytesField: string, packetsField: string, intervalMs: number | undefined) {
  const bytes = counter(current, previous, bytesField);
  const packets = counter(current, previous, packetsField);
  return pick(
    { bytes: bytes.delta, totalBytes: bytes.total, packets: packets.delta, totalPackets: packets.total } as RtpCounters,
    { bitrate: bitrateOf(bytes.delta, intervalMs) },
  );
}

/** Inbound loss: the 2.x counters plus the fraction lost over the same interval. */
function inboundLoss(current: StatsRecord | undefined, previous: StatsRecord | undefined, packetsDelta: number): RtpLossCounters {
  const lost = counter(current, previous, 'packetsLost');
  return { packetsLost: lost.delta, totalPacketsLost: lost.total, fractionLost: fraction(lost.delta, lost.delta + packetsDelta) };
}

/** Outbound loss as the remote peer reported it (remote-inbound-rtp). */
function remoteLoss(remote: StatsRecord | undefined, previous: StatsSnapshot | null): RemoteLossCounters {
  if (!remote || num(remote.packetsLost) === undefined) return {};
  const lost = counter(remote, previous?.get(String(remote.id)), 'packetsLost');
  return pick({ packetsLost: lost.delta, totalPacketsLost: lost.total } as RemoteLossCounters, { fractionLost: num(remote.fractionLost) });
}

/** Data channel traffic of one direction, summed over the data-channel stats. */
function dataTraffic(snapshot: StatsSnapshot, previous: StatsSnapshot | null, direction: 'Sent' | 'Received', intervalMs: number | undefined): DataTrafficStats {
  const channels = byType(snapshot, 'data-channel');
  const bytes = sumCounter(channels, previous, `bytes${direction}`);
  const messages = sumCounter(channels, previous, `messages${direction}`);
  return pick(
    { bytes: bytes.delta, totalBytes: bytes.total, messages: messages.delta, totalMessages: messages.total } as DataTrafficStats,
    { bitrate: bitrateOf(bytes.delta, intervalMs) },
  );
}

/** Traffic of one direction on the ICE transport(s); without transport counters, on the selected pair. */
function transportTraffic(
  snapshot: StatsSnapshot,
  previous: StatsSnapshot | null,
  pairId: string | undefined,
  direction: 'Sent' | 'Received',
  intervalMs: number | undefined,
): TransportTrafficStats {
  let sources = byType(snapshot, 'transport').filter((t) => num(t[`bytes${direction}`]) !== undefined);
  const pair = pairId === undefined ? undefined : snapshot.get(pairId);
  if (sources.length === 0 && pair) sources = [pair];
  const bytes = sumCounter(sources, previous, `bytes${direction}`);
  const packets = sumCounter(sources, previous, `packets${direction}`);
  return pick(
    { bytes: bytes.delta, totalBytes: bytes.total, packets: packets.delta, totalPackets: packets.total } as TransportTrafficStats,
    { bitrate: bitrateOf(bytes.delta, intervalMs) },
  );
}

function feedback(current: StatsRecord | undefined, previous: StatsRecord | undefined) {
  const firs = counter(current, previous, 'firCount');
  const nacks = counter(current, previous, 'nackCount');
  const plis = counter(current, previous, 'pliCount');
  return { firs: firs.delta, totalFirs: firs.total, nacks: nacks.delta, totalNacks: nacks.total, plis: plis.delta, totalPlis: plis.total };
}

function remoteInboundFor(snapshot: StatsSnapshot, outbound: StatsRecord | undefined): StatsRecord | undefined {
  if (!outbound) return undefined;
  return byType(snapshot, 'remote-inbound-rtp').find((r) => r.localId === outbound.id || r.ssrc === outbound.ssrc);
}

function pick<T extends object>(target: T, values: Record<string, number | string | undefined>): T {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

function candidateTypeName(type: unknown): string {
  switch (type) {
    case 'host':
      return 'local';
    case 'srflx':
      return 'serverreflexive';
    case 'prflx':
      return 'peerreflexive';
    case 'relay':
      return 'relayed';
    default:
      return String(type ?? '');
  }
}

function endpoint(s: StatsRecord | undefined): StatsCandidateEndpoint {
  const out: StatsCandidateEndpoint = {
    ipAddress: str(s?.address) ?? str(s?.ip) ?? '',
    portNumber: num(s?.port) ?? 0,
    transport: str(s?.protocol) ?? '',
    priority: num(s?.priority) ?? 0,
    candidateType: candidateTypeName(s?.candidateType),
  };
  const networkType = str(s?.networkType);
  if (networkType) out.networkType = networkType;
  return out;
}

function selectedPair(snapshot: StatsSnapshot, previous: StatsSnapshot | null): SelectedCandidatePairStats | null {
  const transport = byType(snapshot, 'transport')[0];
  const pairs = byType(snapshot, 'candidate-pair');
  const pair =
    (transport && typeof transport.selectedCandidatePairId === 'string' ? snapshot.get(transport.selectedCandidatePairId) : undefined) ??
    pairs.find((p) => p.selected === true) ??
    pairs.find((p) => p.nominated === true && p.state === 'succeeded');
  if (!pair) return null;
  const prev = previous?.get(String(pair.id));
  const requestsSent = counter(pair, prev, 'requestsSent');
  const requestsReceived = counter(pair, prev, 'requestsReceived');
  const responsesSent = counter(pair, prev, 'responsesSent');
  const responsesReceived = counter(pair, prev, 'responsesReceived');
  const consent = counter(pair, prev, 'consentRequestsSent');
  const out: SelectedCandidatePairStats = {
    id: String(pair.id),
    local: endpoint(typeof pair.localCandidateId === 'string' ? snapshot.get(pair.localCandidateId) : undefined),
    remote: endpoint(typeof pair.remoteCandidateId === 'string' ? snapshot.get(pair.remoteCandidateId) : undefined),
    consentRequests: { sent: consent.delta, totalSent: consent.total },
    requests: { received: requestsReceived.delta, sent: requestsSent.delta, totalReceived: requestsReceived.total, totalSent: requestsSent.total },
    responses: { received: responsesReceived.delta, sent: responsesSent.delta, totalReceived: responsesReceived.total, totalSent: responsesSent.total },
  };
  if (typeof pair.writable === 'boolean') out.writable = pair.writable;
  if (typeof pair.nominated === 'boolean') out.nominated = pair.nominated;
  return pick(out, {
    priority: num(pair.priority),
    roundTripTime: num(pair.currentRoundTripTime),
    totalRoundTripTime: num(pair.totalRoundTripTime),
    availableOutgoingBitrate: num(pair.availableOutgoingBitrate),
    availableIncomingBitrate: num(pair.availableIncomingBitrate),
  });
}

function certificates(snapshot: StatsSnapshot): CertificateStats {
  const transport = byType(snapshot, 'transport')[0];
  const out: CertificateStats = {};
  pick(out, { srtpCipher: str(transport?.srtpCipher), dtlsCipher: str(transport?.dtlsCipher), tlsVersion: str(transport?.tlsVersion) });
  const cert = (id: unknown) => {
    const c = typeof id === 'string' ? snapshot.get(id) : undefined;
    return c ? { base64Certificate: str(c.base64Certificate) ?? '', fingerprintAlgorithm: str(c.fingerprintAlgorithm) ?? '' } : undefined;
  };
  const local = cert(transport?.localCertificateId);
  const remote = cert(transport?.remoteCertificateId);
  if (local) out.local = local;
  if (remote) out.remote = remote;
  return out;
}

function candidatesOf(sdp: string): StatsCandidatesByType {
  const out: StatsCandidatesByType = { host: [], srflx: [], relay: [] };
  let mid: string | null = null;
  let index = -1;
  for (const line of sdpLines(sdp)) {
    if (line.startsWith('m=')) {
      index += 1;
      mid = null;
    } else if (line.startsWith('a=mid:')) {
      mid = line.slice(6);
    } else if (line.startsWith('a=candidate:')) {
      const candidate = line.slice(2);
      const type = candidateType(candidate);
      const bucket = type === 'prflx' ? 'srflx' : type;
      if (bucket) out[bucket].push({ candidate, sdpMid: mid, sdpMLineIndex: index < 0 ? null : index });
    }
  }
  return out;
}

export function parseConnectionStats(
  peerId: string,
  pc: PeerConnectionLike,
  report: RTCStatsReport,
  previous: StatsSnapshot | null,
  channels: readonly DataChannelLike[],
): { stats: ConnectionStatistics; snapshot: StatsSnapshot } {
  const snapshot = toSnapshot(report);
  const interval = intervalOf(snapshot, previous);
  const prev = (s: StatsRecord | undefined) => (s && previous ? previous.get(String(s.id)) : undefined);
  const outbound = (kind: string) => byType(snapshot, 'outbound-rtp').find((s) => kindOf(s) === kind);
  const inbound = (kind: string) => byType(snapshot, 'inbound-rtp').find((s) => kindOf(s) === kind);
  const mediaSource = (s: StatsRecord | undefined) => (s && typeof s.mediaSourceId === 'string' ? snapshot.get(s.mediaSourceId) : undefined);

  const aOut = outbound('audio');
  const aIn = inbound('audio');
  const vOut = outbound('video');
  const vIn = inbound('video');
  const aRemote = remoteInboundFor(snapshot, aOut);
  const vRemote = remoteInboundFor(snapshot, vOut);

  const retransBytes = counter(aOut, prev(aOut), 'retransmittedBytesSent');
  const retransPackets = counter(aOut, prev(aOut), 'retransmittedPacketsSent');
  const audioSending: AudioSendStats = pick(
    { ...rtp(aOut, prev(aOut), 'bytesSent', 'packetsSent', interval), ...remoteLoss(aRemote, previous), ssrc: num(aOut?.ssrc) ?? null, codec: codecOf(snapshot, aOut) },
    {
      retransmittedBytesSent: aOut ? retransBytes.delta : undefined,
      totalRetransmittedBytesSent: aOut ? retransBytes.total : undefined,
      retransmittedPacketsSent: aOut ? retransPackets.delta : undefined,
      totalRetransmittedPacketsSent: aOut ? retransPackets.total : undefined,
      jitter: num(aRemote?.jitter),
      roundTripTime: num(aRemote?.roundTripTime),
      echoReturnLoss: num(mediaSource(aOut)?.echoReturnLoss),
      echoReturnLossEnhancement: num(mediaSource(aOut)?.echoReturnLossEnhancement),
      audioLevel: num(mediaSource(aOut)?.audioLevel)?.toFixed(5),
      totalSamplesDuration: num(mediaSource(aOut)?.totalSamplesDuration),
    },
  );
  const aRtp = rtp(aIn, prev(aIn), 'bytesReceived', 'packetsReceived', interval);
  const audioReceiving: AudioReceiveStats = pick(
    { ...aRtp, ...inboundLoss(aIn, prev(aIn), aRtp.packets), ssrc: num(aIn?.ssrc) ?? null, codec: codecOf(snapshot, aIn) },
    {
      jitter: num(aIn?.jitter),
      audioLevel: num(aIn?.audioLevel)?.toFixed(5),
      totalSamplesReceived: num(aIn?.totalSamplesReceived),
      totalSamplesDuration: num(aIn?.totalSamplesDuration),
    },
  );
  const videoSending: VideoSendStats = pick(
    {
      ...rtp(vOut, prev(vOut), 'bytesSent', 'packetsSent', interval),
      ...remoteLoss(vRemote, previous),
      ...feedback(vOut, prev(vOut)),
      ssrc: num(vOut?.ssrc) ?? null,
      codec: codecOf(snapshot, vOut),
    },
    {
      jitter: num(vRemote?.jitter),
      roundTripTime: num(vRemote?.roundTripTime),
      framesEncoded: num(vOut?.framesEncoded),
      qpSum: num(vOut?.qpSum),
      frameWidth: num(vOut?.frameWidth),
      frameHeight: num(vOut?.frameHeight),
      frames: num(vOut?.framesSent),
      hugeFramesSent: num(vOut?.hugeFramesSent),
      framesPerSecond: num(vOut?.framesPerSecond),
    },
  );
  const vRtp = rtp(vIn, prev(vIn), 'bytesReceived', 'packetsReceived', interval);
  const videoReceiving: VideoReceiveStats = pick(
    { ...vRtp, ...feedback(vIn, prev(vIn)), ...inboundLoss(vIn, prev(vIn), vRtp.packets), ssrc: num(vIn?.ssrc) ?? null, codec: codecOf(snapshot, vIn) },
    {
      qpSum: num(vIn?.qpSum),
      decoderImplementation: str(vIn?.decoderImplementation),
      framesDropped: num(vIn?.framesDropped),
      frames: num(vIn?.framesReceived),
      framesDecoded: num(vIn?.framesDecoded),
      frameWidth: num(vIn?.frameWidth),
      frameHeight: num(vIn?.frameHeight),
    },
  );

  const raw: Record<string, RTCStats> = {};
  for (const [id, s] of snapshot) raw[id] = s as unknown as RTCStats;
  const peerDataChannels: NonNullable<ConnectionStatistics['connection']['peerDataChannels']> = {};
  channels.forEach((channel, i) => {
    peerDataChannels[channel.label] = {
      label: channel.label,
      readyState: channel.readyState,
      channelType: i === 0 ? 'messaging' : 'data',
      currentTransferId: null,
      currentStreamId: null,
    };
  });
  const local = pc.localDescription;
  const remote = pc.remoteDescription;
  const pair = selectedPair(snapshot, previous);
  const stats: ConnectionStatistics = {
    peerId,
    raw,
    connection: {
      iceConnectionState: pc.iceConnectionState,
      iceGatheringState: pc.iceGatheringState,
      signalingState: pc.signalingState,
      localDescription: { type: local?.type ?? '', sdp: local?.sdp ?? '' },
      remoteDescription: { type: remote?.type ?? '', sdp: remote?.sdp ?? '' },
      constraints: null,
      sdpConstraints: null,
      candidates: { sending: candidatesOf(local?.sdp ?? ''), receiving: candidatesOf(remote?.sdp ?? '') },
      peerDataChannels,
    },
    audio: { sending: audioSending, receiving: audioReceiving },
    video: { sending: videoSending, receiving: videoReceiving },
    data: { sending: dataTraffic(snapshot, previous, 'Sent', interval), receiving: dataTraffic(snapshot, previous, 'Received', interval) },
    total: {
      sending: transportTraffic(snapshot, previous, pair?.id, 'Sent', interval),
      receiving: transportTraffic(snapshot, previous, pair?.id, 'Received', interval),
    },
    selectedCandidatePair: pair,
    certificate: certificates(snapshot),
  };
  return { stats, snapshot };
}
