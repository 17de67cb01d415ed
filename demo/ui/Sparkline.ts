/** A small live line chart on a <canvas> (one or two series, auto-scaled, last N samples). */
import { el } from './dom';

export interface SparklineSeries {
  color: string;
  values: number[];
}

export class Sparkline {
  readonly element: HTMLCanvasElement;
  readonly #series: SparklineSeries[];

  constructor(
    label: string,
    colors: string[],
    private readonly capacity = 60,
  ) {
    this.element = el('canvas', { class: 'sparkline', role: 'img', 'aria-label': label, width: 160, height: 40 });
    this.#series = colors.map((color) => ({ color, values: [] }));
  }

  /** Appends one sample per series (in the order of the constructor's colors) and redraws. */
  push(...samples: number[]): void {
    samples.forEach((v, i) => {
      const s = this.#series[i];
      if (!s) return;
      s.values.push(Number.isFinite(v) ? v : 0);
      if (s.values.length > this.capacity) s.values.shift();
    });
    this.draw();
  }

  draw(): void {
    const canvas = this.element;
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth || 160;
    const cssHeight = canvas.clientHeight || 40;
    if (canvas.width !== Math.round(cssWidth * ratio) || canvas.height !== Math.round(cssHeight * ratio)) {
      canvas.width = Math.round(cssWidth * ratio);
      canvas.height = Math.round(cssHeight * ratio);
    }
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, cssWidth, cssHeight);
    const max = Math.max(1e-9, ...this.#series.flatMap((s) => s.values));
    const step = cssWidth / Math.max(1, this.capacity - 1);
    for (const s of this.#series) {
      if (s.values.length < 2) continue;
      g.beginPath();
      g.lineWidth = 1.5;
      g.strokeStyle = s.color;
      const offset = this.capacity - s.values.length;
      s.values.forEach((v, i) => {
        const x = (offset + i) * step;
        const y = cssHeight - 2 - (v / max) * (cssHeight - 4);
        if (i === 0) g.moveTo(x, y);
        else g.lineTo(x, y);
      });
      g.stroke();
    }
  }
}
