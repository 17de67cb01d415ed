/** Tiny DOM helpers (no framework): element creation, formatting, unique ids. */

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/**
 * Creates an element. Attributes: `class`, `text` (textContent), `on*` are not supported on purpose
 * (use addEventListener); boolean `true` sets an empty attribute, `false`/`null`/`undefined` skip it.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

let counter = 0;
/** A document-unique id with a readable prefix (for label/for and aria-* references). */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A labelled form control: `<label for=id>text</label>` + the control (given the id). */
export function labelled<T extends HTMLElement>(text: string, control: T, hint?: string): HTMLDivElement {
  if (!control.id) control.id = uid('ctl');
  return el('div', { class: 'field' }, [el('label', { for: control.id, text }), control, hint ? el('small', { text: hint }) : null]);
}

/** Bytes as `12.3 KB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${value.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Bits per second as `1.2 Mbit/s`. */
export function formatBitrate(bps: number): string {
  if (!Number.isFinite(bps) || bps < 0) return '-';
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  return `${(bps / 1e3).toFixed(0)} kbit/s`;
}

/** `HH:MM:SS` local time of an ISO date (or now). */
export function formatTime(iso?: string): string {
  const date = iso ? new Date(iso) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Replaces a `<select>`'s options, keeping the current value when it still exists. */
export function setOptions(select: HTMLSelectElement, options: Array<{ value: string; label: string }>): void {
  const current = select.value;
  select.replaceChildren(...options.map((o) => el('option', { value: o.value, text: o.label })));
  if (options.some((o) => o.value === current)) select.value = current;
}

/** A short status line (`role=status`) whose text can be set with a tone (info / error / ok). */
export class StatusLine {
  readonly element = el('p', { class: 'status', role: 'status' });

  set(text: string, tone: 'info' | 'error' | 'ok' = 'info'): void {
    this.element.textContent = text;
    this.element.dataset.tone = tone;
  }

  clear(): void {
    this.element.textContent = '';
    delete this.element.dataset.tone;
  }
}
