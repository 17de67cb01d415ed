/**
 * Real WebRTC data channels in Node (@roamhq/wrtc): two connected RTCPeerConnections, each with a
 * DataTransferEngine wired the way SkylinkRoom wires it (main channel -> addPeer, transfer channels
 * from ondatachannel -> handleIncomingChannel, openChannel -> pc.createDataChannel), plus a minimal
 * original-2.x data-channel peer written from skylink-protocol.md section 4.
 */
import { createHash } from 'node:crypto';
import { DataTransferEngine, type DataTransferEngineOptions, type TransferStateReport } from '../../../src/data/DataTransferEngine';
import type { IncomingDataReport } from '../../../src/data/DataTransferEngine';
import type { DataChannelLike } from '../../../src/data/channel';
import { isTransferChannelLabel } from '../../../src/data/dataProtocol';
import type { Logger } from '../../../src/logger';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrtc = require('@roamhq/wrtc') as { RTCPeerConnection: typeof RTCPeerConnection };

export const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function randomBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** Connects two peer connections; resolves with alice's main channel and bob's end of it, both open. */
export async function connect(a: RTCPeerConnection, b: RTCPeerConnection, label: string): Promise<[RTCDataChannel, RTCDataChannel]> {
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const main = a.createDataChannel(label, { ordered: true });
  const remote = new Promise<RTCDataChannel>((resolve) => {
    b.addEventListener('datachannel', (e) => {
      if (e.channel.label === label) resolve(e.channel);
    });
  });
  const opened = new Promise<void>((resolve) => main.addEventListener('open', () => resolve()));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription as RTCSessionDescriptionInit);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription as RTCSessionDescriptionInit);
  const far = await remote;
  await opened;
  if (far.readyState !== 'open') await new Promise<void>((resolve) => far.addEventListener('open', () => resolve()));
  return [main, far];
}

export interface EngineSide {
  id: string;
  pc: RTCPeerConnection;
  engine: DataTransferEngine;
  states: TransferStateReport[];
  data: IncomingDataReport[];
  /** Answers every incoming request with this (default accept). */
  accept: boolean;
  responses: Array<Promise<unknown>>;
  channels: RTCDataChannel[];
}

/** An engine on `pc` that answers requests automatically and routes transfer channels. */
export function engineSide(id: string, pc: RTCPeerConnection, room: string, extra: Partial<DataTransferEngineOptions> = {}): EngineSide {
  const side: EngineSide = { id, pc, states: [], data: [], accept: true, responses: [], channels: [], engine: undefined as never };
  side.engine = new DataTransferEngine({
    getSelfId: () => id,
    openChannel: (_room, _peer, label) => {
      const channel = pc.createDataChannel(label, { ordered: true });
      side.channels.push(channel);
      return channel as unknown as DataChannelLike;
    },
    getMaxMessageSize: () => (pc as { sctp?: { maxMessageSize?: number } | null }).sctp?.maxMessageSize ?? null,
    onTransferState: (_room, detail) => side.states.push(detail),
    onIncomingDataRequest: (roomKey, detail) => {
      if (detail.isSelf) return;
      const answer = side.engine.respondBlobRequest(roomKey, detail.peerId, detail.transferId, side.accept);
      answer.catch(() => undefined);
      side.responses.push(answer);
    },
    onIncomingData: (_room, detail) => side.data.push(detail),
    logger: quiet,
    ...extra,
  });
  pc.addEventListener('datachannel', (e) => {
    if (isTransferChannelLabel(e.channel.label)) {
      side.channels.push(e.channel);
      side.engine.handleIncomingChannel(room, otherId(id), e.channel as unknown as DataChannelLike);
    }
  });
  return side;
}

const otherId = (id: string): string => (id === 'alice' ? 'bob' : 'alice');

/** Closes every channel and both connections so the process can exit. */
export function closeAll(channels: RTCDataChannel[], pcs: RTCPeerConnection[]): void {
  for (const c of channels) c.close();
  for (const pc of pcs) pc.close();
}

export function newPeerConnection(): RTCPeerConnection {
  return new wrtc.RTCPeerConnection();
}

/**
 * A minimal original-2.x data-channel peer (skylink-protocol.md 4.2-4.3): WRQ, ACK per chunk, base64
 * chunks of 49152 bytes on the main channel, completion when the base64 total reaches WRQ `size`.
 */
export class Legacy2xPeer {
  private download: { wrq: Record<string, unknown>; parts: Buffer[]; received: number; ackN: number } | null = null;
  private upload: { bytes: Uint8Array; count: number; resolve: (r: string) => void } | null = null;
  readonly completed: Array<{ name: unknown; mimeType: unknown; bytes: Buffer }> = [];
  readonly log: Array<Record<string, unknown>> = [];
  onRequest: ((wrq: Record<string, unknown>) => void) | null = null;

  constructor(private readonly id: string, private readonly channel: RTCDataChannel) {
    channel.addEventListener('message', (e) => this.onMessage(e.data as unknown));
  }

  /** 2.x sendBlobData to one peer; resolves 'completed' or 'rejected'. */
  send(bytes: Uint8Array, name: string, target: string): Promise<string> {
    const count = Math.ceil(bytes.length / 49152);
    this.channel.send(JSON.stringify({
      type: 'WRQ', transferId: `${this.id}_${Date.now()}`, name, size: 4 * Math.ceil(bytes.length / 3), originalSize: bytes.length,
      dataType: 'blob', mimeType: 'application/octet-stream', chunkType: 'binaryString', chunkSize: 49152, timeout: 60,
      isPrivate: false, sender: this.id, agent: 'chrome', version: 120, target,
    }));
    return new Promise((resolve) => {
      this.upload = { bytes, count, resolve };
    });
  }

  /** The app's respondBlobRequest(true). */
  accept(): void {
    this.channel.send(JSON.stringify({ type: 'ACK', sender: this.id, ackN: 0 }));
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return; // 2.x ignores binary frames
    let message: Record<string, unknown> | null = null;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      message = null;
    }
    if (message === null || typeof message !== 'object') {
      this.onChunk(data);
      return;
    }
    this.log.push(message);
    if (message.type === 'WRQ') {
      this.download = { wrq: message, parts: [], received: 0, ackN: 0 };
      this.onRequest?.(message);
    } else if (message.type === 'ACK' && this.upload) {
      const ackN = message.ackN as number;
      if (ackN < 0) {
        this.upload.resolve('rejected');
      } else if (ackN === this.upload.count) {
        this.upload.resolve('completed');
      } else {
        const chunk = this.upload.bytes.subarray(ackN * 49152, (ackN + 1) * 49152);
        this.channel.send(Buffer.from(chunk).toString('base64'));
      }
    }
  }

  private onChunk(text: string): void {
    const d = this.download;
    if (!d) return;
    const clean = text.replace(/\s|\r|\n/g, '');
    d.parts.push(Buffer.from(clean, 'base64'));
    d.received += clean.length;
    if (d.received >= (d.wrq.size as number)) {
      this.channel.send(JSON.stringify({ type: 'ACK', sender: this.id, ackN: d.ackN + 1 }));
      this.completed.push({ name: d.wrq.name, mimeType: d.wrq.mimeType, bytes: Buffer.concat(d.parts) });
      this.download = null;
    } else {
      d.ackN += 1;
      this.channel.send(JSON.stringify({ type: 'ACK', sender: this.id, ackN: d.ackN }));
    }
  }
}

/** Polls `predicate` every 5 ms; rejects after `ms`. */
export async function until(predicate: () => boolean, what: string, ms = 20000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
