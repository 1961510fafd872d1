/** What every page shares: loading with a visible error, and small building blocks. */
import { ApiError } from '../lib/api.js';
import { h, replace, type Child } from '../lib/dom.js';

export function errorBox(e: unknown): HTMLElement {
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof ApiError ? e.hint : undefined;
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Could not load: '), message, hint ? h('div', {}, hint) : null);
}

/** Fills `el` with what `build` returns, or with the error it throws. */
export async function fill(el: HTMLElement, build: () => Promise<Child>): Promise<void> {
  try {
    const content = await build();
    replace(el, content);
  } catch (e) {
    replace(el, errorBox(e));
  }
}

export const kv = (pairs: [string, Child][]) => h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

/** The metrics a card shows first: the headline ones, then the rest. */
export function headlineMetrics(metrics: Record<string, number>, n = 3): [string, number][] {
  const order = ['roc_auc', 'accuracy', 'f1', 'pr_auc', 'rmse', 'r2'];
  const keys = Object.keys(metrics).filter((k) => !k.includes('.') && !['tp', 'fp', 'tn', 'fn', 'rows'].includes(k));
  keys.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return keys.slice(0, n).map((k) => [k, metrics[k]]);
}
