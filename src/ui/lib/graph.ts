/**
 * Directed graphs drawn as SVG (the pipeline DAG, model lineage): a layered layout — each node
 * in the column after its deepest predecessor, rows ordered by their predecessors' rows — which
 * is enough for pipelines of tens of steps and needs no layout library.
 */
import { svg } from './dom.js';

export interface GraphNode {
  id: string;
  label: string;
  sub?: string;
  /** A status word: colours the node's border (the word is in `sub` or the label too). */
  tone?: 'good' | 'bad' | 'warn' | 'neutral' | 'muted';
  href?: string;
  /** Accessible name of the node's link. */
  title?: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
}

const W = 190;
const H = 50;
const GX = 56;
const GY = 16;

export function layout(nodes: GraphNode[], edges: GraphEdge[]): Map<string, { x: number; y: number; layer: number }> {
  const preds = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (preds.has(e.to) && preds.has(e.from)) preds.get(e.to)!.push(e.from);
  const layer = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    if (layer.has(id)) return layer.get(id)!;
    if (seen.has(id)) return 0; // a cycle (never in a valid pipeline): cut it
    seen.add(id);
    const d = Math.max(-1, ...preds.get(id)!.map((p) => depth(p, seen))) + 1;
    layer.set(id, d);
    return d;
  };
  for (const n of nodes) depth(n.id, new Set());
  const columns: string[][] = [];
  for (const n of nodes) (columns[layer.get(n.id)!] ??= []).push(n.id);
  const row = new Map<string, number>();
  for (const col of columns) {
    if (!col) continue;
    const key = (id: string) => {
      const ps = preds.get(id)!.map((p) => row.get(p) ?? 0);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : 0;
    };
    col.sort((a, b) => key(a) - key(b));
    col.forEach((id, i) => row.set(id, i));
  }
  const pos = new Map<string, { x: number; y: number; layer: number }>();
  for (const n of nodes) pos.set(n.id, { x: layer.get(n.id)! * (W + GX), y: row.get(n.id)! * (H + GY), layer: layer.get(n.id)! });
  return pos;
}

export function drawGraph(nodes: GraphNode[], edges: GraphEdge[], label: string): SVGElement {
  const pos = layout(nodes, edges);
  const width = Math.max(...[...pos.values()].map((p) => p.x + W), W) + 8;
  const height = Math.max(...[...pos.values()].map((p) => p.y + H), H) + 8;
  const root = svg('svg', { class: 'graph', viewBox: `-4 -4 ${width} ${height}`, width, height, role: 'group', 'aria-label': label });
  root.append(
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))),
  );
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + W;
    const y1 = a.y + H / 2;
    const x2 = b.x;
    const y2 = b.y + H / 2;
    const mx = (x1 + x2) / 2;
    const path = svg('path', { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, class: 'edge', 'marker-end': 'url(#arrow)' });
    if (e.label) path.append(svg('title', {}, `${e.from} → ${e.to}: ${e.label}`));
    root.append(path);
  }
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    const g = svg('g', { class: `node ${n.tone ?? 'neutral'}`, transform: `translate(${p.x},${p.y})`, 'data-node': n.id });
    g.append(svg('rect', { width: W, height: H, rx: 6 }));
    g.append(svg('text', { x: 10, y: 20, class: 'label' }, clip(n.label, 26)));
    if (n.sub) g.append(svg('text', { x: 10, y: 38, class: 'sub' }, clip(n.sub, 30)));
    if (n.href) {
      const a = svg('a', { href: n.href, 'data-nav': '', 'aria-label': n.title ?? `${n.label}${n.sub ? `: ${n.sub}` : ''}` });
      a.append(g);
      root.append(a);
    } else root.append(g);
  }
  return root;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
