/**
 * Hand-written SVG. The npm plotting libraries either need a DOM (or a headless browser) to render
 * SVG on a server, or are heavy for four simple charts of lines, rectangles and text. Output is
 * deterministic: coordinates are rounded to 2 decimals and nothing depends on time or randomness.
 */
export const WIDTH = 480;
export const HEIGHT = 440;
const LEFT = 64, RIGHT = 24, TOP = 44, BOTTOM = 64;

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

export function _escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate: at most 2 decimals, no "-0". */
export function _num(x: number): string {
  const s = String(Number(x.toFixed(2)));
  return s === '-0' ? '0' : s;
}

/** The whole document: role="img" with <title> and <desc> as its accessible name and description. */
export function _document(title: string, description: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" font-family="sans-serif" font-size="12">`,
    `<title>${_escape(title)}</title>`,
    `<desc>${_escape(description)}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${_escape(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

export interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  parts: string[];
}

/** A unit-square plot area with a frame, grid lines, ticks every 0.2 and axis labels. */
export function _unitAxes(xLabel: string, yLabel: string): Frame {
  const w = WIDTH - LEFT - RIGHT;
  const h = HEIGHT - TOP - BOTTOM;
  const x = (v: number) => LEFT + v * w;
  const y = (v: number) => TOP + (1 - v) * h;
  const parts = [`<rect x="${LEFT}" y="${TOP}" width="${w}" height="${h}" fill="none" stroke="#333333"/>`];
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    const label = _num(v);
    parts.push(
      `<line x1="${_num(x(v))}" y1="${TOP}" x2="${_num(x(v))}" y2="${TOP + h}" stroke="#e5e5e5"/>`,
      `<line x1="${LEFT}" y1="${_num(y(v))}" x2="${LEFT + w}" y2="${_num(y(v))}" stroke="#e5e5e5"/>`,
      `<line x1="${_num(x(v))}" y1="${TOP + h}" x2="${_num(x(v))}" y2="${TOP + h + 5}" stroke="#333333"/>`,
      `<text x="${_num(x(v))}" y="${TOP + h + 18}" text-anchor="middle">${label}</text>`,
      `<line x1="${LEFT - 5}" y1="${_num(y(v))}" x2="${LEFT}" y2="${_num(y(v))}" stroke="#333333"/>`,
      `<text x="${LEFT - 8}" y="${_num(y(v) + 4)}" text-anchor="end">${label}</text>`,
    );
  }
  parts.push(..._axisLabels(xLabel, yLabel));
  return { x, y, parts };
}

export function _axisLabels(xLabel: string, yLabel: string): string[] {
  const midY = TOP + (HEIGHT - TOP - BOTTOM) / 2;
  return [
    `<text x="${_num(LEFT + (WIDTH - LEFT - RIGHT) / 2)}" y="${HEIGHT - 20}" text-anchor="middle">${_escape(xLabel)}</text>`,
    `<text x="18" y="${_num(midY)}" text-anchor="middle" transform="rotate(-90 18 ${_num(midY)})">${_escape(yLabel)}</text>`,
  ];
}

export const PLOT_AREA = { left: LEFT, top: TOP, width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - BOTTOM };

/** One polyline through the points whose coordinates are finite (NaN ones are left out). */
export function _polyline(frame: Frame, xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, dashed = false): string {
  const points: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) points.push(`${_num(frame.x(xs[i]))},${_num(frame.y(ys[i]))}`);
  }
  const dash = dashed ? ' stroke-dasharray="5 4"' : '';
  return `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`;
}

export interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

/** A boxed legend in a corner of the plot area. */
export function _legend(items: LegendItem[], corner: 'bottom-right' | 'bottom-left'): string[] {
  const rowHeight = 18;
  const width = 28 + Math.max(...items.map((i) => i.label.length)) * 6.5;
  const height = items.length * rowHeight + 8;
  const x0 = corner === 'bottom-right' ? LEFT + PLOT_AREA.width - width - 8 : LEFT + 8;
  const y0 = TOP + PLOT_AREA.height - height - 8;
  const parts = [`<g class="legend"><rect x="${_num(x0)}" y="${_num(y0)}" width="${_num(width)}" height="${height}" fill="#ffffff" fill-opacity="0.9" stroke="#999999"/>`];
  items.forEach((item, i) => {
    const y = y0 + 4 + rowHeight * i + rowHeight / 2;
    const dash = item.dashed ? ' stroke-dasharray="5 4"' : '';
    parts.push(
      `<line x1="${_num(x0 + 6)}" y1="${_num(y)}" x2="${_num(x0 + 22)}" y2="${_num(y)}" stroke="${item.color}" stroke-width="2"${dash}/>`,
      `<text x="${_num(x0 + 26)}" y="${_num(y + 4)}">${_escape(item.label)}</text>`,
    );
  });
  parts.push('</g>');
  return parts;
}
