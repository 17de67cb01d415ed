/**
 * Room controls and people: lock/unlock (`lockRoom` / `unlockRoom`, ROOM_LOCK), leave, and the peer
 * list with each connection's state (PEER_CONNECTION_STATE, ICE_CONNECTION_STATE, DATA_CHANNEL_STATE).
 */
import { errorText, isNotImplemented } from '../sdk';
import type { RoomContext } from './RoomContext';
import { el, StatusLine, uid } from './dom';

const CONNECTION_STATES = new Set(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']);

interface PeerRow {
  root: HTMLLIElement;
  name: HTMLElement;
  connection: HTMLElement;
  ice: HTMLElement;
  data: HTMLElement;
}

export class PeersPanel {
  readonly element: HTMLElement;
  readonly #lock = el('button', { type: 'button', class: 'btn', 'data-action': 'toggle-lock', text: 'Lock room' });
  readonly #lockState = el('span', { class: 'badge', 'data-field': 'lock-state', text: 'unlocked' });
  readonly #list: HTMLUListElement;
  readonly #status = new StatusLine();
  readonly #rows = new Map<string, PeerRow>();
  #locked = false;

  constructor(
    private readonly ctx: RoomContext,
    onLeave: () => void,
  ) {
    const heading = uid('peers-heading');
    const leave = el('button', { type: 'button', class: 'btn btn-danger', 'data-action': 'leave-room', text: 'Leave room' });
    leave.addEventListener('click', onLeave);
    this.#lock.addEventListener('click', () => void this.#toggleLock());
    this.#list = el('ul', { class: 'peer-list', 'aria-labelledby': heading });
    this.element = el('section', { class: 'panel peers-panel', 'aria-labelledby': heading }, [
      el('h3', { id: heading }, ['People ', this.#lockState]),
      el('div', { class: 'button-row' }, [this.#lock, leave]),
      this.#status.element,
      this.#list,
    ]);
    this.#render();
  }

  #render(): void {
    this.#lock.textContent = this.#locked ? 'Unlock room' : 'Lock room';
    this.#lock.setAttribute('aria-pressed', String(this.#locked));
    this.#lockState.textContent = this.#locked ? 'locked' : 'unlocked';
    this.#lockState.dataset.on = String(this.#locked);
  }

  async #toggleLock(): Promise<void> {
    const { skylink, roomName } = this.ctx;
    this.#lock.disabled = true;
    try {
      if (this.#locked) await skylink.unlockRoom(roomName);
      else await skylink.lockRoom(roomName);
      this.#status.clear();
    } catch (err) {
      this.#status.set(`Lock: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    } finally {
      this.#lock.disabled = false;
    }
  }

  /** ROOM_LOCK (and the lock state from the room info on join). */
  setLocked(locked: boolean, byPeerId?: string): void {
    this.#locked = locked;
    this.#render();
    if (byPeerId !== undefined) {
      this.#status.set(`${this.ctx.nameOf(byPeerId)} ${locked ? 'locked' : 'unlocked'} the room`);
    }
  }

  /** Adds or renames a peer (ourselves first). */
  upsert(peerId: string, name: string, isSelf: boolean): void {
    const existing = this.#rows.get(peerId);
    if (existing) {
      existing.name.textContent = isSelf ? `${name} (you)` : name;
      return;
    }
    const row: PeerRow = {
      root: el('li', { class: 'peer', 'data-peer-id': peerId }),
      name: el('strong', { text: isSelf ? `${name} (you)` : name }),
      connection: el('span', { class: 'state', 'data-field': 'connection' }),
      ice: el('span', { class: 'state', 'data-field': 'ice' }),
      data: el('span', { class: 'state', 'data-field': 'data' }),
    };
    row.root.append(row.name, el('code', { class: 'peer-id', title: peerId, text: peerId.slice(0, 8) }));
    if (!isSelf) row.root.append(el('span', { class: 'states' }, [row.connection, row.ice, row.data]));
    this.#setState(row.connection, 'connection', 'new');
    this.#setState(row.ice, 'ICE', 'new');
    this.#setState(row.data, 'data', 'none');
    this.#rows.set(peerId, row);
    if (isSelf) this.#list.prepend(row.root);
    else this.#list.append(row.root);
  }

  remove(peerId: string): void {
    this.#rows.get(peerId)?.root.remove();
    this.#rows.delete(peerId);
  }

  #setState(target: HTMLElement, label: string, state: string): void {
    target.textContent = `${label}: ${state}`;
    target.dataset.state = state;
  }

  /** PEER_CONNECTION_STATE: only connection states are shown (signaling states are too chatty). */
  onConnectionState(peerId: string, state: string): void {
    const row = this.#rows.get(peerId);
    if (row && CONNECTION_STATES.has(state)) this.#setState(row.connection, 'connection', state);
  }

  onIceState(peerId: string, state: string): void {
    const row = this.#rows.get(peerId);
    if (row) this.#setState(row.ice, 'ICE', state);
  }

  /** DATA_CHANNEL_STATE of the main (messaging) channel. */
  onDataChannelState(peerId: string, state: string): void {
    const row = this.#rows.get(peerId);
    if (row) this.#setState(row.data, 'data', state);
  }
}
