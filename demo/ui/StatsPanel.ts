/**
 * Connection statistics of one room: every 2 s `getConnectionStatus(roomName)` for all peers; shows
 * send/receive bitrate (media and data, from the selected candidate pair), round-trip time and packet
 * loss per peer, with small live charts.
 */
import { errorText, isNotImplemented, type ConnectionStatistics } from '../sdk';
import type { RoomContext } from './RoomContext';
import { el, formatBitrate, StatusLine, uid } from './dom';
import { Sparkline } from './Sparkline';

const INTERVAL_MS = 2000;
const UP = '#2563eb';
const DOWN = '#16a34a';

interface Totals {
  at: number;
  sent: number;
  received: number;
  lost: number;
  packets: number;
}

interface PeerStats {
  root: HTMLLIElement;
  name: HTMLElement;
  bitrate: HTMLElement;
  rtt: HTMLElement;
  loss: HTMLElement;
  bitrateChart: Sparkline;
  rttChart: Sparkline;
  lossChart: Sparkline;
  last: Totals | null;
}

/** Byte counters of the selected candidate pair (media + data), else the RTP totals. */
function totals(s: ConnectionStatistics): Totals {
  const pair = s.selectedCandidatePair ? (s.raw[s.selectedCandidatePair.id] as (RTCStats & { bytesSent?: number; bytesReceived?: number }) | undefined) : undefined;
  const rtpSent = s.audio.sending.totalBytes + s.video.sending.totalBytes;
  const rtpReceived = s.audio.receiving.totalBytes + s.video.receiving.totalBytes;
  return {
    at: performance.now(),
    sent: pair?.bytesSent ?? rtpSent,
    received: pair?.bytesReceived ?? rtpReceived,
    lost: s.audio.receiving.totalPacketsLost + s.video.receiving.totalPacketsLost,
    packets: s.audio.receiving.totalPackets + s.video.receiving.totalPackets,
  };
}

function roundTripMs(s: ConnectionStatistics): number | null {
  const pair = s.selectedCandidatePair;
  const raw = pair ? (s.raw[pair.id] as (RTCStats & { currentRoundTripTime?: number }) | undefined) : undefined;
  const seconds = pair?.roundTripTime ?? raw?.currentRoundTripTime ?? s.video.sending.roundTripTime ?? s.audio.sending.roundTripTime;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : null;
}

export class StatsPanel {
  readonly element: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #status = new StatusLine();
  readonly #peers = new Map<string, PeerStats>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  #polling = false;

  constructor(private readonly ctx: RoomContext) {
    const heading = uid('stats-heading');
    this.#list = el('ul', { class: 'stats-list', 'aria-labelledby': heading });
    this.element = el('section', { class: 'panel stats-panel', 'aria-labelledby': heading }, [
      el('h3', { id: heading, text: 'Connection stats' }),
      el('p', { class: 'legend' }, [
        el('span', { class: 'swatch', style: `background:${UP}` }),
        ' sent ',
        el('span', { class: 'swatch', style: `background:${DOWN}` }),
        ' received, every 2 s',
      ]),
      this.#status.element,
      this.#list,
    ]);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(500);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** A peer joined: measure soon instead of at the next 2 s tick. */
  pollSoon(): void {
    if (this.#stopped || this.#polling) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#schedule(500);
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#poll(), delay);
  }

  async #poll(): Promise<void> {
    this.#timer = null;
    this.#polling = true;
    try {
      await this.#measure();
    } finally {
      this.#polling = false;
    }
    if (this.#timer === null) this.#schedule(INTERVAL_MS);
  }

  async #measure(): Promise<void> {
    const peers = this.ctx.remotePeers();
    if (peers.length === 0) {
      this.#status.set('Waiting for someone to join');
    } else {
      try {
        const stats = await this.ctx.skylink.getConnectionStatus(this.ctx.roomName);
        this.#status.clear();
        for (const s of stats) if (s) this.#update(s);
      } catch (err) {
        this.#status.set(`Stats: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
        if (isNotImplemented(err)) this.stop(); // nothing to poll in this SDK build
      }
    }
  }

  #row(peerId: string): PeerStats {
    const existing = this.#peers.get(peerId);
    if (existing) return existing;
    const name = this.ctx.nameOf(peerId);
    const row: PeerStats = {
      root: el('li', { class: 'peer-stats', 'data-peer-id': peerId }),
      name: el('strong', { text: name }),
      bitrate: el('span', { 'data-field': 'bitrate' }),
      rtt: el('span', { 'data-field': 'rtt' }),
      loss: el('span', { 'data-field': 'loss' }),
      bitrateChart: new Sparkline(`Bitrate with ${name}`, [UP, DOWN]),
      rttChart: new Sparkline(`Round-trip time with ${name}`, ['#9333ea']),
      lossChart: new Sparkline(`Packet loss from ${name}`, ['#dc2626']),
      last: null,
    };
    row.root.append(
      row.name,
      el('div', { class: 'metrics' }, [
        el('figure', {}, [row.bitrateChart.element, el('figcaption', {}, [row.bitrate])]),
        el('figure', {}, [row.rttChart.element, el('figcaption', {}, [row.rtt])]),
        el('figure', {}, [row.lossChart.element, el('figcaption', {}, [row.loss])]),
      ]),
    );
    this.#peers.set(peerId, row);
    this.#list.append(row.root);
    return row;
  }

  #update(s: ConnectionStatistics): void {
    const row = this.#row(s.peerId);
    row.name.textContent = this.ctx.nameOf(s.peerId);
    const now = totals(s);
    const rtt = roundTripMs(s);
    row.rtt.textContent = rtt === null ? 'RTT -' : `RTT ${rtt.toFixed(1)} ms`;
    if (row.last) {
      const seconds = Math.max(0.001, (now.at - row.last.at) / 1000);
      const up = (Math.max(0, now.sent - row.last.sent) * 8) / seconds;
      const down = (Math.max(0, now.received - row.last.received) * 8) / seconds;
      const lost = Math.max(0, now.lost - row.last.lost);
      const got = Math.max(0, now.packets - row.last.packets);
      const lossPct = lost + got > 0 ? (100 * lost) / (lost + got) : 0;
      row.bitrate.textContent = `↑ ${formatBitrate(up)} ↓ ${formatBitrate(down)}`;
      row.loss.textContent = `loss ${lossPct.toFixed(1)}%`;
      row.root.dataset.sendBps = String(Math.round(up));
      row.root.dataset.receiveBps = String(Math.round(down));
      row.bitrateChart.push(up, down);
      row.rttChart.push(rtt ?? 0);
      row.lossChart.push(lossPct);
    } else {
      row.bitrate.textContent = 'measuring…';
      row.loss.textContent = 'loss -';
    }
    row.last = now;
  }

  /** A peer left: drop its row. */
  remove(peerId: string): void {
    this.#peers.get(peerId)?.root.remove();
    this.#peers.delete(peerId);
  }
}
