import { FakeMediaStreamTrack } from './FakeMediaStreamTrack';

let nextId = 1;

/** In-memory MediaStream (jsdom has none). `active` is true while one track is live. */
export class FakeMediaStream extends EventTarget {
  readonly id: string;
  private readonly tracks: MediaStreamTrack[] = [];
  onaddtrack: ((this: MediaStream, ev: MediaStreamTrackEvent) => unknown) | null = null;
  onremovetrack: ((this: MediaStream, ev: MediaStreamTrackEvent) => unknown) | null = null;

  constructor(tracks: readonly MediaStreamTrack[] = [], id?: string) {
    super();
    this.id = id ?? `stream-${nextId++}`;
    for (const t of tracks) this.addTrack(t);
  }

  get active(): boolean {
    return this.tracks.some((t) => t.readyState === 'live');
  }

  getTracks(): MediaStreamTrack[] {
    return [...this.tracks];
  }

  getAudioTracks(): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }

  getVideoTracks(): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }

  getTrackById(id: string): MediaStreamTrack | null {
    return this.tracks.find((t) => t.id === id) ?? null;
  }

  addTrack(track: MediaStreamTrack): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }

  removeTrack(track: MediaStreamTrack): void {
    const i = this.tracks.indexOf(track);
    if (i >= 0) this.tracks.splice(i, 1);
  }

  /** What a browser does when renegotiation removes a remote track: remove it and fire `removetrack`. */
  remoteRemoveTrack(track: MediaStreamTrack): void {
    this.removeTrack(track);
    this.dispatchEvent(Object.assign(new Event('removetrack'), { track }));
  }

  clone(): MediaStream {
    return new FakeMediaStream(
      this.tracks.map((t) => (t as unknown as FakeMediaStreamTrack).clone() as unknown as MediaStreamTrack),
    ) as unknown as MediaStream;
  }
}

/** `new FakeMediaStream(tracks)` typed as a DOM MediaStream. */
export function fakeStream(tracks: readonly (MediaStreamTrack | FakeMediaStreamTrack)[] = [], id?: string): MediaStream {
  return new FakeMediaStream(tracks as MediaStreamTrack[], id) as unknown as MediaStream;
}
