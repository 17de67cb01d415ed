/**
 * MessageCrypto: the per-room encryption secrets, selected secret, encryption mode and message-persistence
 * flag, and the message ciphers. A shared service: state is kept per room key, the room reports changes
 * through the constructor callbacks (never through the event manager) and calls {@link MessageCrypto.releaseRoom}
 * when it leaves.
 *
 * Two ciphers (docs/encryption.md):
 * - `compat` (default): crypto-js passphrase AES exactly as Skylink 2.x, so original clients interoperate.
 * - `authenticated` (opt-in): AES-256-GCM via WebCrypto, tamper-evident; `authenticated-only` also refuses
 *   inbound clear-text and 2.x-format messages.
 * Inbound messages are decrypted according to their own format whatever the local mode (except
 * `authenticated-only`); the mode only decides how outgoing messages are encrypted.
 *
 * Secrets are never logged; this class has no logger on purpose.
 * @module
 */
import { SkylinkError, SkylinkErrorCode } from '../errors';
import {
  aeadDecrypt,
  aeadEncrypt,
  defaultWebCrypto,
  deriveAeadKey,
  isAeadEnvelope,
  type AeadContext,
  type WebCryptoLike,
} from './aeadCipher';
import type { SkylinkMessage } from '../types/messaging';
import { compatDecrypt, compatEncrypt } from './compatCipher';

/** How outgoing messages of a room are encrypted (when a secret is selected). */
export const EncryptionMode = Object.freeze({
  /** Skylink 2.x format (crypto-js AES-CBC, unauthenticated); interoperates with original clients. */
  COMPAT: 'compat',
  /** AES-256-GCM envelope; inbound messages of every format are still accepted. */
  AUTHENTICATED: 'authenticated',
  /** As AUTHENTICATED, and inbound clear-text or 2.x-format messages are refused (DECRYPT_FAILED). */
  AUTHENTICATED_ONLY: 'authenticated-only',
} as const);
export type EncryptionMode = (typeof EncryptionMode)[keyof typeof EncryptionMode];

/** How a received message was protected (the public `SkylinkMessage.encryption`). */
export type EncryptionKind = NonNullable<SkylinkMessage['encryption']>;

/** Material for ENCRYPT_SECRETS_UPDATED. Contains secrets: never log it. */
export interface EncryptSecretsUpdate {
  roomKey: string;
  /** Copy of `{ [secretId]: secret }`. */
  encryptSecrets: Record<string, string>;
  /** `''` when none is selected. */
  selectedSecretId: string;
}

/** Material for PERSISTENT_MESSAGE_STATE. */
export interface PersistenceUpdate {
  roomKey: string;
  isPersistent: boolean;
}

/** Constructor options; the callbacks are the only way MessageCrypto reports upwards. */
export interface MessageCryptoOptions {
  /** After every successful setEncryptSecret / deleteEncryptSecrets / setSelectedSecret. */
  onSecretsUpdated?: (update: EncryptSecretsUpdate) => void;
  /** After every successful setMessagePersistence. */
  onPersistenceUpdated?: (update: PersistenceUpdate) => void;
  /**
   * WebCrypto used by the authenticated mode. Default: `globalThis.crypto` when it has `subtle`.
   * `null` disables the authenticated mode (NOT_SUPPORTED).
   */
  webCrypto?: WebCryptoLike | null;
  /** Encryption mode of rooms that never called setEncryptionMode. Default `compat`. */
  defaultMode?: EncryptionMode;
}

/** Result of encrypting a message: the wire `data` and `secretId`. */
export interface EncryptedData {
  data: string;
  secretId: string;
  encryption: Exclude<EncryptionKind, 'none'>;
}

/** A decrypted (or clear-text) message body. */
export interface DecryptedData {
  content: unknown;
  encryption: EncryptionKind;
  /** Present when the message was encrypted. */
  secretId?: string;
}

/** One item of {@link MessageCrypto.decryptAll}. */
export interface DecryptInput {
  data: unknown;
  /** Absent, `null` or `''` = clear text. */
  secretId?: string | null;
  context: AeadContext;
}

/** Per-item outcome of {@link MessageCrypto.decryptAll}: never a rejection. */
export type DecryptResult =
  | ({ ok: true } & DecryptedData)
  | { ok: false; error: SkylinkError; secretId?: string };

/** Room-independent settings of {@link MessageCrypto.initRoom}. */
export interface RoomCryptoConfig {
  /** The key has the persistent-message feature (REST `hasPersistentMessage`). */
  hasPersistentMessage: boolean;
}

interface SecretEntry {
  secret: string;
  /** Derived lazily for the authenticated mode. */
  key?: Promise<CryptoKey>;
}

interface RoomCryptoState {
  secrets: Map<string, SecretEntry>;
  selectedSecretId: string;
  mode: EncryptionMode;
  hasPersistentMessage: boolean;
  isPersistent: boolean;
}

const ERR = Object.freeze({
  SET_SECRET: 'Failed setting secret',
  DELETE_SECRET: 'Failed deleting secret',
  SELECT_SECRET: 'Failed setting selected secret',
  DECRYPT: 'Failed decrypting message',
  ENCRYPT: 'Failed encrypting message',
  PERSISTENCE: 'Failed setting persistent message flag',
  NOT_PROVIDED: 'Secret and / or secret id not provided',
  INVALID_TYPE: 'Secret and secret id must be of type string and not empty',
  NOT_UNIQUE: 'Secret id provided is not unique',
  NOT_FOUND: 'Secret id not found',
  INCORRECT_SECRET: 'Incorrect secret provided',
  FLAG_TYPE: 'Persistent message flag must be of type boolean',
  FEATURE: 'Persistent Message feature is not enabled',
});

/** Per-room secrets, persistence flag and the message ciphers. */
export class MessageCrypto {
  readonly #rooms = new Map<string, RoomCryptoState>();
  readonly #options: MessageCryptoOptions;
  readonly #webCrypto: WebCryptoLike | null;

  constructor(options: MessageCryptoOptions = {}) {
    this.#options = options;
    this.#webCrypto = options.webCrypto === undefined ? defaultWebCrypto() : options.webCrypto;
  }

  /** True when the authenticated modes can be used (WebCrypto present). */
  get supportsAuthenticated(): boolean {
    return this.#webCrypto !== null;
  }

  // ---- room lifecycle ------------------------------------------------------------------------

  /** Sets the room's persistence feature; the persistence flag starts equal to it (2.x behaviour). */
  initRoom(roomKey: string, config: RoomCryptoConfig): void {
    const state = this.#state(roomKey);
    state.hasPersistentMessage = config.hasPersistentMessage;
    state.isPersistent = config.hasPersistentMessage;
  }

  /** Forgets everything about the room (secrets, derived keys, flags). */
  releaseRoom(roomKey: string): void {
    this.#rooms.delete(roomKey);
  }

  /** Room keys with state (for leak checks). */
  roomKeys(): string[] {
    return [...this.#rooms.keys()];
  }

  // ---- secrets (2.x setEncryptSecret & co.) --------------------------------------------------

  /** Adds a secret. Errors (INVALID_ARGUMENT) keep the 2.x wording `Failed setting secret - <reason>`. */
  setEncryptSecret(roomKey: string, secret: unknown, secretId: unknown): void {
    const state = this.#state(roomKey);
    const fail = (reason: string): never => {
      throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, `${ERR.SET_SECRET} - ${reason}`);
    };
    if (!secret) fail(ERR.NOT_PROVIDED);
    if (typeof secret !== 'string') fail(ERR.INVALID_TYPE);
    if (!secretId) fail(ERR.NOT_PROVIDED);
    if (typeof secretId !== 'string') fail(ERR.INVALID_TYPE);
    if (state.secrets.has(secretId as string)) fail(ERR.NOT_UNIQUE);
    state.secrets.set(secretId as string, { secret: secret as string });
    this.#secretsUpdated(roomKey, state);
  }

  /** Copy of the room's `{ [secretId]: secret }` (2.x returned its internal object). */
  getEncryptSecrets(roomKey: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, entry] of this.#rooms.get(roomKey)?.secrets ?? []) out[id] = entry.secret;
    return out;
  }

  /** Deletes one secret, or all when `secretId` is absent/empty; clears the selection if it goes. */
  deleteEncryptSecrets(roomKey: string, secretId?: unknown): void {
    const state = this.#state(roomKey);
    const id = optionalSecretId(state, secretId, ERR.DELETE_SECRET);
    if (id === null) state.secrets.clear();
    else state.secrets.delete(id);
    if (id === null || state.selectedSecretId === id) state.selectedSecretId = '';
    this.#secretsUpdated(roomKey, state);
  }

  /** Selects the secret used to encrypt outgoing messages; absent/empty disables encryption. */
  setSelectedSecret(roomKey: string, secretId?: unknown): void {
    const state = this.#state(roomKey);
    state.selectedSecretId = optionalSecretId(state, secretId, ERR.SELECT_SECRET) ?? '';
    this.#secretsUpdated(roomKey, state);
  }

  /** The selected secret id (`''` when none), which is what 2.x `getSelectedSecret` returned. */
  getSelectedSecretId(roomKey: string): string {
    return this.#rooms.get(roomKey)?.selectedSecretId ?? '';
  }

  /** True when outgoing messages of the room will be encrypted. */
  canEncrypt(roomKey: string): boolean {
    return this.getSelectedSecretId(roomKey) !== '';
  }

  // ---- encryption mode (beyond 2.x) -----------------------------------------------------------

  /** Chooses the cipher for outgoing messages (`compat` by default). */
  setEncryptionMode(roomKey: string, mode: unknown): void {
    if (!Object.values(EncryptionMode).includes(mode as EncryptionMode)) {
      throw new SkylinkError(
        SkylinkErrorCode.INVALID_ARGUMENT,
        `Encryption mode must be one of ${Object.values(EncryptionMode).join(', ')}`,
      );
    }
    if (mode !== EncryptionMode.COMPAT && !this.#webCrypto) {
      throw new SkylinkError(SkylinkErrorCode.NOT_SUPPORTED, 'Authenticated encryption needs WebCrypto (crypto.subtle)');
    }
    this.#state(roomKey).mode = mode as EncryptionMode;
  }

  getEncryptionMode(roomKey: string): EncryptionMode {
    return this.#rooms.get(roomKey)?.mode ?? this.#defaultMode();
  }

  // ---- persistence (2.x setMessagePersistence & co.) ------------------------------------------

  /**
   * Sets the persistence flag. Non-boolean → INVALID_ARGUMENT; key without the feature →
   * FEATURE_NOT_ENABLED (unlike 2.x, the flag is then left unchanged).
   */
  setMessagePersistence(roomKey: string, isPersistent: unknown): void {
    const state = this.#state(roomKey);
    if (typeof isPersistent !== 'boolean') {
      throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, `${ERR.PERSISTENCE} - ${ERR.FLAG_TYPE}`);
    }
    if (!state.hasPersistentMessage) {
      throw new SkylinkError(SkylinkErrorCode.FEATURE_NOT_ENABLED, `${ERR.PERSISTENCE} - ${ERR.FEATURE}`);
    }
    state.isPersistent = isPersistent;
    this.#options.onPersistenceUpdated?.({ roomKey, isPersistent });
  }

  getMessagePersistence(roomKey: string): boolean {
    return this.#rooms.get(roomKey)?.isPersistent ?? false;
  }

  /** The key has the persistent-message feature. */
  hasPersistentMessage(roomKey: string): boolean {
    return this.#rooms.get(roomKey)?.hasPersistentMessage ?? false;
  }

  /** Public messages sent now must be persisted (feature on and flag on). */
  canPersist(roomKey: string): boolean {
    const state = this.#rooms.get(roomKey);
    return !!state && state.hasPersistentMessage && state.isPersistent;
  }

  // ---- 2.x cipher, synchronous ----------------------------------------------------------------

  /**
   * Encrypts `text` with the selected secret in the 2.x format, or returns `null` when no secret is
   * selected.
   */
  encrypt(roomKey: string, text: string): EncryptedData | null {
    const selected = this.#selected(roomKey);
    if (!selected) return null;
    return { data: compatEncrypt(text, selected.entry.secret), secretId: selected.id, encryption: 'compat' };
  }

  /**
   * Decrypts a 2.x ciphertext. Unknown secret id → SECRET_NOT_FOUND; anything else → DECRYPT_FAILED with
   * the underlying error as `cause`.
   */
  decrypt(roomKey: string, secretId: string, ciphertext: unknown): string {
    const entry = this.#secret(roomKey, secretId);
    if (typeof ciphertext !== 'string') {
      throw decryptError('encrypted data is not a string');
    }
    try {
      return compatDecrypt(ciphertext, entry.secret);
    } catch (cause) {
      throw decryptError(ERR.INCORRECT_SECRET, cause);
    }
  }

  // ---- mode-aware, asynchronous ---------------------------------------------------------------

  /**
   * Encrypts a message body with the selected secret in the room's mode, or resolves `null` when no
   * secret is selected. Non-string content is JSON-encoded: compat receivers then get the JSON text
   * (2.x only encrypts strings), authenticated receivers get the value back.
   * `context` is bound into authenticated messages (ignored in compat mode).
   */
  async encryptContent(roomKey: string, content: unknown, context: AeadContext): Promise<EncryptedData | null> {
    const selected = this.#selected(roomKey);
    if (!selected) return null;
    if (this.getEncryptionMode(roomKey) === EncryptionMode.COMPAT) {
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      return { data: compatEncrypt(text, selected.entry.secret), secretId: selected.id, encryption: 'compat' };
    }
    const webCrypto = this.#requireWebCrypto(ERR.ENCRYPT);
    try {
      const key = await this.#aeadKey(webCrypto, selected.id, selected.entry);
      const data = await aeadEncrypt(webCrypto, key, selected.id, JSON.stringify(content), context);
      return { data, secretId: selected.id, encryption: 'authenticated' };
    } catch (cause) {
      throw new SkylinkError(SkylinkErrorCode.ENCRYPT_FAILED, `${ERR.ENCRYPT} - ${describe(cause)}`, { cause });
    }
  }

  /**
   * Decrypts a received body by its own format: no `secretId` = clear text, an authenticated envelope,
   * or a 2.x ciphertext. Rejects with SECRET_NOT_FOUND (secret id not held) or DECRYPT_FAILED (wrong
   * secret, corrupt, tampered, or refused by `authenticated-only`).
   */
  async decryptContent(
    roomKey: string,
    data: unknown,
    secretId: string | null | undefined,
    context: AeadContext,
  ): Promise<DecryptedData> {
    const strict = this.getEncryptionMode(roomKey) === EncryptionMode.AUTHENTICATED_ONLY;
    if (!secretId) {
      if (strict) throw decryptError('clear-text message refused (authenticated-only mode)');
      return { content: data, encryption: 'none' };
    }
    if (!isAeadEnvelope(data)) {
      if (strict) throw decryptError('unauthenticated 2.x-format message refused (authenticated-only mode)');
      return { content: this.decrypt(roomKey, secretId, data), encryption: 'compat', secretId };
    }
    const entry = this.#secret(roomKey, secretId);
    const webCrypto = this.#requireWebCrypto(ERR.DECRYPT);
    let text: string;
    try {
      const key = await this.#aeadKey(webCrypto, secretId, entry);
      text = await aeadDecrypt(webCrypto, key, secretId, data, context);
    } catch (cause) {
      throw decryptError(describe(cause), cause);
    }
    try {
      return { content: JSON.parse(text) as unknown, encryption: 'authenticated', secretId };
    } catch (cause) {
      throw decryptError('authenticated plaintext is not JSON', cause);
    }
  }

  /** Decrypts many bodies (stored messages): one result per input, in order; never rejects. */
  async decryptAll(roomKey: string, inputs: readonly DecryptInput[]): Promise<DecryptResult[]> {
    return Promise.all(
      inputs.map(async (input): Promise<DecryptResult> => {
        const secretId = input.secretId || undefined;
        try {
          const decrypted = await this.decryptContent(roomKey, input.data, secretId, input.context);
          return { ok: true, ...decrypted };
        } catch (err) {
          const error = SkylinkError.from(err, SkylinkErrorCode.DECRYPT_FAILED, `${ERR.DECRYPT} - ${describe(err)}`);
          return secretId === undefined ? { ok: false, error } : { ok: false, error, secretId };
        }
      }),
    );
  }

  // ---- internals ------------------------------------------------------------------------------

  #defaultMode(): EncryptionMode {
    return this.#options.defaultMode ?? EncryptionMode.COMPAT;
  }

  #state(roomKey: string): RoomCryptoState {
    let state = this.#rooms.get(roomKey);
    if (!state) {
      state = {
        secrets: new Map(),
        selectedSecretId: '',
        mode: this.#defaultMode(),
        hasPersistentMessage: false,
        isPersistent: false,
      };
      this.#rooms.set(roomKey, state);
    }
    return state;
  }

  #secretsUpdated(roomKey: string, state: RoomCryptoState): void {
    this.#options.onSecretsUpdated?.({
      roomKey,
      encryptSecrets: this.getEncryptSecrets(roomKey),
      selectedSecretId: state.selectedSecretId,
    });
  }

  #selected(roomKey: string): { id: string; entry: SecretEntry } | null {
    const state = this.#rooms.get(roomKey);
    const entry = state?.selectedSecretId ? state.secrets.get(state.selectedSecretId) : undefined;
    return state && entry ? { id: state.selectedSecretId, entry } : null;
  }

  #secret(roomKey: string, secretId: string): SecretEntry {
    const entry = this.#rooms.get(roomKey)?.secrets.get(secretId);
    if (!entry) {
      throw new SkylinkError(SkylinkErrorCode.SECRET_NOT_FOUND, `${ERR.DECRYPT} - ${ERR.NOT_FOUND}: ${secretId}`);
    }
    return entry;
  }

  #requireWebCrypto(prefix: string): WebCryptoLike {
    if (!this.#webCrypto) {
      throw new SkylinkError(
        SkylinkErrorCode.NOT_SUPPORTED,
        `${prefix} - authenticated encryption needs WebCrypto (crypto.subtle)`,
      );
    }
    return this.#webCrypto;
  }

  /** Derived once per secret and cached on its entry (deleting the secret drops the key). */
  #aeadKey(webCrypto: WebCryptoLike, secretId: string, entry: SecretEntry): Promise<CryptoKey> {
    if (!entry.key) {
      entry.key = deriveAeadKey(webCrypto, entry.secret, secretId);
      entry.key.catch(() => {
        entry.key = undefined;
      });
    }
    return entry.key;
  }
}

/**
 * The secret-id argument of delete/select: absent or `''` → `null` (meaning "all" / "none"); otherwise it
 * must name a secret of the room.
 */
function optionalSecretId(state: RoomCryptoState, secretId: unknown, prefix: string): string | null {
  if (secretId === undefined || secretId === null || secretId === '') return null;
  if (typeof secretId !== 'string') {
    throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, `${prefix} - ${ERR.INVALID_TYPE}`);
  }
  if (!state.secrets.has(secretId)) {
    throw new SkylinkError(SkylinkErrorCode.SECRET_NOT_FOUND, `${prefix} - ${ERR.NOT_FOUND}`);
  }
  return secretId;
}

function decryptError(reason: string, cause?: unknown): SkylinkError {
  return new SkylinkError(
    SkylinkErrorCode.DECRYPT_FAILED,
    `${ERR.DECRYPT} - ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
