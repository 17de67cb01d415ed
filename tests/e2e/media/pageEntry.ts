/**
 * Browser-side harness for the media e2e tests, bundled with esbuild and injected into a blank page.
 * It runs the real media service (MediaStreamManager + RoomMediaController + AudioActivityMonitor) on
 * real getUserMedia / getDisplayMedia / RTCPeerConnection, with a minimal in-page "room": every
 * simulated client (`Endpoint`) has its own manager; `connect()` pairs two endpoints in a room with one
 * RTCPeerConnection each, exchanging offers/answers (with mediaInfoList) and ICE directly, and
 * delivering mediaInfoEvents to the other side's controller. Events are recorded per endpoint.
 */
import { AudioActivityMonitor } from '../../../src/media/AudioActivityMonitor';
import { MediaStreamManager } from '../../../src/media/MediaStreamManager';
import { RoomMediaController, routeAudioActivity, routeMediaCallbacks } from '../../../src/media/RoomMediaController';
import type { MediaRoomPort } from '../../../src/media/RoomMediaController';
import type { PeerConnectionLike } from '../../../src/platform/SkylinkPlatform';
import type { ClientToServerMessage, ServerToClientMessage } from '../../../src/signaling/protocol';
import type { BandwidthOptions } from '../../../src/types/options';
import type { PeerInfo, RoomInfo, StreamMediaStatus } from '../../../src/types/peer';

interface Recorded {
  room: string;
  name: string;
  detail: Record<string, unknown>;
}

interface Link {
  peerId: string;
  pc: RTCPeerConnection;
  remote: Endpoint;
  mediaInfoList: unknown[] | null;
  mediaStatus: Record<string, StreamMediaStatus>;
}

const mediaPlatform = {
  getUserMedia: (c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c),
  getDisplayMedia: (o?: DisplayMediaStreamOptions) => navigator.mediaDevices.getDisplayMedia(o),
  enumerateDevices: () => navigator.mediaDevices.enumerateDevices(),
  createMediaStream: (tracks: MediaStreamTrack[]) => new MediaStream(tracks),
};

function safe(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (typeof MediaStream !== 'undefined' && v instanceof MediaStream) out[k] = { streamId: v.id };
    else if (v instanceof Error) out[k] = { message: v.message, code: (v as { code?: string }).code };
    else if (k === 'peerInfo' || k === 'room') out[k] = k === 'peerInfo' ? { mediaStatus: (v as PeerInfo | null)?.mediaStatus ?? null } : null;
    else out[k] = v;
  }
  return out;
}

/** One simulated client: its own media service, one controller per room, its recorded events. */
export class Endpoint {
  readonly events: Recorded[] = [];
  readonly media: MediaStreamManager;
  readonly monitor: AudioActivityMonitor;
  readonly controllers = new Map<string, RoomMediaController>();
  readonly links = new Map<string, Map<string, Link>>();
  readonly renegotiations: string[] = [];
  bandwidth: BandwidthOptions | null = null;

  constructor(readonly id: string) {
    this.media = new MediaStreamManager({ platform: mediaPlatform, callbacks: routeMediaCallbacks((k) => this.controllers.get(k)) });
    this.monitor = new AudioActivityMonitor({ ...routeAudioActivity((k) => this.controllers.get(k)), speakingThreshold: 0.02 });
  }

  room(room: string): RoomMediaController {
    let c = this.controllers.get(room);
    if (!c) {
      c = new RoomMediaController(this.media, this.port(room), { audioActivity: this.monitor });
      this.controllers.set(room, c);
      this.links.set(room, new Map());
    }
    return c;
  }

  link(room: string, peerId: string): Link {
    const link = this.links.get(room)?.get(peerId);
    if (!link) throw new Error(`no link ${this.id}->${peerId} in ${room}`);
    return link;
  }

  private record(room: string, name: string, detail: unknown): void {
    this.events.push({ room, name, detail: safe(detail) });
  }

  private port(room: string): MediaRoomPort {
    const roomInfo = (): RoomInfo => ({ id: room, roomName: room, roomSessionId: null, duration: null, isLocked: false, inRoom: true });
    const info = (mediaStatus: Record<string, StreamMediaStatus>): PeerInfo => ({
      userData: null,
      settings: { data: false, audio: false, video: false, maxBandwidth: {} },
      mediaStatus: { ...mediaStatus },
      agent: { name: 'chrome', version: 1, os: '', pluginVersion: null, SMProtocolVersion: '2.1.0', DTProtocolVersion: '0.1.3' },
      room: roomInfo(),
      config: { enableDataChannel: false, enableIceRestart: true, priorityWeight: 0 },
    });
    const links = () => this.links.get(room) ?? new Map<string, Link>();
    return {
      roomName: room,
      roomKey: room,
      selfId: () => this.id,
      rid: () => room,
      roomInfo,
      selfPeerInfo: () => info(this.room(room).localMediaStatus()),
      peerInfo: (peerId) => {
        const l = links().get(peerId);
        return l ? info(l.mediaStatus) : null;
      },
      connectedPeerIds: () => [...links().keys()],
      peerConnection: (peerId) => (links().get(peerId)?.pc as unknown as PeerConnectionLike) ?? null,
      remoteMediaInfoList: (peerId) => links().get(peerId)?.mediaInfoList ?? null,
      remoteMediaStatus: (peerId) => links().get(peerId)?.mediaStatus ?? {},
      setRemoteMediaStatus: (peerId, streamId, status) => {
        const l = links().get(peerId);
        if (!l) return;
        if (status) l.mediaStatus[streamId] = status;
        else delete l.mediaStatus[streamId];
      },
      sendSignaling: (message: ClientToServerMessage) => {
        const target = (message as { target?: string }).target;
        const l = target ? links().get(target) : undefined;
        if (l) setTimeout(() => l.remote.room(room).signalingMessage(message as unknown as ServerToClientMessage), 0);
      },
      renegotiate: async (peerId) => {
        this.renegotiations.push(`${room}:${peerId}`);
        await negotiate(room, this, links().get(peerId)!.remote);
      },
      emit: (type, detail) => this.record(room, type, detail),
      bandwidth: () => this.bandwidth,
      emitAudioActivity: (d) => this.record(room, 'audioActivity', d),
      emitActiveSpeaker: (d) => this.record(room, 'activeSpeaker', d),
    };
  }
}

/** Offer from `a` to `b` in `room`, with both mediaInfoLists, then `negotiated` on both sides. */
async function negotiate(room: string, a: Endpoint, b: Endpoint): Promise<void> {
  const ab = a.link(room, b.id);
  const ba = b.link(room, a.id);
  const offer = await ab.pc.createOffer();
  await ab.pc.setLocalDescription(offer);
  ba.mediaInfoList = a.room(room).mediaInfoList(b.id);
  await ba.pc.setRemoteDescription(offer);
  const answer = await ba.pc.createAnswer();
  await ba.pc.setLocalDescription(answer);
  ab.mediaInfoList = b.room(room).mediaInfoList(a.id);
  await ab.pc.setRemoteDescription(answer);
  a.room(room).negotiated(b.id);
  b.room(room).negotiated(a.id);
}

/** Connects two endpoints in a room (a offers) and resolves once both connections are connected. */
export async function connect(room: string, a: Endpoint, b: Endpoint): Promise<void> {
  const pcs: RTCPeerConnection[] = [];
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    self.room(room);
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    self.links.get(room)!.set(other.id, { peerId: other.id, pc, remote: other, mediaInfoList: null, mediaStatus: {} });
    pc.addEventListener('track', (e) => self.room(room).track(other.id, e as never));
    self.room(room).peerConnectionCreated(other.id, pc as unknown as PeerConnectionLike);
  }
  const [pa, pb] = pcs as [RTCPeerConnection, RTCPeerConnection];
  pa.addEventListener('icecandidate', (e) => e.candidate && void pb.addIceCandidate(e.candidate));
  pb.addEventListener('icecandidate', (e) => e.candidate && void pa.addIceCandidate(e.candidate));
  await negotiate(room, a, b);
  await Promise.all(
    pcs.map(
      (pc) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pc.connectionState === 'connected') resolve();
            else if (pc.connectionState === 'failed') reject(new Error('connection failed'));
          };
          pc.addEventListener('connectionstatechange', check);
          check();
        }),
    ),
  );
}

/** Plays a stream in a hidden <video> (muted) so frames are decoded and measurable. */
export function play(stream: MediaStream, key: string): HTMLVideoElement {
  let el = document.getElementById(key) as HTMLVideoElement | null;
  if (!el) {
    el = document.createElement('video');
    el.id = key;
    el.muted = true;
    el.autoplay = true;
    el.playsInline = true;
    document.body.appendChild(el);
  }
  el.srcObject = stream;
  void el.play().catch(() => undefined);
  return el;
}

/** Mean luma (0..255) of the element's current frame; -1 while no frame. */
export function luma(el: HTMLVideoElement): number {
  if (el.videoWidth === 0) return -1;
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const ctx = canvas.getContext('2d');
  if (!ctx) return -1;
  ctx.drawImage(el, 0, 0, 64, 48);
  const data = ctx.getImageData(0, 0, 64, 48).data;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  return sum / (data.length / 4);
}

/** Sum of inbound-rtp video framesDecoded of a connection. */
export async function framesDecoded(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((s: { type?: string; kind?: string; framesDecoded?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded ?? 0;
  });
  return n;
}

/** Outbound video bytes sent on a connection. */
export async function videoBytesSent(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((s: { type?: string; kind?: string; bytesSent?: number }) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.bytesSent ?? 0;
  });
  return n;
}

/** The element showing the first stream `endpoint` received from `peerId` in `room` with the given event. */
export function streamsOf(endpoint: Endpoint, room: string, peerId: string): Record<string, MediaStream> {
  const all = endpoint.room(room).getStreams(false)[peerId]?.streams;
  return { ...(all?.audio ?? {}), ...(all?.video ?? {}), ...(all?.screenShare ?? {}) };
}

(window as unknown as { M: unknown }).M = { Endpoint, connect, play, luma, framesDecoded, videoBytesSent, streamsOf };
