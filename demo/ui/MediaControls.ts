/**
 * Local media controls of one room: mute/unmute microphone and camera, share screen, and switch
 * camera/microphone from the device list (`getStreamSources`, then `sendStream` with the device ids).
 */
import { errorText, isNotImplemented, type StreamSource } from '../sdk';
import type { RoomContext } from './RoomContext';
import { el, labelled, setOptions, StatusLine } from './dom';

export class MediaControls {
  readonly element: HTMLElement;
  readonly #mic = el('button', { type: 'button', class: 'btn', 'data-action': 'toggle-mic' });
  readonly #cam = el('button', { type: 'button', class: 'btn', 'data-action': 'toggle-camera' });
  readonly #screen = el('button', { type: 'button', class: 'btn', 'data-action': 'toggle-screen', text: 'Share screen' });
  readonly #micSelect = el('select', { 'data-field': 'microphone' });
  readonly #camSelect = el('select', { 'data-field': 'camera' });
  readonly #status = new StatusLine();
  #hasAudio = false;
  #hasVideo = false;
  #audioMuted = false;
  #videoMuted = false;
  #sharing = false;
  #busy = false;

  constructor(private readonly ctx: RoomContext) {
    // Without published media the buttons start it (sendStream); with media they mute/unmute it.
    this.#mic.addEventListener('click', () => void (this.#hasAudio ? this.#toggleMute('audio') : this.#switchDevice('audio')));
    this.#cam.addEventListener('click', () => void (this.#hasVideo ? this.#toggleMute('video') : this.#switchDevice('video')));
    this.#screen.addEventListener('click', () => void this.#toggleScreen());
    this.#micSelect.addEventListener('change', () => void this.#switchDevice('audio'));
    this.#camSelect.addEventListener('change', () => void this.#switchDevice('video'));
    this.element = el('div', { class: 'media-controls', role: 'group', 'aria-label': 'Media controls' }, [
      el('div', { class: 'button-row' }, [this.#mic, this.#cam, this.#screen]),
      el('div', { class: 'device-row' }, [labelled('Camera', this.#camSelect), labelled('Microphone', this.#micSelect)]),
      this.#status.element,
    ]);
    this.#render();
  }

  /** Which local media the room publishes (from joinRoom / sendStream results and events). */
  setPublished(hasAudio: boolean, hasVideo: boolean): void {
    this.#hasAudio = hasAudio;
    this.#hasVideo = hasVideo;
    this.#render();
  }

  get published(): { audio: boolean; video: boolean } {
    return { audio: this.#hasAudio, video: this.#hasVideo };
  }

  /** Mute state of our camera/microphone streams (LOCAL_MEDIA_MUTED). */
  setMuted(audioMuted: boolean, videoMuted: boolean): void {
    this.#audioMuted = audioMuted;
    this.#videoMuted = videoMuted;
    this.#render();
  }

  setSharing(sharing: boolean): void {
    this.#sharing = sharing;
    this.#render();
  }

  showStatus(text: string, tone: 'info' | 'error' | 'ok' = 'info'): void {
    this.#status.set(text, tone);
  }

  #render(): void {
    this.#mic.textContent = !this.#hasAudio ? 'Start microphone' : this.#audioMuted ? 'Unmute microphone' : 'Mute microphone';
    this.#mic.setAttribute('aria-pressed', String(this.#hasAudio && this.#audioMuted));
    this.#mic.disabled = this.#busy;
    this.#cam.textContent = !this.#hasVideo ? 'Start camera' : this.#videoMuted ? 'Turn camera on' : 'Turn camera off';
    this.#cam.setAttribute('aria-pressed', String(this.#hasVideo && this.#videoMuted));
    this.#cam.disabled = this.#busy;
    this.#screen.textContent = this.#sharing ? 'Stop sharing' : 'Share screen';
    this.#screen.setAttribute('aria-pressed', String(this.#sharing));
    this.#screen.disabled = this.#busy;
  }

  async #run(action: string, body: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#render();
    try {
      await body();
    } catch (err) {
      this.#status.set(`${action}: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
      if (!isNotImplemented(err)) this.ctx.log('ERROR', `${action} failed in "${this.ctx.roomName}": ${errorText(err)}`);
    } finally {
      this.#busy = false;
      this.#render();
    }
  }

  #toggleMute(kind: 'audio' | 'video'): Promise<void> {
    const audioMuted = kind === 'audio' ? !this.#audioMuted : this.#audioMuted;
    const videoMuted = kind === 'video' ? !this.#videoMuted : this.#videoMuted;
    return this.#run(kind === 'audio' ? 'Microphone' : 'Camera', async () => {
      // Both flags always: a missing flag means "muted" in the 2.x API.
      await this.ctx.skylink.muteStreams(this.ctx.roomName, { audioMuted, videoMuted });
      this.setMuted(audioMuted, videoMuted);
      this.#status.clear();
    });
  }

  #toggleScreen(): Promise<void> {
    return this.#run('Screen share', async () => {
      if (this.#sharing) {
        await this.ctx.skylink.stopScreen(this.ctx.roomName);
        this.setSharing(false);
        return;
      }
      const stream = await this.ctx.skylink.shareScreen(this.ctx.roomName);
      if (stream === null) this.#status.set('Screen share cancelled');
      else {
        this.setSharing(true);
        this.#status.clear();
      }
    });
  }

  /** Fills the camera/microphone lists (labels appear once the page has media permission). */
  async refreshDevices(): Promise<void> {
    try {
      const sources = await this.ctx.skylink.getStreamSources();
      const toOptions = (list: StreamSource[]) => list.map((s) => ({ value: s.deviceId, label: s.label }));
      setOptions(this.#camSelect, toOptions(sources.video.input));
      setOptions(this.#micSelect, toOptions(sources.audio.input));
      this.#camSelect.disabled = sources.video.input.length === 0;
      this.#micSelect.disabled = sources.audio.input.length === 0;
    } catch (err) {
      this.#camSelect.disabled = true;
      this.#micSelect.disabled = true;
      this.#status.set(`Device list: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  /** Re-publishes our media with the chosen devices; starts `kind` when it was not published yet. */
  #switchDevice(kind: 'audio' | 'video'): Promise<void> {
    const starting = kind === 'audio' ? !this.#hasAudio : !this.#hasVideo;
    const device = (select: HTMLSelectElement) => (select.value ? { deviceId: select.value } : true);
    const audio = this.#hasAudio || kind === 'audio' ? device(this.#micSelect) : false;
    const video = this.#hasVideo || kind === 'video' ? device(this.#camSelect) : false;
    const what = kind === 'audio' ? 'Microphone' : 'Camera';
    return this.#run(starting ? `Start ${what.toLowerCase()}` : `Switch ${what.toLowerCase()}`, async () => {
      const [audioStream, videoStream] = await this.ctx.skylink.sendStream(this.ctx.roomName, { audio, video });
      this.setPublished(audioStream !== null, videoStream !== null);
      this.setMuted(false, false);
      this.#status.set(starting ? `${what} started` : `${what} switched`, 'ok');
      void this.refreshDevices(); // labels appear once permission is granted
    });
  }
}
