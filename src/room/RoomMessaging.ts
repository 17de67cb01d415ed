/**
 * Messaging for one room: the adapter between {@link SkylinkRoom} (hooks, signaling, data channels,
 * events) and the pure messaging helpers (src/messaging) plus the shared {@link MessageCrypto}.
 *
 * - `sendMessage` goes through the signaling server (encrypted when a secret is selected, persisted when
 *   persistence is on); `sendP2PMessage` goes over each peer's `main` data channel, in one room or in every
 *   joined room ({@link RoomMessaging.sendP2PMessage}). Both resolve once the messages are handed to the
 *   transport, then fire the sender's own ON_INCOMING_MESSAGE (`isSelf: true`) as 2.x does.
 * - Received chat messages (`message`, legacy `public` / `private`, data-channel `MESSAGE` frames) and
 *   `storedMessages` answers become ON_INCOMING_MESSAGE / STORED_MESSAGES. Inbound signaling messages are
 *   processed one after the other (decryption may be asynchronous), so events keep the wire order.
 * - Secrets, the selected secret, the encryption mode and the persistence flag live in MessageCrypto under
 *   this room's own key ({@link RoomMessaging.roomKey}); changes fire ENCRYPT_SECRETS_UPDATED and
 *   PERSISTENT_MESSAGE_STATE. Everything is released when the room is left.
 *
 * Every event detail carries `roomName`. Secrets are never logged.
 * @internal
 */
import { DATA_CHANNEL_MESSAGE_ERROR, DATA_CHANNEL_STATE, DATA_CHANNEL_TYPE } from '../constants';
import type { EncryptionMode, MessageCrypto } from '../crypto/MessageCrypto';
import { parseFrame } from '../data/dataProtocol';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import { parseIncomingChat, prepareChatMessages } from '../messaging/chatMessages';
import { parseSendMessageArgs, parseSendP2PMessageArgs } from '../messaging/messageArgs';
import {
  DEFAULT_MAX_P2P_MESSAGE_BYTES,
  parseP2PMessage,
  planP2PDelivery,
  type P2PRoomDelivery,
  type P2PRoomView,
} from '../messaging/p2pMessages';
import { buildGetStoredMessages, decodeStoredMessages } from '../messaging/storedMessages';
import type { IncomingMessageParts } from '../messaging/types';
import type { DataChannelLike } from '../platform/SkylinkPlatform';
import type {
  ChatMessage,
  PeerAnnouncement,
  PrivateMessage,
  PublicMessage,
  ServerToClientMessage,
  StoredMessagesMessage,
} from '../signaling/protocol';
import type { StoredMessage } from '../types/messaging';
import type { PeerInfo } from '../types/peer';
import { generateUUID } from '../uuid';
import { readRemotePeer } from './roomMessages';
import type { SkylinkRoom } from './SkylinkRoom';

/** How long `getStoredMessages` waits for the server's answer (ms). */
export const STORED_MESSAGES_TIMEOUT_MS = 10_000;

export interface RoomMessagingOptions {
  /** Overrides {@link STORED_MESSAGES_TIMEOUT_MS}. */
  storedMessagesTimeoutMs?: number;
}

/** The joined rooms, as {@link RoomMessaging.sendP2PMessage} needs them. */
export interface MessagingRooms {
  /** The messaging of the room named `roomName` (case-insensitive), if joined. */
  find(roomName: string): RoomMessaging | undefined;
  /** Every room's messaging. */
  all(): RoomMessaging[];
}

interface StoredWaiter {
  resolve: (messages: StoredMessage[]) => void;
  reject: (error: SkylinkError) => void;
  timer: ReturnType<typeof setTimeout>;
}

type InboundChat = ChatMessage | PublicMessage | PrivateMessage;

export class RoomMessaging {
  /** Key of this room in the shared MessageCrypto (unique per joined room instance). */
  readonly roomKey = generateUUID();
  readonly #room: SkylinkRoom;
  readonly #crypto: MessageCrypto;
  readonly #storedTimeoutMs: number;
  /** Listener removers of each peer's main channel. */
  readonly #channels = new Map<string, { channel: DataChannelLike; off: () => void }>();
  readonly #storedWaiters: StoredWaiter[] = [];
  /** Inbound signaling messages are handled in order (decryption can be asynchronous). */
  #inbound: Promise<void> = Promise.resolve();
  /** Outgoing chat messages are encrypted and sent in call order. */
  #outbound: Promise<unknown> = Promise.resolve();
  #initialised = false;
  #released = false;

  constructor(room: SkylinkRoom, crypto: MessageCrypto, options: RoomMessagingOptions = {}) {
    this.#room = room;
    this.#crypto = crypto;
    this.#storedTimeoutMs = options.storedMessagesTimeoutMs ?? STORED_MESSAGES_TIMEOUT_MS;
    room.addHooks({
      signalingMessage: (message) => this.#onSignaling(message),
      dataChannel: (peerId, channel, isMain) => {
        if (isMain) this.#attachChannel(peerId, channel);
      },
      peerClosed: (peerId) => this.#detachChannel(peerId),
      release: () => this.#release(),
    });
  }

  get roomName(): string {
    return this.#room.roomName;
  }

  // ---- secrets, mode, persistence -------------------------------------------------------------

  setEncryptSecret(secret: unknown, secretId: unknown): void {
    this.#active();
    this.#crypto.setEncryptSecret(this.roomKey, secret, secretId);
    this.#emitSecrets();
  }

  getEncryptSecrets(): Record<string, string> {
    return this.#crypto.getEncryptSecrets(this.roomKey);
  }

  deleteEncryptSecrets(secretId?: unknown): void {
    this.#active();
    this.#crypto.deleteEncryptSecrets(this.roomKey, secretId);
    this.#emitSecrets();
  }

  setSelectedSecret(secretId?: unknown): void {
    this.#active();
    this.#crypto.setSelectedSecret(this.roomKey, secretId);
    this.#emitSecrets();
  }

  getSelectedSecret(): string {
    return this.#crypto.getSelectedSecretId(this.roomKey);
  }

  setEncryptionMode(mode: unknown): void {
    this.#active();
    this.#crypto.setEncryptionMode(this.roomKey, mode);
  }

  getEncryptionMode(): EncryptionMode {
    return this.#crypto.getEncryptionMode(this.roomKey);
  }

  /** FEATURE_NOT_ENABLED without the key's persistence feature; fires PERSISTENT_MESSAGE_STATE. */
  setMessagePersistence(isPersistent: unknown): void {
    this.#active();
    this.#room.requireJoined();
    this.#init();
    this.#crypto.setMessagePersistence(this.roomKey, isPersistent);
    const { state } = this.#room;
    this.#room.emit('persistentMessageState', {
      isPersistent: this.#crypto.getMessagePersistence(this.roomKey),
      peerId: state.selfId ?? '',
      peerInfo: state.selfPeerInfo(),
      room: state.roomInfo(),
      roomName: this.roomName,
    });
  }

  getMessagePersistence(): boolean {
    this.#init();
    return this.#crypto.getMessagePersistence(this.roomKey);
  }

  // ---- sendMessage (signaling) ----------------------------------------------------------------

  /**
   * Sends a chat message through the server. Resolves once every wire message is handed to the socket
   * (then fires our own ON_INCOMING_MESSAGE); rejects before sending anything when it cannot be delivered.
   */
  sendMessage(message: unknown, targetPeerId?: unknown, peerSessionId?: unknown): Promise<void> {
    const run = async (): Promise<void> => {
      this.#active();
      const request = parseSendMessageArgs(message, targetPeerId, peerSessionId);
      const selfId = this.#room.requireJoined();
      this.#init();
      const { state } = this.#room;
      const outgoing = await prepareChatMessages(
        {
          crypto: this.#crypto,
          roomKey: this.roomKey,
          rid: state.rid,
          selfId,
          roomSessionId: state.roomSessionId ?? '',
          peerIds: [...state.peers.keys()],
          roomName: this.roomName,
        },
        request,
      );
      this.#active();
      if (this.#room.requireJoined() !== selfId) {
        throw SkylinkError.invalidState('Our peer id changed while the message was prepared; not sent', { roomName: this.roomName });
      }
      for (const wire of outgoing.messages) this.#room.sendSignaling(wire);
      this.#emitIncoming(outgoing.echo, state.selfPeerInfo());
    };
    const result = this.#outbound.then(run, run);
    this.#outbound = result.catch(() => undefined);
    return result;
  }

  // ---- getStoredMessages ----------------------------------------------------------------------

  /**
   * Asks the server for the persisted messages (`roomSessionId` `''`: as the server defines it).
   * Resolves them (decrypted, in time order) when the answer arrives, which also fires STORED_MESSAGES.
   */
  getStoredMessages(roomSessionId?: unknown): Promise<StoredMessage[]> {
    this.#active();
    const selfId = this.#room.requireJoined();
    this.#init();
    if (!this.#crypto.hasPersistentMessage(this.roomKey)) {
      throw new SkylinkError(SkylinkErrorCode.FEATURE_NOT_ENABLED, 'Persistent Message feature is not enabled', { roomName: this.roomName });
    }
    const request = buildGetStoredMessages(this.#room.state.rid, selfId, roomSessionId);
    return new Promise<StoredMessage[]>((resolve, reject) => {
      const waiter: StoredWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.#storedWaiters.indexOf(waiter);
          if (index >= 0) this.#storedWaiters.splice(index, 1);
          reject(SkylinkError.signalingTimeout('getStoredMessages', this.#storedTimeoutMs, { roomName: this.roomName }));
        }, this.#storedTimeoutMs),
      };
      this.#storedWaiters.push(waiter);
      this.#room.sendSignaling(request);
    });
  }

  // ---- sendP2PMessage (data channels) ---------------------------------------------------------

  /**
   * `sendP2PMessage(...args)` with every 2.x overload: in the named room, or in every joined room where
   * the target is found. Returns once every frame is handed to its channel; throws (ROOM_NOT_FOUND,
   * PEER_NOT_FOUND, DATA_CHANNEL_NOT_OPEN, DATA_CHANNEL_DISABLED, MESSAGE_TOO_LARGE...) otherwise.
   * Synchronous (no promise per message): the public method turns a throw into a rejection.
   */
  static sendP2PMessage(args: readonly unknown[], rooms: MessagingRooms): void {
    const request = parseSendP2PMessageArgs(args, (name) => rooms.find(name) !== undefined);
    let selected: RoomMessaging[];
    if (request.roomName !== null) {
      const named = rooms.find(request.roomName) as RoomMessaging;
      named.#requireP2P();
      selected = [named];
    } else {
      selected = rooms.all().filter((m) => !m.#released && m.#room.state.inRoom && m.#room.state.selfId !== null);
      const first = selected[0];
      if (first) first.#requireP2P();
    }
    let maxMessageBytes = Number.POSITIVE_INFINITY;
    for (const messaging of selected) maxMessageBytes = Math.min(maxMessageBytes, messaging.#maxMessageBytes());
    const deliveries = planP2PDelivery(request, selected.map((m) => m.#p2pView()), { maxMessageBytes });
    let failure: SkylinkError | undefined;
    for (const delivery of deliveries) {
      const messaging = selected.find((m) => m.roomName === delivery.roomName);
      const roomFailure = messaging ? messaging.#deliver(delivery) : undefined;
      failure ??= roomFailure;
    }
    if (failure) throw failure;
  }

  #requireP2P(): void {
    this.#active();
    this.#room.requireJoined();
    if (!this.#room.options.enableDataChannel) {
      throw new SkylinkError(SkylinkErrorCode.DATA_CHANNEL_DISABLED, 'Data Channel is disabled', { roomName: this.roomName });
    }
  }

  #p2pView(): P2PRoomView {
    const { state } = this.#room;
    return {
      roomName: this.roomName,
      selfId: state.selfId ?? '',
      peers: [...state.peers.keys()].map((peerId) => ({
        peerId,
        channelOpen: this.#room.peers?.getMainChannel(peerId)?.readyState === 'open',
      })),
    };
  }

  /** The smallest SCTP `maxMessageSize` among our connections (the planner's default when none is known). */
  #maxMessageBytes(): number {
    let limit = Number.POSITIVE_INFINITY;
    for (const peerId of this.#room.state.peers.keys()) {
      const pc = this.#room.peers?.getPeerConnection(peerId) as { sctp?: { maxMessageSize?: number } | null } | null | undefined;
      const size = pc?.sctp?.maxMessageSize;
      if (typeof size === 'number' && size > 0 && size < limit) limit = size;
    }
    return Number.isFinite(limit) ? limit : DEFAULT_MAX_P2P_MESSAGE_BYTES;
  }

  /** Writes the room's frames; fires the self echo when all of them were handed over. Returns the first failure. */
  #deliver(delivery: P2PRoomDelivery): SkylinkError | undefined {
    let failure: SkylinkError | undefined;
    for (const { peerId, payload } of delivery.sends) {
      const channel = this.#room.peers?.getMainChannel(peerId) ?? null;
      try {
        if (!channel || channel.readyState !== 'open') throw new Error(`data channel is ${channel?.readyState ?? 'missing'}`);
        channel.send(payload);
      } catch (cause) {
        const error = new SkylinkError(SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, 'Failed sending message - Data Channel connection is not open', {
          roomName: this.roomName,
          peerId,
          cause,
        });
        failure ??= error;
        if (channel) this.#emitSendError(peerId, channel, error);
      }
    }
    if (failure === undefined) this.#emitIncoming(delivery.echo, () => this.#room.state.selfPeerInfo());
    return failure;
  }

  #emitSendError(peerId: string, channel: DataChannelLike, error: SkylinkError): void {
    this.#room.emit('dataChannelState', {
      state: DATA_CHANNEL_STATE.SEND_MESSAGE_ERROR,
      peerId,
      room: this.#room.state.roomInfo(),
      channelName: channel.label,
      channelType: DATA_CHANNEL_TYPE.MESSAGING,
      bufferAmount: { bufferedAmount: channel.bufferedAmount, bufferedAmountLowThreshold: channel.bufferedAmountLowThreshold },
      error,
      messageType: DATA_CHANNEL_MESSAGE_ERROR.MESSAGE,
      roomName: this.roomName,
    });
  }

  // ---- inbound --------------------------------------------------------------------------------

  #attachChannel(peerId: string, channel: DataChannelLike): void {
    this.#detachChannel(peerId);
    const onMessage = (event: { readonly data: unknown }): void => this.#onChannelMessage(peerId, event.data);
    channel.addEventListener('message', onMessage);
    this.#channels.set(peerId, { channel, off: () => channel.removeEventListener('message', onMessage) });
  }

  #detachChannel(peerId: string): void {
    const entry = this.#channels.get(peerId);
    if (!entry) return;
    this.#channels.delete(peerId);
    entry.off();
  }

  #onChannelMessage(peerId: string, data: unknown): void {
    if (this.#released || typeof data !== 'string') return;
    const frame = parseFrame(data);
    if (frame.kind !== 'protocol' || frame.message.type !== 'MESSAGE') return; // transfers: DataTransferEngine
    const peer = this.#room.getRemotePeer(peerId);
    if (!peer || peerId === this.#room.state.selfId) return;
    this.#emitIncoming(parseP2PMessage(frame.message, peerId), () => this.#room.ops.remoteInfo(peer));
  }

  #onSignaling(message: ServerToClientMessage): void {
    if (this.#released) return;
    switch (message.type) {
      case 'message':
      case 'public':
      case 'private':
        this.#onChat(message);
        return;
      case 'storedMessages':
        this.#onStored(message);
        return;
      default:
        return;
    }
  }

  #onChat(message: InboundChat): void {
    const { state } = this.#room;
    const selfId = state.selfId;
    if (!selfId || message.mid === selfId) return;
    // Taken now: the sender may leave before its message is decrypted. The server only relays members'
    // messages, so an unknown sender joined a moment ago (its welcome is still on the way).
    const peerInfo = this.#room.getPeerInfo(message.mid) ?? state.remotePeerInfo(readRemotePeer(message.mid, {} as PeerAnnouncement), false);
    this.#init();
    this.#enqueue(async () => {
      const parts = await parseIncomingChat({ crypto: this.#crypto, roomKey: this.roomKey, selfId }, message);
      if (parts.message.error) this.#room.log.warn(`could not decrypt a message: ${parts.message.error.message}`, undefined, { peerId: message.mid });
      this.#emitIncoming(parts, peerInfo);
    });
  }

  #onStored(message: StoredMessagesMessage): void {
    this.#init();
    const peerInfo = this.#room.state.selfPeerInfo();
    this.#enqueue(async () => {
      const waiter = this.#storedWaiters.shift();
      if (waiter) clearTimeout(waiter.timer);
      let storedMessages: StoredMessage[];
      try {
        ({ storedMessages } = await decodeStoredMessages(this.#crypto, this.roomKey, message));
      } catch (err) {
        const error = SkylinkError.from(err, SkylinkErrorCode.SIGNALING_ERROR, undefined, { roomName: this.roomName });
        this.#room.log.warn(`unreadable storedMessages answer: ${error.message}`);
        waiter?.reject(error);
        return;
      }
      if (this.#released) return;
      const { state } = this.#room;
      this.#room.emit('storedMessages', {
        storedMessages,
        isSelf: true,
        peerId: state.selfId ?? message.mid,
        peerInfo,
        room: state.roomInfo(),
        roomName: this.roomName,
      });
      waiter?.resolve(storedMessages);
    });
  }

  #enqueue(task: () => Promise<void>): void {
    this.#inbound = this.#inbound.then(task).catch((error: unknown) => this.#room.log.error('message handling failed', error));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Fires ON_INCOMING_MESSAGE; `peerInfo` is only built when someone listens. */
  #emitIncoming(parts: IncomingMessageParts, peerInfo: PeerInfo | (() => PeerInfo)): void {
    if (this.#released || !this.#room.listens('onIncomingMessage')) return;
    this.#room.emit('onIncomingMessage', {
      message: parts.message,
      peerId: parts.peerId,
      peerInfo: typeof peerInfo === 'function' ? peerInfo() : peerInfo,
      isSelf: parts.isSelf,
      room: this.#room.state.roomInfo(),
      roomName: this.roomName,
    });
  }

  #emitSecrets(): void {
    const { state } = this.#room;
    this.#room.emit('encryptSecretsUpdated', {
      encryptSecrets: this.#crypto.getEncryptSecrets(this.roomKey),
      selectedSecretId: this.#crypto.getSelectedSecretId(this.roomKey),
      peerId: state.selfId ?? '',
      peerInfo: state.selfPeerInfo(),
      room: state.roomInfo(),
      roomName: this.roomName,
    });
  }

  /** Applies the key's features once the server accepted us (the persistence flag starts equal to them). */
  #init(): void {
    if (this.#initialised || this.#released || this.#room.state.selfId === null) return;
    this.#initialised = true;
    this.#crypto.initRoom(this.roomKey, { hasPersistentMessage: this.#room.hasPersistentMessage });
  }

  #active(): void {
    if (this.#released) throw SkylinkError.invalidState(`Room "${this.roomName}" was left`, { roomName: this.roomName });
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const peerId of [...this.#channels.keys()]) this.#detachChannel(peerId);
    for (const waiter of this.#storedWaiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(SkylinkError.invalidState(`Left room "${this.roomName}" before the stored messages arrived`, { roomName: this.roomName }));
    }
    this.#crypto.releaseRoom(this.roomKey);
  }
}
