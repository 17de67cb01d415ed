/**
 * The page: join form, one tab per joined room (several at once), leave / leave all.
 * Rooms are keyed by lower-cased name, as the SDK matches room names case-insensitively.
 */
import { errorCode, errorText, type Skylink } from '../sdk';
import { el, StatusLine } from './dom';
import type { LogPanel } from './LogPanel';
import { RoomView } from './RoomView';

interface RoomEntry {
  view: RoomView;
  tab: HTMLButtonElement;
  panel: HTMLElement;
}

export interface AppElements {
  form: HTMLFormElement;
  room: HTMLInputElement;
  name: HTMLInputElement;
  secret: HTMLInputElement;
  audio: HTMLInputElement;
  video: HTMLInputElement;
  leaveAll: HTMLButtonElement;
  joinStatus: HTMLElement;
  tabs: HTMLElement;
  rooms: HTMLElement;
  empty: HTMLElement;
}

/** Friendlier text for the join failures a user can run into. */
function joinFailureText(err: unknown): string {
  switch (errorCode(err)) {
    case 'ROOM_LOCKED':
      return 'the room is locked';
    case 'ALREADY_IN_ROOM':
      return 'you are already in this room';
    case 'SIGNALING_TIMEOUT':
      return 'the server did not answer in time';
    default:
      return errorText(err);
  }
}

export class App {
  readonly #rooms = new Map<string, RoomEntry>();
  readonly #joinStatus = new StatusLine();
  #selected: string | null = null;

  constructor(
    private readonly skylink: Skylink,
    private readonly logPanel: LogPanel,
    private readonly ui: AppElements,
  ) {
    ui.joinStatus.replaceWith(this.#joinStatus.element);
    this.#joinStatus.element.id = ui.joinStatus.id;
    ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#submit();
    });
    ui.leaveAll.addEventListener('click', () => void this.leaveAll());
    ui.tabs.addEventListener('keydown', (e) => this.#tabKeys(e));
    this.#refresh();
  }

  /** The view of a joined (or joining) room. */
  room(roomName: string | null | undefined): RoomView | undefined {
    return typeof roomName === 'string' ? this.#rooms.get(roomName.toLowerCase())?.view : undefined;
  }

  /** Every room view (for events that are not room-scoped). */
  views(): RoomView[] {
    return [...this.#rooms.values()].map((r) => r.view);
  }

  log(level: 'INFO' | 'WARN' | 'ERROR', message: string): void {
    this.logPanel.add(level, message, { tag: 'DEMO' });
  }

  async #submit(): Promise<void> {
    const roomName = this.ui.room.value.trim();
    const name = this.ui.name.value.trim();
    if (roomName === '' || name === '') {
      this.#joinStatus.set('Enter a room name and a display name', 'error');
      return;
    }
    const key = roomName.toLowerCase();
    if (this.#rooms.has(key)) {
      this.select(key);
      this.#joinStatus.set(`Already in "${roomName}"`);
      return;
    }
    await this.join(roomName, name, this.ui.secret.value, this.ui.audio.checked, this.ui.video.checked);
  }

  async join(roomName: string, displayName: string, secret: string, audio: boolean, video: boolean): Promise<void> {
    const key = roomName.toLowerCase();
    const view = new RoomView({
      skylink: this.skylink,
      roomName,
      displayName,
      secret,
      log: (level, message) => this.log(level, message),
      onLeaveRequested: (v) => void this.leave(v),
      onClosed: (v, reason) => this.#remove(v, reason),
    });
    this.#add(key, view);
    this.#joinStatus.set(`Joining "${roomName}"…`);
    try {
      await view.join(audio, video);
      this.#joinStatus.clear();
    } catch (err) {
      const text = `Could not join "${roomName}": ${joinFailureText(err)}`;
      this.#joinStatus.set(text, 'error');
      this.log('ERROR', text);
      view.close(text);
    }
  }

  async leave(view: RoomView): Promise<void> {
    view.expectLeave();
    try {
      await this.skylink.leaveRoom(view.roomName);
      this.log('INFO', `Left "${view.roomName}"`);
    } catch (err) {
      this.log('WARN', `Leaving "${view.roomName}": ${errorText(err)}`);
    }
    view.close('You left the room');
  }

  async leaveAll(): Promise<void> {
    for (const view of this.views()) view.expectLeave();
    try {
      const left = await this.skylink.leaveAllRooms();
      this.log('INFO', `Left ${left.map((r) => `"${r}"`).join(', ') || 'no rooms'}`);
    } catch (err) {
      this.log('WARN', `Leave all: ${errorText(err)}`);
    }
    for (const view of this.views()) view.close('You left the room');
    this.#joinStatus.set('Left all rooms');
  }

  // ---- tabs --------------------------------------------------------------------------------

  #add(key: string, view: RoomView): void {
    const tabId = `tab-${encodeURIComponent(key)}`;
    const panelId = `panel-${encodeURIComponent(key)}`;
    const tab = el('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'data-room': view.roomName, text: view.roomName });
    const panel = el('section', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, class: 'room-panel' }, [view.element]);
    tab.addEventListener('click', () => this.select(key));
    this.ui.tabs.append(tab);
    this.ui.rooms.append(panel);
    this.#rooms.set(key, { view, tab, panel });
    this.select(key);
  }

  #remove(view: RoomView, reason: string): void {
    const key = view.roomName.toLowerCase();
    const entry = this.#rooms.get(key);
    if (!entry || entry.view !== view) return;
    if (view.endedUnexpectedly) {
      // The server or the network ended the session: say so where the tab was.
      const text = `Left "${view.roomName}": ${reason}`;
      this.#joinStatus.set(text, 'error');
      this.log('WARN', text);
    }
    entry.tab.remove();
    entry.panel.remove();
    this.#rooms.delete(key);
    if (this.#selected === key) {
      this.#selected = null;
      const next = this.#rooms.keys().next();
      if (!next.done) this.select(next.value);
    }
    this.#refresh();
  }

  select(key: string): void {
    this.#selected = key;
    for (const [k, entry] of this.#rooms) {
      const on = k === key;
      entry.tab.setAttribute('aria-selected', String(on));
      entry.tab.tabIndex = on ? 0 : -1;
      entry.panel.hidden = !on;
    }
    this.#refresh();
  }

  /** Arrow keys / Home / End move between tabs (WAI-ARIA tabs pattern). */
  #tabKeys(e: KeyboardEvent): void {
    const keys = [...this.#rooms.keys()];
    const at = this.#selected === null ? -1 : keys.indexOf(this.#selected);
    let next = at;
    if (e.key === 'ArrowRight') next = (at + 1) % keys.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + keys.length) % keys.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = keys.length - 1;
    else return;
    e.preventDefault();
    const key = keys[next];
    if (key === undefined) return;
    this.select(key);
    this.#rooms.get(key)?.tab.focus();
  }

  #refresh(): void {
    const any = this.#rooms.size > 0;
    this.ui.empty.hidden = any;
    this.ui.tabs.hidden = !any;
    this.ui.leaveAll.disabled = !any;
  }
}
