/**
 * Chat of one room: public or private messages through the signaling server (`sendMessage`) or the
 * data channels (`sendP2PMessage`), an encryption secret (`setEncryptSecret` + `setSelectedSecret`)
 * with an "encrypted" badge on protected messages, and stored history (`setMessagePersistence`,
 * `getStoredMessages`, STORED_MESSAGES).
 */
import { errorText, isNotImplemented, type IncomingMessageDetail, type SkylinkMessage, type StoredMessage } from '../sdk';
import type { PeerSummary, RoomContext } from './RoomContext';
import { el, formatTime, labelled, setOptions, StatusLine, uid } from './dom';

const EVERYONE = '';

interface Entry {
  sender: string;
  /** Sender peer id (names are filled in again when the peer's info arrives later). */
  senderId: string;
  isSelf: boolean;
  content: unknown;
  timeStamp?: string;
  isPrivate: boolean;
  viaP2P: boolean;
  encrypted: boolean;
  stored: boolean;
  error?: string;
  /** For private messages: the other party's name. */
  privateWith?: string;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  try {
    return JSON.stringify(content);
  } catch {
    return String(content);
  }
}

function isEncrypted(m: { secretId?: string; encryption?: string }): boolean {
  return (m.encryption !== undefined && m.encryption !== 'none') || (m.secretId !== undefined && m.secretId !== '');
}

export class ChatPanel {
  readonly element: HTMLElement;
  readonly #list: HTMLOListElement;
  readonly #text = el('input', { type: 'text', autocomplete: 'off', maxlength: 4000, 'data-field': 'chat-text' });
  readonly #target = el('select', { 'data-field': 'chat-target' });
  readonly #path = el('select', { 'data-field': 'chat-path' });
  readonly #secretId = el('input', { type: 'text', value: 'demo-key', autocomplete: 'off', 'data-field': 'secret-id' });
  readonly #secret = el('input', { type: 'password', autocomplete: 'off', 'data-field': 'secret' });
  readonly #persist = el('input', { type: 'checkbox', 'data-field': 'persist' });
  readonly #encState = el('span', { class: 'badge', 'data-field': 'encryption-state', text: 'not encrypted' });
  readonly #status = new StatusLine();
  readonly #seenStored = new Set<string>();

  constructor(private readonly ctx: RoomContext) {
    const heading = uid('chat-heading');
    this.#list = el('ol', { class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-labelledby': heading });
    setOptions(this.#path, [
      { value: 'signaling', label: 'Signaling server' },
      { value: 'p2p', label: 'Peer-to-peer (data channel)' },
    ]);
    this.setPeers([]);

    const send = el('button', { type: 'submit', class: 'btn btn-primary', text: 'Send' });
    const form = el('form', { class: 'chat-form', 'aria-label': 'Send a message' }, [
      el('div', { class: 'row' }, [labelled('To', this.#target), labelled('Via', this.#path)]),
      el('div', { class: 'row grow' }, [labelled('Message', this.#text), send]),
    ]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#send();
    });

    const useSecret = el('button', { type: 'submit', class: 'btn', 'data-action': 'use-secret', text: 'Use secret' });
    const noSecret = el('button', { type: 'button', class: 'btn', 'data-action': 'clear-secret', text: 'Turn off' });
    const history = el('button', { type: 'button', class: 'btn', 'data-action': 'load-history', text: 'Load history' });
    noSecret.addEventListener('click', () => void this.#clearSecret());
    history.addEventListener('click', () => void this.loadHistory());
    this.#persist.addEventListener('change', () => void this.#setPersistence(this.#persist.checked));
    const persistLabel = el('label', { class: 'check' }, [this.#persist, ' Store public messages on the server']);

    const fieldset = el('fieldset', { class: 'chat-security' }, [
      el('legend', {}, ['Encryption ', this.#encState]),
      el('div', { class: 'row' }, [labelled('Secret id', this.#secretId), labelled('Secret', this.#secret)]),
      el('small', { text: 'Every peer needs the same id and secret.' }),
      el('div', { class: 'button-row' }, [useSecret, noSecret]),
      el('div', { class: 'button-row' }, [persistLabel, history]),
    ]);
    // A form of its own, so Enter in the secret field applies it (and password managers stay quiet).
    const security = el('form', { class: 'security-form', 'aria-label': 'Encryption and history' }, [fieldset]);
    security.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.useSecret(this.#secret.value, this.#secretId.value);
    });

    this.element = el('section', { class: 'panel chat-panel', 'aria-labelledby': heading }, [
      el('h3', { id: heading, text: 'Chat' }),
      this.#list,
      form,
      this.#status.element,
      security,
    ]);
  }

  /** Updates the "To" list, and the sender names of messages that arrived before a peer's info (history). */
  setPeers(peers: PeerSummary[]): void {
    setOptions(this.#target, [{ value: EVERYONE, label: 'Everyone' }, ...peers.map((p) => ({ value: p.id, label: p.name }))]);
    for (const peer of peers) {
      for (const item of this.#list.querySelectorAll<HTMLElement>(`.message:not(.message-self)[data-sender-id="${CSS.escape(peer.id)}"] .message-sender`)) {
        item.textContent = peer.name;
      }
    }
  }

  /** Our join was confirmed: apply the secret from the join form, sync persistence, load history. */
  async onJoined(secret: string): Promise<void> {
    if (secret !== '') {
      this.#secret.value = secret;
      await this.useSecret(secret, this.#secretId.value, true);
    }
    let persistent: boolean | null;
    try {
      persistent = this.ctx.skylink.getMessagePersistence(this.ctx.roomName);
    } catch (err) {
      this.#persist.disabled = true;
      this.#status.set(`Stored messages: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
      return;
    }
    this.#persist.checked = persistent === true;
    if (persistent !== true) return;
    await this.loadHistory();
    // With persistence on, every public signaling message must be encrypted: without a secret, turn
    // storage off so that plain chat works (tick the box again after choosing a secret).
    if (secret === '') await this.#setPersistence(false, true);
  }

  /** Requests the stored messages of the current room session (they arrive as STORED_MESSAGES). */
  async loadHistory(): Promise<void> {
    try {
      const messages = await this.ctx.skylink.getStoredMessages(this.ctx.roomName);
      this.addStored(messages);
    } catch (err) {
      this.#status.set(`History: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  async useSecret(secret: string, secretId: string, quiet = false): Promise<void> {
    if (secret === '' || secretId === '') {
      this.#status.set('Enter a secret id and a secret', 'error');
      return;
    }
    const { skylink, roomName } = this.ctx;
    try {
      // Ids must be unique: replace our previous secret under this id.
      const existing = skylink.getEncryptSecrets(roomName);
      if (existing && Object.prototype.hasOwnProperty.call(existing, secretId)) await skylink.deleteEncryptSecrets(roomName, secretId);
      await skylink.setEncryptSecret(roomName, secret, secretId);
      await skylink.setSelectedSecret(roomName, secretId);
      this.#showEncryption(secretId);
      if (!quiet) this.#status.set(`Messages you send are encrypted with "${secretId}"`, 'ok');
    } catch (err) {
      this.#status.set(`Encryption: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  async #clearSecret(): Promise<void> {
    try {
      await this.ctx.skylink.setSelectedSecret(this.ctx.roomName, '');
      this.#showEncryption('');
      this.#status.set('Messages you send are no longer encrypted');
    } catch (err) {
      this.#status.set(`Encryption: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  /** ENCRYPT_SECRETS_UPDATED (never shows or logs the secrets themselves). */
  onSecretsUpdated(selectedSecretId: string): void {
    this.#showEncryption(selectedSecretId);
  }

  #showEncryption(selectedSecretId: string): void {
    this.#encState.textContent = selectedSecretId ? `on (${selectedSecretId})` : 'not encrypted';
    this.#encState.dataset.on = String(selectedSecretId !== '');
  }

  async #setPersistence(on: boolean, quiet = false): Promise<void> {
    try {
      await this.ctx.skylink.setMessagePersistence(this.ctx.roomName, on);
      this.#persist.checked = on;
      if (!quiet) this.#status.set(on ? 'Public messages are stored (they must be encrypted)' : 'Messages are not stored', 'ok');
    } catch (err) {
      this.#persist.checked = !on;
      this.#status.set(`Stored messages: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  /** PERSISTENT_MESSAGE_STATE. */
  onPersistence(isPersistent: boolean): void {
    this.#persist.checked = isPersistent;
  }

  async #send(): Promise<void> {
    const text = this.#text.value;
    if (text.trim() === '') return;
    const target = this.#target.value === EVERYONE ? undefined : this.#target.value;
    const { skylink, roomName } = this.ctx;
    try {
      if (this.#path.value === 'p2p') await skylink.sendP2PMessage(roomName, text, target);
      else await skylink.sendMessage(roomName, text, target);
      this.#text.value = '';
      this.#status.clear();
    } catch (err) {
      this.#status.set(`Not sent: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  /** ON_INCOMING_MESSAGE (ours too: the SDK echoes what we send with `isSelf`). */
  addMessage(detail: IncomingMessageDetail): void {
    const m: SkylinkMessage = detail.message;
    const target = Array.isArray(m.targetPeerId) ? m.targetPeerId[0] : m.targetPeerId;
    this.#append({
      sender: detail.isSelf ? 'You' : this.ctx.nameOf(detail.peerId),
      senderId: detail.peerId,
      isSelf: detail.isSelf,
      content: m.content,
      ...(m.timeStamp !== undefined ? { timeStamp: m.timeStamp } : {}),
      isPrivate: m.isPrivate,
      viaP2P: m.isDataChannel,
      encrypted: isEncrypted(m),
      stored: false,
      ...(m.error ? { error: m.error.message } : {}),
      ...(m.isPrivate && detail.isSelf && typeof target === 'string' ? { privateWith: this.ctx.nameOf(target) } : {}),
    });
  }

  /** STORED_MESSAGES / getStoredMessages result (duplicates are skipped). */
  addStored(messages: StoredMessage[]): void {
    const self = this.ctx.selfId();
    for (const m of messages) {
      const key = `${m.senderPeerId}|${m.timeStamp}|${contentText(m.content)}`;
      if (this.#seenStored.has(key)) continue;
      this.#seenStored.add(key);
      this.#append({
        sender: m.senderPeerId === self ? 'You' : this.ctx.nameOf(m.senderPeerId),
        senderId: m.senderPeerId,
        isSelf: m.senderPeerId === self,
        content: m.content,
        timeStamp: m.timeStamp,
        isPrivate: false,
        viaP2P: false,
        encrypted: isEncrypted(m),
        stored: true,
        ...(m.error ? { error: m.error.message } : {}),
      });
    }
  }

  #append(e: Entry): void {
    const badges: HTMLElement[] = [];
    if (e.isPrivate) badges.push(el('span', { class: 'badge', text: e.privateWith ? `private to ${e.privateWith}` : 'private' }));
    badges.push(el('span', { class: 'badge', text: e.viaP2P ? 'P2P' : 'server' }));
    if (e.encrypted) badges.push(el('span', { class: 'badge badge-encrypted', text: 'encrypted' }));
    if (e.stored) badges.push(el('span', { class: 'badge badge-stored', text: 'stored' }));
    const body = e.error
      ? el('p', { class: 'message-body message-error', text: `Could not decrypt: ${e.error}` })
      : el('p', { class: 'message-body', text: contentText(e.content) });
    const item = el(
      'li',
      {
        class: `message${e.isSelf ? ' message-self' : ''}`,
        'data-private': String(e.isPrivate),
        'data-path': e.viaP2P ? 'p2p' : 'signaling',
        'data-encrypted': String(e.encrypted),
        'data-stored': String(e.stored),
        'data-sender-id': e.senderId,
      },
      [
        el('div', { class: 'message-meta' }, [
          el('strong', { class: 'message-sender', text: e.sender }),
          el('time', { text: formatTime(e.timeStamp) }),
          ...badges,
        ]),
        body,
      ],
    );
    if (e.stored) {
      // History goes above the live messages, in time order.
      const firstLive = [...this.#list.children].find((c) => (c as HTMLElement).dataset.stored !== 'true');
      this.#list.insertBefore(item, firstLive ?? null);
    } else this.#list.append(item);
    this.#list.scrollTop = this.#list.scrollHeight;
  }
}
