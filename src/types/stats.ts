/**
 * Connection statistics (`getConnectionStatus`, GET_CONNECTION_STATUS_STATE_CHANGE `stats`), 2.x shape.
 * Non-"total" counters are deltas since the previous report for the same peer.
 *
 * Beyond 2.x (additive, the 2.x fields keep their meaning): `bitrate` per kind and direction, loss
 * fractions, the sender's loss as reported back by the remote peer, data channel traffic (`data`),
 * everything on the ICE transport (`total`) and the pair's bandwidth estimates.
 * @module
 */

/** Codec read from the SDP. */
export interface StatsCodec {
  name: string;
  payloadType: number;
  implementation?: string;
  channels?: number;
  clockRate?: number;
  params?: string;
}

/** Sent/received ICE candidate as stored by the SDK. */
export interface StatsCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

/** Candidates grouped by type. */
export interface StatsCandidatesByType {
  host: StatsCandidate[];
  srflx: StatsCandidate[];
  relay: StatsCandidate[];
}

/** Byte and packet counters (non-total = delta since the previous report). */
export interface RtpCounters {
  bytes: number;
  totalBytes: number;
  packets: number;
  totalPackets: number;
  /**
   * Beyond 2.x: bits per second (payload bytes) over the interval since the previous report for the
   * same peer. Absent on the first report (there is no interval yet).
   */
  bitrate?: number;
}

/** Inbound loss counters. */
export interface RtpLossCounters {
  packetsLost: number;
  totalPacketsLost: number;
  /**
   * Beyond 2.x: `packetsLost / (packetsLost + packets)` over the same interval as the deltas
   * (0 to 1; 0 when nothing was expected).
   */
  fractionLost: number;
}

/**
 * Beyond 2.x: loss of an outbound stream as reported back by the remote peer (RTCP receiver
 * reports); present once the remote has reported.
 */
export interface RemoteLossCounters {
  /** Delta since the previous report. */
  packetsLost?: number;
  totalPacketsLost?: number;
  /** The fraction (0 to 1) of the remote's last receiver report. */
  fractionLost?: number;
}

/** Beyond 2.x: data channel traffic of one direction, summed over the peer's data channels. */
export interface DataTrafficStats {
  bytes: number;
  totalBytes: number;
  messages: number;
  totalMessages: number;
  /** Bits per second since the previous report; absent on the first report. */
  bitrate?: number;
}

/**
 * Beyond 2.x: everything of one direction on the peer's ICE transport (RTP, RTCP, data channels,
 * DTLS, ICE checks).
 */
export interface TransportTrafficStats {
  bytes: number;
  totalBytes: number;
  packets: number;
  totalPackets: number;
  /** Bits per second since the previous report; absent on the first report. */
  bitrate?: number;
}

/** RTCP feedback counters of video streams. */
export interface VideoFeedbackCounters {
  firs?: number;
  totalFirs?: number;
  nacks?: number;
  totalNacks?: number;
  plis?: number;
  totalPlis?: number;
}

/** Outbound audio counters. */
export interface AudioSendStats extends RtpCounters, RemoteLossCounters {
  retransmittedBytesSent?: number;
  totalRetransmittedBytesSent?: number;
  retransmittedPacketsSent?: number;
  totalRetransmittedPacketsSent?: number;
  ssrc: number | null;
  jitter?: number;
  roundTripTime?: number;
  echoReturnLoss?: number;
  echoReturnLossEnhancement?: number;
  /** 5 decimal places, as a string (2.x). */
  audioLevel?: string;
  totalSamplesDuration?: number;
  codec: StatsCodec | null;
}

/** Inbound audio counters. */
export interface AudioReceiveStats extends RtpCounters, RtpLossCounters {
  jitter?: number;
  ssrc: number | null;
  audioLevel?: string;
  totalSamplesReceived?: number;
  totalSamplesDuration?: number;
  codec: StatsCodec | null;
}

/** Outbound video counters. */
export interface VideoSendStats extends RtpCounters, RemoteLossCounters, VideoFeedbackCounters {
  jitter?: number;
  roundTripTime?: number;
  framesEncoded?: number;
  ssrc: number | null;
  qpSum?: number;
  frameWidth?: number;
  frameHeight?: number;
  frames?: number;
  hugeFramesSent?: number;
  framesPerSecond?: number;
  codec: StatsCodec | null;
}

/** Inbound video counters. */
export interface VideoReceiveStats extends RtpCounters, RtpLossCounters, VideoFeedbackCounters {
  ssrc: number | null;
  qpSum?: number;
  decoderImplementation?: string;
  framesDropped?: number;
  frames?: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  codec: StatsCodec | null;
}

/** One end of the selected candidate pair. */
export interface StatsCandidateEndpoint {
  ipAddress: string;
  portNumber: number;
  transport: string;
  priority: number;
  networkType?: string;
  /** `'relayed' | 'local' | 'serverreflexive' | 'peerreflexive'` */
  candidateType: string;
}

/** The selected ICE candidate pair. */
export interface SelectedCandidatePairStats {
  id: string;
  writable?: boolean;
  priority?: number;
  nominated?: boolean;
  roundTripTime?: number;
  totalRoundTripTime?: number;
  /** Beyond 2.x: the sender's bandwidth estimate for this pair, bits per second. */
  availableOutgoingBitrate?: number;
  /** Beyond 2.x: the receiver's bandwidth estimate for this pair, bits per second. */
  availableIncomingBitrate?: number;
  local: StatsCandidateEndpoint;
  remote: StatsCandidateEndpoint;
  consentRequests?: { sent: number; totalSent: number };
  requests?: { received: number; sent: number; totalReceived: number; totalSent: number };
  responses?: { received: number; sent: number; totalReceived: number; totalSent: number };
}

/** DTLS certificate info. */
export interface CertificateStats {
  srtpCipher?: string;
  dtlsCipher?: string;
  tlsVersion?: string;
  local?: { base64Certificate: string; fingerprintAlgorithm: string };
  remote?: { base64Certificate: string; fingerprintAlgorithm: string };
}

/** Data channel as reported in stats. */
export interface StatsDataChannel {
  label: string;
  readyState: string;
  channelType: string;
  currentTransferId: string | null;
  currentStreamId: string | null;
}

/** `getConnectionStatus()` entry for one peer (2.x `statistics`). */
export interface ConnectionStatistics {
  peerId: string;
  /** Raw RTCStats keyed by stats id. */
  raw: Record<string, RTCStats>;
  connection: {
    iceConnectionState: RTCIceConnectionState;
    iceGatheringState: RTCIceGatheringState;
    signalingState: RTCSignalingState;
    /** `''` fields when absent. */
    localDescription: { type: RTCSdpType | ''; sdp: string };
    remoteDescription: { type: RTCSdpType | ''; sdp: string };
    constraints: unknown;
    sdpConstraints: unknown;
    candidates: { sending: StatsCandidatesByType; receiving: StatsCandidatesByType };
    peerDataChannels?: Record<string, StatsDataChannel>;
  };
  audio: { sending: AudioSendStats; receiving: AudioReceiveStats };
  video: { sending: VideoSendStats; receiving: VideoReceiveStats };
  /** Beyond 2.x: data channel traffic. */
  data: { sending: DataTrafficStats; receiving: DataTrafficStats };
  /** Beyond 2.x: all traffic with the peer (media, data and overhead) on its ICE transport. */
  total: { sending: TransportTrafficStats; receiving: TransportTrafficStats };
  selectedCandidatePair: SelectedCandidatePairStats | null;
  certificate: CertificateStats;
}
