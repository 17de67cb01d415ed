/**
 * Active-speaker detection in the page (Web Audio analysers on each peer's audio stream), used when
 * the SDK build does not report active speakers itself. The loudest peer above a threshold becomes
 * the active speaker and keeps the floor for at least `holdMs` while it still speaks.
 */

type AudioContextCtor = typeof AudioContext;

interface Watched {
  readonly source: MediaStreamAudioSourceNode;
  readonly analyser: AnalyserNode;
  readonly buffer: Float32Array<ArrayBuffer>;
}

export class SpeakerDetector {
  readonly #peers = new Map<string, Watched>();
  #context: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #active: string | null = null;
  #activeSince = 0;

  constructor(
    private readonly onChange: (peerId: string | null) => void,
    private readonly threshold = 0.02,
    private readonly holdMs = 1200,
  ) {}

  #audioContext(): AudioContext | null {
    if (this.#context) return this.#context;
    const w = window as unknown as { AudioContext?: AudioContextCtor; webkitAudioContext?: AudioContextCtor };
    const Ctor = w.AudioContext ?? w.webkitAudioContext; // Safari < 14.1
    if (!Ctor) return null;
    this.#context = new Ctor();
    return this.#context;
  }

  /** Starts (or restarts) watching the audio of `peerId`. */
  watch(peerId: string, stream: MediaStream): void {
    if (stream.getAudioTracks().length === 0) return;
    const context = this.#audioContext();
    if (!context) return;
    this.unwatch(peerId);
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser); // not connected to the destination: analysis only, no playback
    this.#peers.set(peerId, { source, analyser, buffer: new Float32Array(analyser.fftSize) });
    this.#timer ??= setInterval(() => this.#poll(), 250);
  }

  unwatch(peerId: string): void {
    const watched = this.#peers.get(peerId);
    if (!watched) return;
    watched.source.disconnect();
    this.#peers.delete(peerId);
    if (this.#active === peerId) this.#set(null);
    if (this.#peers.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  #poll(): void {
    let loudest: string | null = null;
    let loudestLevel = this.threshold;
    let activeLevel = 0;
    for (const [peerId, w] of this.#peers) {
      w.analyser.getFloatTimeDomainData(w.buffer);
      let sum = 0;
      for (const sample of w.buffer) sum += sample * sample;
      const rms = Math.sqrt(sum / w.buffer.length);
      if (peerId === this.#active) activeLevel = rms;
      if (rms > loudestLevel) {
        loudest = peerId;
        loudestLevel = rms;
      }
    }
    const now = Date.now();
    const activeStillSpeaking = this.#active !== null && activeLevel >= this.threshold;
    if (loudest === this.#active) return;
    if (activeStillSpeaking && now - this.#activeSince < this.holdMs) return;
    if (loudest === null && activeStillSpeaking) return;
    this.#set(loudest);
  }

  #set(peerId: string | null): void {
    this.#active = peerId;
    this.#activeSince = Date.now();
    this.onChange(peerId);
  }

  close(): void {
    for (const peerId of [...this.#peers.keys()]) this.unwatch(peerId);
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
  }
}
