/**
 * Video grid: one tile per peer (camera/microphone) plus one per screen share. Tiles show the name
 * from userData, muted indicators, and an active-speaker highlight. Remote audio plays through a
 * hidden <audio> element per tile; <video> elements are always muted (no double audio, and muted
 * autoplay is allowed in every browser).
 */
import { el } from './dom';

type TileKind = 'camera' | 'screen';

interface Tile {
  readonly key: string;
  readonly peerId: string;
  readonly kind: TileKind;
  readonly isSelf: boolean;
  readonly root: HTMLElement;
  readonly video: HTMLVideoElement;
  readonly audio: HTMLAudioElement | null;
  readonly avatar: HTMLElement;
  readonly nameEl: HTMLElement;
  readonly micBadge: HTMLElement;
  readonly camBadge: HTMLElement;
  readonly speakingBadge: HTMLElement;
  /** Stream ids currently attached (video element / audio element). */
  videoStreamId: string | null;
  audioStreamId: string | null;
  name: string;
}

export interface AttachOptions {
  peerId: string;
  name: string;
  isSelf: boolean;
  stream: MediaStream;
  streamId: string;
  isVideo: boolean;
  isAudio: boolean;
  isScreen: boolean;
}

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts[1]?.[0] ?? ''}` : name.slice(0, 2)).toUpperCase();
}

function play(media: HTMLMediaElement): void {
  // Autoplay can be refused (e.g. audio before any user gesture); the element keeps its stream and
  // starts on the next play() the browser allows.
  const result = media.play();
  if (result && typeof result.catch === 'function') result.catch(() => undefined);
}

export class VideoGrid {
  readonly element: HTMLElement;
  readonly #tiles = new Map<string, Tile>();
  #activeSpeaker: string | null = null;

  constructor(label: string) {
    this.element = el('div', { class: 'video-grid', role: 'list', 'aria-label': label });
  }

  /** The camera tile of a peer (created when missing). */
  ensurePeer(peerId: string, name: string, isSelf: boolean): void {
    this.#ensure(peerId, 'camera', name, isSelf);
  }

  #ensure(peerId: string, kind: TileKind, name: string, isSelf: boolean): Tile {
    const key = kind === 'camera' ? peerId : `${peerId}:screen`;
    const existing = this.#tiles.get(key);
    if (existing) return existing;
    const video = el('video', { autoplay: true, playsinline: true, 'aria-hidden': 'true' });
    video.muted = true; // the property, not only the attribute, decides autoplay
    const audio = isSelf || kind === 'screen' ? null : el('audio', { autoplay: true });
    const avatar = el('div', { class: 'avatar', 'aria-hidden': 'true' });
    const nameEl = el('span', { class: 'tile-name' });
    const micBadge = el('span', { class: 'badge badge-muted', hidden: true, text: 'mic off' });
    const camBadge = el('span', { class: 'badge badge-muted', hidden: true, text: 'camera off' });
    const speakingBadge = el('span', { class: 'badge badge-speaking', hidden: true, text: 'speaking' });
    const root = el(
      'figure',
      { class: `tile tile-${kind}`, role: 'listitem', 'data-peer-id': peerId, 'data-kind': kind, 'data-self': isSelf ? 'true' : 'false' },
      [video, avatar, audio, el('figcaption', {}, [nameEl, el('span', { class: 'tile-badges' }, [speakingBadge, micBadge, camBadge])])],
    );
    const tile: Tile = {
      key, peerId, kind, isSelf, root, video, audio, avatar, nameEl, micBadge, camBadge, speakingBadge,
      videoStreamId: null, audioStreamId: null, name,
    };
    this.#tiles.set(key, tile);
    this.#label(tile, name);
    this.#refreshVideo(tile);
    // Self first, screen shares next to their owner.
    if (isSelf && kind === 'camera') this.element.prepend(root);
    else {
      const owner = this.#tiles.get(peerId);
      if (kind === 'screen' && owner && owner !== tile) owner.root.after(root);
      else this.element.append(root);
    }
    return tile;
  }

  #label(tile: Tile, name: string): void {
    tile.name = name;
    const text = tile.kind === 'screen' ? `${name}: screen` : tile.isSelf ? `${name} (you)` : name;
    tile.nameEl.textContent = text;
    tile.avatar.textContent = initials(name);
    tile.root.setAttribute('aria-label', text);
  }

  /** Shows/hides the avatar depending on whether live video is attached and not muted. */
  #refreshVideo(tile: Tile): void {
    const showVideo = tile.videoStreamId !== null && tile.root.dataset.videoMuted !== 'true';
    tile.video.hidden = !showVideo;
    tile.avatar.hidden = showVideo;
  }

  /** Attaches a local or remote stream to the peer's camera tile or to its screen tile. */
  attach(o: AttachOptions): void {
    const tile = this.#ensure(o.peerId, o.isScreen ? 'screen' : 'camera', o.name, o.isSelf);
    if (o.isVideo) {
      if (tile.video.srcObject !== o.stream) {
        tile.video.srcObject = o.stream;
        play(tile.video);
      }
      tile.videoStreamId = o.streamId;
      tile.root.dataset.hasVideo = 'true';
    }
    if (o.isAudio && tile.audio) {
      if (tile.audio.srcObject !== o.stream) {
        tile.audio.srcObject = o.stream;
        play(tile.audio);
      }
      tile.audioStreamId = o.streamId;
    }
    this.#refreshVideo(tile);
  }

  /** Detaches an ended stream; a screen tile without its stream is removed. */
  detach(peerId: string, streamId: string): void {
    for (const tile of this.#tiles.values()) {
      if (tile.peerId !== peerId) continue;
      if (tile.videoStreamId === streamId) {
        tile.videoStreamId = null;
        tile.video.srcObject = null;
        delete tile.root.dataset.hasVideo;
      }
      if (tile.audioStreamId === streamId && tile.audio) {
        tile.audioStreamId = null;
        tile.audio.srcObject = null;
      }
      if (tile.kind === 'screen' && tile.videoStreamId === null) this.#remove(tile);
      else this.#refreshVideo(tile);
    }
  }

  /** Removes every tile of a peer. */
  removePeer(peerId: string): void {
    for (const tile of [...this.#tiles.values()]) if (tile.peerId === peerId) this.#remove(tile);
  }

  #remove(tile: Tile): void {
    tile.video.srcObject = null;
    if (tile.audio) tile.audio.srcObject = null;
    tile.root.remove();
    this.#tiles.delete(tile.key);
  }

  setName(peerId: string, name: string): void {
    for (const tile of this.#tiles.values()) if (tile.peerId === peerId) this.#label(tile, name);
  }

  /** Muted indicators of the peer's camera tile (`null` = no such media: no badge). */
  setMuted(peerId: string, audioMuted: boolean | null, videoMuted: boolean | null): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    tile.micBadge.hidden = audioMuted !== true;
    tile.camBadge.hidden = videoMuted !== true;
    tile.root.dataset.audioMuted = String(audioMuted === true);
    tile.root.dataset.videoMuted = String(videoMuted === true);
    this.#refreshVideo(tile);
  }

  /** Highlights the active speaker's camera tile (`null`: nobody). */
  setActiveSpeaker(peerId: string | null): void {
    if (peerId === this.#activeSpeaker) return;
    const mark = (id: string | null, on: boolean) => {
      const tile = id === null ? undefined : this.#tiles.get(id);
      if (!tile) return;
      tile.root.classList.toggle('speaking', on);
      tile.speakingBadge.hidden = !on; // not by colour alone
    };
    mark(this.#activeSpeaker, false);
    this.#activeSpeaker = peerId;
    mark(peerId, true);
  }

  /** Stops rendering everything (room left). */
  clear(): void {
    for (const tile of [...this.#tiles.values()]) this.#remove(tile);
  }
}
