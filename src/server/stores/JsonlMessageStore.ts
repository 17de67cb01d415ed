/**
 * Embedded persistent store: an append-only JSON-lines file, one `{"k":roomKey,"m":record}` per
 * line, each append flushed with fdatasync. On open the file is read (torn or corrupt lines from a
 * crash are skipped), the bounded index is rebuilt and the file is compacted (temp file + fsync +
 * atomic rename). It is compacted again when dropped lines outnumber live ones.
 *
 * Why not SQLite: Node 20 has no built-in SQLite, and better-sqlite3 has to be compiled with
 * node-gyp on every install here (no prebuilt binaries reachable), which would burden every
 * install of the SDK package; the data is small and bounded, so a journal file is enough.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  DEFAULT_MESSAGE_STORE_LIMITS,
  isStoredMessageRecord,
  MessageIndex,
  type MessageQuery,
  type MessageStore,
  type MessageStoreLimits,
  type StoredMessageRecord,
} from './MessageStore';

export interface JsonlMessageStoreOptions extends Partial<MessageStoreLimits> {
  path: string;
  /** Called with a count of skipped lines after open (for logging). */
  onCorruptLines?: (count: number) => void;
}

export class JsonlMessageStore implements MessageStore {
  readonly #path: string;
  readonly #index: MessageIndex;
  readonly #onCorrupt?: (count: number) => void;
  #file?: FileHandle;
  /** Serialises appends and compactions. */
  #queue: Promise<void> = Promise.resolve();
  #linesInFile = 0;
  #closed = false;

  constructor(options: JsonlMessageStoreOptions) {
    this.#path = options.path;
    this.#onCorrupt = options.onCorruptLines;
    this.#index = new MessageIndex({
      maxPerRoom: options.maxPerRoom ?? DEFAULT_MESSAGE_STORE_LIMITS.maxPerRoom,
      maxTotal: options.maxTotal ?? DEFAULT_MESSAGE_STORE_LIMITS.maxTotal,
      maxAgeMs: options.maxAgeMs ?? DEFAULT_MESSAGE_STORE_LIMITS.maxAgeMs,
    });
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    let corrupt = 0;
    try {
      const lines = createInterface({ input: createReadStream(this.#path, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { k?: unknown; m?: unknown };
          if (typeof entry.k === 'string' && isStoredMessageRecord(entry.m)) this.#index.add(entry.k, entry.m);
          else corrupt++;
        } catch {
          corrupt++;
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (corrupt > 0) this.#onCorrupt?.(corrupt);
    await this.#compact();
  }

  /** Rewrites the file with the live records only, atomically. */
  async #compact(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
    const tmp = `${this.#path}.tmp`;
    const out = await open(tmp, 'w');
    let lines = 0;
    try {
      let chunk = '';
      for (const [key, record] of this.#index.entries()) {
        chunk += `${JSON.stringify({ k: key, m: record })}\n`;
        lines++;
        if (chunk.length > 1 << 20) {
          await out.write(chunk);
          chunk = '';
        }
      }
      if (chunk) await out.write(chunk);
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, this.#path);
    await this.#syncDir();
    this.#linesInFile = lines;
    this.#file = await open(this.#path, 'a');
  }

  async #syncDir(): Promise<void> {
    try {
      const dir = await open(dirname(this.#path), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      // Some platforms cannot fsync a directory; the rename is still atomic.
    }
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  append(roomKey: string, record: StoredMessageRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('message store is closed'));
    const stored = { ...record };
    return this.#enqueue(async () => {
      const file = this.#file;
      if (!file) throw new Error('message store is not open');
      await file.appendFile(`${JSON.stringify({ k: roomKey, m: stored })}\n`);
      await file.datasync();
      this.#index.add(roomKey, stored);
      this.#linesInFile++;
      if (this.#linesInFile > 2 * this.#index.total + 1000) await this.#compact();
    });
  }

  async list(roomKey: string, query?: MessageQuery): Promise<StoredMessageRecord[]> {
    return this.#index.list(roomKey, query);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#enqueue(async () => {
      await this.#file?.close();
      this.#file = undefined;
    });
  }
}
