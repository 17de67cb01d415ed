/**
 * File transfer of one room: send a file to everyone or one peer (`sendBlobData`), accept or reject
 * incoming files (`respondBlobRequest`), progress bars and throughput on both sides, cancel
 * (`cancelBlobTransfer`), and a download link once a file has arrived.
 */
import {
  errorText,
  isNotImplemented,
  SkylinkConstants,
  type DataTransferStateDetail,
  type IncomingDataDetail,
  type IncomingDataRequestDetail,
  type TransferInfo,
} from '../sdk';
import type { PeerSummary, RoomContext } from './RoomContext';
import { el, formatBytes, labelled, setOptions, StatusLine, uid } from './dom';

const S = SkylinkConstants.DATA_TRANSFER_STATE;
const EVERYONE = '';

/** Terminal states: no more progress, no cancel. */
const FINAL = new Set<string>([S.UPLOAD_COMPLETED, S.DOWNLOAD_COMPLETED, S.REJECTED, S.USER_REJECTED, S.CANCEL, S.ERROR]);

interface Row {
  readonly transferId: string;
  readonly peerId: string;
  readonly upload: boolean;
  readonly root: HTMLLIElement;
  readonly progress: HTMLProgressElement;
  readonly percent: HTMLElement;
  readonly stateText: HTMLElement;
  readonly speed: HTMLElement;
  readonly actions: HTMLElement;
  info: TransferInfo;
  state: string;
  startedAt: number | null;
  url: string | null;
}

export class FilePanel {
  readonly element: HTMLElement;
  readonly #file = el('input', { type: 'file', 'data-field': 'file' });
  readonly #target = el('select', { 'data-field': 'file-target' });
  readonly #list: HTMLUListElement;
  readonly #status = new StatusLine();
  readonly #rows = new Map<string, Row>();

  constructor(private readonly ctx: RoomContext) {
    const heading = uid('files-heading');
    this.#list = el('ul', { class: 'transfers', 'aria-live': 'polite', 'aria-labelledby': heading });
    this.setPeers([]);
    const form = el('form', { class: 'file-form', 'aria-label': 'Send a file' }, [
      el('div', { class: 'row grow' }, [labelled('File', this.#file), labelled('To', this.#target)]),
      el('button', { type: 'submit', class: 'btn btn-primary', text: 'Send file' }),
    ]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#send();
    });
    this.element = el('section', { class: 'panel files-panel', 'aria-labelledby': heading }, [
      el('h3', { id: heading, text: 'Files' }),
      form,
      this.#status.element,
      this.#list,
    ]);
  }

  setPeers(peers: PeerSummary[]): void {
    setOptions(this.#target, [{ value: EVERYONE, label: 'Everyone' }, ...peers.map((p) => ({ value: p.id, label: p.name }))]);
  }

  async #send(): Promise<void> {
    const file = this.#file.files?.[0];
    if (!file) {
      this.#status.set('Choose a file first', 'error');
      return;
    }
    const target = this.#target.value === EVERYONE ? undefined : this.#target.value;
    this.#status.set(`Offering ${file.name} (${formatBytes(file.size)})…`);
    try {
      const results = await this.ctx.skylink.sendBlobData(this.ctx.roomName, file, target);
      const failed = results.flatMap((r) =>
        Object.entries(r)
          .filter(([, v]) => v.error !== undefined)
          .map(([peerId, v]) => `${this.ctx.nameOf(peerId)}: ${errorText(v.error)}`),
      );
      this.#status.set(failed.length ? `${file.name}: ${failed.join('; ')}` : `${file.name} sent`, failed.length ? 'error' : 'ok');
    } catch (err) {
      this.#status.set(`Not sent: ${errorText(err)}`, isNotImplemented(err) ? 'info' : 'error');
    }
  }

  #row(transferId: string, peerId: string, info: TransferInfo): Row {
    const key = `${transferId}|${peerId}`;
    const existing = this.#rows.get(key);
    if (existing) return existing;
    const upload = info.direction === SkylinkConstants.DATA_TRANSFER_DIRECTION.UPLOAD;
    const who = this.ctx.nameOf(peerId);
    const title = upload ? `${info.name} to ${who}` : `${info.name} from ${who}`;
    const progressId = uid('progress');
    const progress = el('progress', { id: progressId, max: 100, value: 0 });
    const percent = el('span', { class: 'percent', text: '0%' });
    const stateText = el('span', { class: 'transfer-state' });
    const speed = el('span', { class: 'speed' });
    const actions = el('span', { class: 'transfer-actions' });
    const root = el(
      'li',
      { class: 'transfer', 'data-transfer-id': transferId, 'data-peer-id': peerId, 'data-direction': upload ? 'upload' : 'download' },
      [
        el('div', { class: 'transfer-title' }, [
          el('span', { class: 'direction', 'aria-hidden': 'true', text: upload ? '↑' : '↓' }),
          el('label', { for: progressId, text: title }),
          el('span', { class: 'size', text: formatBytes(info.originalSize) }),
        ]),
        el('div', { class: 'transfer-progress' }, [progress, percent]),
        el('div', { class: 'transfer-info' }, [stateText, speed, actions]),
      ],
    );
    const row: Row = { transferId, peerId, upload, root, progress, percent, stateText, speed, actions, info, state: '', startedAt: null, url: null };
    this.#rows.set(key, row);
    this.#list.prepend(root);
    return row;
  }

  /** DATA_TRANSFER_STATE. */
  onTransferState(d: DataTransferStateDetail): void {
    const row = this.#row(d.transferId, d.peerId, d.transferInfo);
    row.info = d.transferInfo;
    if (FINAL.has(row.state)) return; // late reports after the end
    row.state = d.state;
    row.root.dataset.state = d.state;
    const who = this.ctx.nameOf(d.peerId);
    switch (d.state) {
      case S.USER_UPLOAD_REQUEST:
        this.#setState(row, `Waiting for ${who} to accept`, true);
        break;
      case S.UPLOAD_REQUEST:
        this.#setState(row, `${who} wants to send you this file`, false);
        this.#prompt(row);
        break;
      case S.UPLOAD_STARTED:
      case S.DOWNLOAD_STARTED:
        row.startedAt = performance.now();
        this.#setState(row, row.upload ? 'Sending' : 'Receiving', true);
        this.#progress(row, d.transferInfo.percentage);
        break;
      case S.UPLOADING:
      case S.DOWNLOADING:
        row.startedAt ??= performance.now();
        if (row.stateText.textContent !== (row.upload ? 'Sending' : 'Receiving')) this.#setState(row, row.upload ? 'Sending' : 'Receiving', true);
        this.#progress(row, d.transferInfo.percentage);
        break;
      case S.UPLOAD_COMPLETED:
      case S.DOWNLOAD_COMPLETED:
        this.#progress(row, 100);
        this.#setState(row, row.upload ? `Delivered to ${who}` : 'Received', false);
        if (!row.upload && d.transferInfo.data) this.#offerDownload(row, d.transferInfo.data);
        break;
      case S.REJECTED:
        this.#setState(row, `${who} declined`, false);
        break;
      case S.USER_REJECTED:
        this.#setState(row, 'You declined', false);
        break;
      case S.CANCEL:
        this.#setState(row, `Cancelled${d.error ? `: ${errorText(d.error.message)}` : ''}`, false);
        break;
      case S.ERROR:
        this.#setState(row, `Failed: ${d.error ? errorText(d.error.message) : 'unknown error'}`, false);
        row.root.dataset.tone = 'error';
        break;
      default:
        break;
    }
  }

  /** ON_INCOMING_DATA_REQUEST: the receiver's prompt (the sender's own request is ignored). */
  onDataRequest(d: IncomingDataRequestDetail): void {
    if (d.isSelf) return;
    const row = this.#row(d.transferId, d.peerId, d.transferInfo);
    if (row.state === '') {
      row.state = S.UPLOAD_REQUEST;
      row.root.dataset.state = row.state;
      this.#setState(row, `${this.ctx.nameOf(d.peerId)} wants to send you this file`, false);
      this.#prompt(row);
    }
  }

  /** ON_INCOMING_DATA: the complete Blob on the receiver. */
  onData(d: IncomingDataDetail): void {
    if (d.isSelf) return;
    const row = this.#rows.get(`${d.transferId}|${d.peerId}`);
    if (row && row.url === null) this.#offerDownload(row, d.data);
  }

  #progress(row: Row, percentage: number): void {
    const pct = Math.max(0, Math.min(100, percentage));
    row.progress.value = pct;
    row.percent.textContent = `${Math.floor(pct)}%`;
    row.root.dataset.percent = String(pct);
    if (row.startedAt !== null) {
      // Average since the data started to flow (at least 1 ms: small files can finish at once).
      const seconds = Math.max(0.001, (performance.now() - row.startedAt) / 1000);
      const bytes = (pct / 100) * row.info.originalSize;
      row.speed.textContent = `${formatBytes(bytes / seconds)}/s`;
    }
  }

  #setState(row: Row, text: string, cancellable: boolean): void {
    row.stateText.textContent = text;
    if (row.url !== null) return; // keep the download link
    row.actions.replaceChildren();
    if (cancellable) {
      const cancel = el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'cancel-transfer', text: 'Cancel' });
      cancel.addEventListener('click', () => void this.#cancel(row));
      row.actions.append(cancel);
    }
  }

  #prompt(row: Row): void {
    const accept = el('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'accept-transfer', text: 'Accept' });
    const reject = el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'reject-transfer', text: 'Reject' });
    accept.addEventListener('click', () => void this.#respond(row, true));
    reject.addEventListener('click', () => void this.#respond(row, false));
    row.actions.replaceChildren(accept, reject);
  }

  async #respond(row: Row, accept: boolean): Promise<void> {
    row.actions.replaceChildren();
    this.#setState(row, accept ? 'Accepted, waiting for data' : 'You declined', accept);
    try {
      // Resolves when the download completes (progress arrives through DATA_TRANSFER_STATE meanwhile).
      await this.ctx.skylink.respondBlobRequest(this.ctx.roomName, row.peerId, row.transferId, accept);
    } catch (err) {
      if (!FINAL.has(row.state)) this.#setState(row, `Failed: ${errorText(err)}`, false);
    }
  }

  async #cancel(row: Row): Promise<void> {
    try {
      await this.ctx.skylink.cancelBlobTransfer(this.ctx.roomName, row.peerId, row.transferId);
    } catch (err) {
      this.#status.set(`Cancel: ${errorText(err)}`, 'error');
    }
  }

  #offerDownload(row: Row, data: Blob): void {
    row.url = URL.createObjectURL(data);
    const link = el('a', { href: row.url, download: row.info.name, class: 'btn btn-small', 'data-action': 'download', text: `Save ${row.info.name}` });
    row.actions.replaceChildren(link);
  }

  /** Frees the download URLs (room left). */
  dispose(): void {
    for (const row of this.#rows.values()) if (row.url) URL.revokeObjectURL(row.url);
  }
}
