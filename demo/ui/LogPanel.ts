/**
 * Log panel fed by `SkylinkLogger.setHandler` (the SDK redacts secrets before handing entries out),
 * plus the demo's own lines. Level selector (`SkylinkLogger.setLevel`), clear, last 500 entries.
 */
import { SkylinkLogger } from '../sdk';
import { el, labelled, setOptions } from './dom';

const MAX_ENTRIES = 500;
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

interface LogContextLike {
  roomName?: string;
  peerId?: string;
  tag?: string;
}

function dataText(data: unknown): string {
  if (data === undefined) return '';
  try {
    const text = JSON.stringify(data);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return '';
  }
}

export class LogPanel {
  readonly element: HTMLElement;
  readonly #list = el('ol', { class: 'log-list', role: 'log', 'aria-live': 'polite', 'aria-label': 'SDK log' });
  readonly #level = el('select', { 'data-field': 'log-level' });

  constructor() {
    setOptions(this.#level, LEVELS.map((l) => ({ value: l, label: l })));
    this.#level.value = 'INFO';
    this.#level.addEventListener('change', () => SkylinkLogger.setLevel(this.#level.value));
    const clear = el('button', { type: 'button', class: 'btn btn-small', text: 'Clear log' });
    clear.addEventListener('click', () => this.#list.replaceChildren());
    this.element = el('section', { class: 'panel log-panel', 'aria-labelledby': 'log-heading' }, [
      el('div', { class: 'log-header' }, [el('h2', { id: 'log-heading', text: 'Log' }), labelled('Level', this.#level), clear]),
      this.#list,
    ]);
  }

  /** Routes the SDK's log entries here (the browser console keeps them too). */
  attach(): void {
    SkylinkLogger.setLevel(this.#level.value);
    SkylinkLogger.setHandler((level, message, context, data) => this.add(level, message, context, data));
  }

  add(level: string, message: string, context: LogContextLike = {}, data?: unknown): void {
    const where = [context.roomName, context.peerId?.slice(0, 8), context.tag].filter(Boolean).join(' · ');
    const item = el('li', { class: `log-entry log-${level.toLowerCase()}`, 'data-level': level }, [
      el('time', { text: new Date().toLocaleTimeString() }),
      el('span', { class: 'log-level', text: level }),
      where ? el('span', { class: 'log-where', text: where }) : null,
      el('span', { class: 'log-message', text: message }),
      data !== undefined ? el('code', { class: 'log-data', text: dataText(data) }) : null,
    ]);
    const stick = this.#list.scrollTop + this.#list.clientHeight >= this.#list.scrollHeight - 8;
    this.#list.append(item);
    while (this.#list.childElementCount > MAX_ENTRIES) this.#list.firstElementChild?.remove();
    if (stick) this.#list.scrollTop = this.#list.scrollHeight;
  }
}
