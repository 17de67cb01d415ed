/**
 * Media-only RTCPeerConnection fake: senders, transceivers (with mids), addTrack / removeTrack /
 * replaceTrack and send parameters. Enough for RoomMediaController; negotiation itself is the room's.
 */
import type { PeerConnectionLike } from '../../../src/platform/SkylinkPlatform';

export class FakeRtpSender {
  readonly replaced: Array<MediaStreamTrack | null> = [];
  parameters: RTCRtpSendParameters = { transactionId: 't', encodings: [{ active: true }] } as RTCRtpSendParameters;
  failReplace = false;

  constructor(public track: MediaStreamTrack | null) {}

  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    if (this.failReplace) throw new DOMException('replace failed', 'InvalidModificationError');
    this.replaced.push(track);
    this.track = track;
  }

  getParameters(): RTCRtpSendParameters {
    return JSON.parse(JSON.stringify(this.parameters)) as RTCRtpSendParameters;
  }

  async setParameters(p: RTCRtpSendParameters): Promise<void> {
    this.parameters = JSON.parse(JSON.stringify(p)) as RTCRtpSendParameters;
  }

  async getStats(): Promise<RTCStatsReport> {
    return new Map([['ms', { type: 'media-source', kind: 'audio', audioLevel: 0.5 }]]) as unknown as RTCStatsReport;
  }
}

export interface FakeTransceiver {
  mid: string | null;
  direction: RTCRtpTransceiverDirection;
  sender: FakeRtpSender;
  receiver: {
    track: { kind: string };
    getStats(): Promise<RTCStatsReport>;
    getSynchronizationSources(): Array<{ audioLevel: number; rtpTimestamp: number; timestamp: number }>;
  };
  /** Streams given to addTrack (the msid). */
  streams: MediaStream[];
}

/** A receiver of `kind` with no RTP (no stats, no audio levels). */
export function fakeReceiver(kind: string): FakeTransceiver['receiver'] {
  return { track: { kind }, getStats: async () => new Map() as unknown as RTCStatsReport, getSynchronizationSources: () => [] };
}

export class FakeMediaPeerConnection {
  readonly transceivers: FakeTransceiver[] = [];
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  /** Set by the test to decide the mid of the next transceivers (null = not negotiated yet). */
  assignMids = true;

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    const sender = new FakeRtpSender(track);
    this.transceivers.push({
      mid: this.assignMids ? String(this.transceivers.length) : null,
      direction: 'sendrecv',
      sender,
      receiver: fakeReceiver(track.kind),
      streams,
    });
    return sender as unknown as RTCRtpSender;
  }

  /** A transceiver without a track (not negotiated yet: no mid). */
  addTransceiver(kind: 'audio' | 'video', init?: RTCRtpTransceiverInit): RTCRtpTransceiver {
    const transceiver: FakeTransceiver = { mid: null, direction: init?.direction ?? 'sendrecv', sender: new FakeRtpSender(null), receiver: fakeReceiver(kind), streams: [] };
    this.transceivers.push(transceiver);
    return transceiver as unknown as RTCRtpTransceiver;
  }

  /** Gives every transceiver a mid, as a completed negotiation does. */
  negotiate(): void {
    this.transceivers.forEach((t, i) => {
      t.mid ??= String(i);
    });
  }

  removeTrack(sender: RTCRtpSender): void {
    (sender as unknown as FakeRtpSender).track = null;
  }

  getSenders(): RTCRtpSender[] {
    return this.transceivers.map((t) => t.sender as unknown as RTCRtpSender);
  }

  getTransceivers(): RTCRtpTransceiver[] {
    return this.transceivers as unknown as RTCRtpTransceiver[];
  }

  /** Tracks currently sent. */
  sentTracks(): MediaStreamTrack[] {
    return this.transceivers.map((t) => t.sender.track).filter((t): t is MediaStreamTrack => t !== null);
  }

  asPeerConnection(): PeerConnectionLike {
    return this as unknown as PeerConnectionLike;
  }
}
