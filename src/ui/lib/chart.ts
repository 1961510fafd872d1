/**
 * Charts. Line charts (metric histories, drift and accuracy over time) use uPlot: it draws on a
 * canvas and keeps 100,000 points well under a second. Bar charts of a few dozen bins (profiles,
 * distributions) are plain SVG, which stays crisp and needs no canvas.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, svg } from './dom.js';

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number | null>;
}

const PALETTE = ['#3a7bd5', '#e4572e', '#17a398', '#f3a712', '#8f5bd6', '#d63a8f', '#5a8f29', '#6b6b6b'];
const cssVar = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/**
 * A line chart in `el`. Series with different x values are joined on one x axis. The time the
 * first draw took is kept in the element's `data-draw-ms`, and when it ended (ms since
 * navigation) in `data-drawn-at`: the UI benchmark reads both.
 */
export function lineChart(el: HTMLElement, series: Series[], opts: { title: string; xLabel: string; yLabel?: string; time?: boolean; height?: number }): uPlot {
  const tables: uPlot.AlignedData[] = series.map((s) => [Float64Array.from(s.x), Array.from(s.y)]);
  const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
  const text = cssVar('--fg', '#222');
  const grid = cssVar('--grid', '#ddd');
  const axis = (label?: string): uPlot.Axis => ({ label, stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
  const started = performance.now();
  el.classList.add('chart');
  el.setAttribute('role', 'img');
  const n = series.reduce((a, s) => a + s.x.length, 0);
  el.setAttribute('aria-label', `${opts.title}: ${series.map((s) => s.label).join(', ')}; ${n.toLocaleString('en-US')} points`);
  const plot = new uPlot(
    {
      title: opts.title,
      width: Math.max(320, el.clientWidth || 640),
      height: opts.height ?? 260,
      scales: { x: { time: opts.time ?? false } },
      series: [{ label: opts.xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true, points: { show: s.x.length < 60 } }))],
      axes: [axis(opts.xLabel), axis(opts.yLabel)],
      hooks: {
        draw: [
          () => {
            if (el.dataset.drawMs) return;
            el.dataset.drawMs = (performance.now() - started).toFixed(1);
            el.dataset.drawnAt = performance.now().toFixed(1);
          },
        ],
      },
    },
    data,
    el,
  );
  el.dataset.points = String(n);
  // Follow the container's width (window resizes, panels opening).
  const ro = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (w && Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: opts.height ?? 260 });
  });
  ro.observe(el);
  return plot;
}

/** Bars of a histogram or of category counts; with `compare`, two bars per bin (reference vs current). */
export function barChart(labels: string[], counts: number[], opts: { title: string; compare?: { counts: number[]; names: [string, string] }; normalise?: boolean }): HTMLElement {
  const Wd = 420;
  const Ht = 150;
  const norm = (c: number[]) => {
    const total = c.reduce((a, b) => a + b, 0) || 1;
    return opts.normalise ? c.map((v) => v / total) : c;
  };
  const a = norm(counts);
  const b = opts.compare ? norm(opts.compare.counts) : null;
  const max = Math.max(...a, ...(b ?? []), 1e-12);
  const bw = Wd / Math.max(1, labels.length);
  const root = svg('svg', { viewBox: `0 0 ${Wd} ${Ht + 18}`, class: 'bars', role: 'img', 'aria-label': opts.title });
  root.append(svg('title', {}, opts.title));
  labels.forEach((label, i) => {
    const draw = (v: number, cls: string, x: number, w: number, name: string) => {
      const hgt = (v / max) * Ht;
      const r = svg('rect', { x, y: Ht - hgt, width: Math.max(1, w - 1), height: hgt, class: cls });
      r.append(svg('title', {}, `${name}${label}: ${opts.normalise ? `${(v * 100).toFixed(1)}%` : v.toLocaleString('en-US')}`));
      root.append(r);
    };
    if (b) {
      draw(a[i], 'bar ref', i * bw, bw / 2, `${opts.compare!.names[0]} `);
      draw(b[i] ?? 0, 'bar cur', i * bw + bw / 2, bw / 2, `${opts.compare!.names[1]} `);
    } else draw(a[i], 'bar', i * bw, bw, '');
  });
  if (labels.length) {
    root.append(svg('text', { x: 0, y: Ht + 14, class: 'tick' }, labels[0].slice(0, 14)));
    root.append(svg('text', { x: Wd, y: Ht + 14, class: 'tick', 'text-anchor': 'end' }, labels[labels.length - 1].slice(0, 14)));
  }
  const fig = h('figure', { class: 'barfig' }, h('figcaption', {}, opts.title), root);
  if (opts.compare) fig.append(h('div', { class: 'legend' }, h('span', { class: 'key ref' }), opts.compare.names[0], ' ', h('span', { class: 'key cur' }), opts.compare.names[1]));
  return fig;
}
