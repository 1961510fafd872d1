/** Side-by-side comparison of tracking runs: params, latest metrics with deltas, history sparklines. */
import type { MetricPoint, Run } from '../../tracking/index.js';
import { c, fmtNum, table } from '../output.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A metric history as block characters, resampled to at most `width` columns. */
export function sparkline(values: readonly number[], width = 24): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const columns = values.length <= width ? values : Array.from({ length: width }, (_, i) => values[Math.floor((i * values.length) / width)]);
  const min = Math.min(...finite);
  const span = Math.max(...finite) - min;
  return columns.map((v) => (Number.isFinite(v) ? BLOCKS[span === 0 ? 3 : Math.round(((v - min) / span) * (BLOCKS.length - 1))] : ' ')).join('');
}

export function formatDelta(value: number, base: number | undefined): string {
  if (base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || value === base) return '';
  const d = value - base;
  return (d > 0 ? c.green : c.red)(` (${d > 0 ? '+' : ''}${fmtNum(d)})`);
}

export function renderComparison(runs: Run[], histories: Map<string, Map<string, MetricPoint[]>>): string {
  const head = ['', ...runs.map((r) => `${r.info.runName} ${c.dim(r.info.runId.slice(0, 8))}`)];
  const out: string[] = [];
  const keys = (pick: (r: Run) => Record<string, unknown>) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();

  const params = keys((r) => r.params);
  if (params.length) {
    out.push(c.bold('params'));
    out.push(
      table([
        head,
        ...params.map((k) => {
          const values = runs.map((r) => r.params[k]);
          const differ = new Set(values).size > 1;
          return [differ ? c.yellow(k) : k, ...values.map((v) => v ?? c.dim('-'))];
        }),
      ]),
    );
  }
  const metrics = keys((r) => r.metrics);
  if (metrics.length) {
    out.push('', c.bold('metrics') + c.dim(' (latest value; delta against the first run)'));
    out.push(
      table([
        head,
        ...metrics.map((k) => {
          const base = runs[0].metrics[k]?.value;
          return [k, ...runs.map((r, i) => (r.metrics[k] ? fmtNum(r.metrics[k].value) + (i === 0 ? '' : formatDelta(r.metrics[k].value, base)) : c.dim('-')))];
        }),
      ]),
    );
    const charted = metrics.filter((k) => runs.some((r) => (histories.get(r.info.runId)?.get(k)?.length ?? 0) > 1));
    if (charted.length) {
      out.push('', c.bold('history') + c.dim(' (by step)'));
      out.push(
        table([
          head,
          ...charted.map((k) => [
            k,
            ...runs.map((r) => {
              const points = histories.get(r.info.runId)?.get(k) ?? [];
              return points.length > 1 ? `${sparkline(points.map((p) => p.value))} ${c.dim(`${points.length}`)}` : c.dim('-');
            }),
          ]),
        ]),
      );
    }
  }
  return out.join('\n');
}
