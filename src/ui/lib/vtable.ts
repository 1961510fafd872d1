/**
 * A virtualised table (an ARIA grid): only the rows in view exist in the DOM, placed by
 * @tanstack/virtual-core, so 100,000 rows scroll like 100. Keyboard: arrows, Page Up/Down,
 * Home/End move the active row, Enter opens it, Space selects it (for the compare view).
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import { h } from './dom.js';

export interface Column<R> {
  key: string;
  label: string;
  value: (row: R) => string | number | null | undefined;
  numeric?: boolean;
  /** Sortable when set: the server-side sort expression (MLflow order_by), e.g. `metrics.loss`. */
  sortKey?: string;
  width?: number;
}

export interface VirtualTableOptions<R> {
  label: string;
  rowId: (row: R) => string;
  rowLabel: (row: R) => string;
  onOpen: (row: R) => void;
  onSort?: (sortKey: string) => void;
  sort?: { key: string; asc: boolean };
  selected?: Set<string>;
  onSelect?: (selected: Set<string>) => void;
  rowHeight?: number;
}

export class VirtualTable<R> {
  readonly el: HTMLElement;
  private readonly head: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly body: HTMLElement;
  private rows: R[] = [];
  private columns: Column<R>[] = [];
  private active = 0;
  private readonly v: Virtualizer<HTMLElement, HTMLElement>;
  private readonly cleanup: () => void;
  private readonly selected: Set<string>;
  private readonly rowHeight: number;
  private total = 0;

  constructor(private readonly opts: VirtualTableOptions<R>) {
    this.rowHeight = opts.rowHeight ?? 30;
    this.selected = opts.selected ?? new Set();
    this.head = h('div', { class: 'vt-head', role: 'row', 'aria-rowindex': 1 });
    this.body = h('div', { class: 'vt-body', role: 'rowgroup' });
    this.scroller = h('div', { class: 'vt-scroll', tabindex: 0, role: 'rowgroup', 'aria-label': `${opts.label}: use the arrow keys, Enter opens, Space selects` }, this.body);
    this.el = h('div', { class: 'vt', role: 'grid', 'aria-label': opts.label, 'aria-rowcount': 1 }, this.head, this.scroller);
    this.v = new Virtualizer<HTMLElement, HTMLElement>({
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => this.rowHeight,
      overscan: 12,
      // The scroller's size arrives from a ResizeObserver a frame later; until then, assume its
      // CSS height so the first page of rows shows at once.
      initialRect: { width: 1000, height: 620 },
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.draw(),
    });
    this.cleanup = this.v._didMount();
    this.scroller.addEventListener('keydown', (e) => this.key(e));
    this.scroller.addEventListener('click', (e) => {
      const rowEl = (e.target as Element).closest<HTMLElement>('[data-index]');
      if (!rowEl) return;
      const i = Number(rowEl.dataset.index);
      if ((e.target as Element).closest('input')) return;
      this.setActive(i);
      this.opts.onOpen(this.rows[i]);
    });
    this.scroller.addEventListener('change', (e) => {
      const input = e.target as HTMLInputElement;
      const id = input.dataset.select;
      if (!id) return;
      if (input.checked) this.selected.add(id);
      else this.selected.delete(id);
      input.closest('[role="row"]')?.setAttribute('aria-selected', String(input.checked));
      this.opts.onSelect?.(this.selected);
    });
  }

  setColumns(columns: Column<R>[], sort?: { key: string; asc: boolean }): void {
    this.columns = columns;
    if (sort) this.opts.sort = sort;
    const template = this.template();
    this.head.style.gridTemplateColumns = template;
    this.head.replaceChildren(
      h('div', { role: 'columnheader', class: 'vt-sel' }, h('span', { class: 'sr-only' }, 'Compare')),
      ...columns.map((c) => {
        const sorted = this.opts.sort && c.sortKey === this.opts.sort.key;
        const aria = sorted ? (this.opts.sort!.asc ? 'ascending' : 'descending') : 'none';
        const label = `${c.label}${sorted ? (this.opts.sort!.asc ? ' ▲' : ' ▼') : ''}`;
        return h(
          'div',
          { role: 'columnheader', 'aria-sort': aria, class: c.numeric ? 'num' : '', title: c.label },
          c.sortKey && this.opts.onSort
            ? h('button', { type: 'button', class: 'sort', 'data-sort': c.sortKey, title: `Sort by ${c.label}`, onclick: () => this.opts.onSort!(c.sortKey!) }, label)
            : label,
        );
      }),
    );
    this.redraw();
  }

  /** The rows known so far; `total` is how many exist (more pages may still be loading). */
  setRows(rows: R[], total = rows.length): void {
    this.rows = rows;
    this.total = total;
    this.el.setAttribute('aria-rowcount', String(total + 1));
    this.v.setOptions({ ...this.v.options, count: rows.length });
    this.v._willUpdate();
    this.v.measure();
    this.draw();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  private template(): string {
    return `2.2rem ${this.columns.map((c) => (c.width ? `${c.width}px` : 'minmax(7rem, 1fr)')).join(' ')}`;
  }

  /** Rows in the DOM by index: scrolling adds the few rows coming into view and drops those leaving it. */
  private readonly shown = new Map<number, HTMLElement>();

  /** Redraws every row in view (columns, selection or the active row changed). */
  private redraw(): void {
    for (const el of this.shown.values()) el.remove();
    this.shown.clear();
    this.draw();
  }

  private draw(): void {
    const items = this.v.getVirtualItems();
    this.body.style.height = `${this.v.getTotalSize()}px`;
    const wanted = new Set(items.map((i) => i.index));
    for (const [index, el] of this.shown) {
      if (!wanted.has(index) || !this.rows[index]) {
        el.remove();
        this.shown.delete(index);
      }
    }
    const template = this.template();
    for (const item of items) {
      const r = this.rows[item.index];
      if (!r) continue;
      const have = this.shown.get(item.index);
      if (have) {
        have.style.transform = `translateY(${item.start}px)`;
        continue;
      }
      const row = this.renderRow(r, item.index, template);
      row.style.transform = `translateY(${item.start}px)`;
      this.shown.set(item.index, row);
      this.body.append(row);
    }
    if (wanted.has(this.active)) this.scroller.setAttribute('aria-activedescendant', `vt-row-${this.active}`);
  }

  private renderRow(r: R, index: number, template: string): HTMLElement {
    const id = this.opts.rowId(r);
    const row = h('div', {
      role: 'row',
      class: `vt-row${index === this.active ? ' active' : ''}`,
      id: `vt-row-${index}`,
      'data-index': index,
      'data-id': id,
      'aria-rowindex': index + 2,
      'aria-selected': this.selected.has(id) ? 'true' : 'false',
    });
    row.style.height = `${this.rowHeight}px`;
    row.style.gridTemplateColumns = template;
    row.append(
      h('div', { role: 'gridcell', class: 'vt-sel' }, h('input', { type: 'checkbox', tabindex: -1, 'data-select': id, 'aria-label': `Select ${this.opts.rowLabel(r)} for comparison`, checked: this.selected.has(id) })),
    );
    for (const c of this.columns) {
      const v = c.value(r);
      row.append(h('div', { role: 'gridcell', class: c.numeric ? 'num' : '' }, v === null || v === undefined ? '' : typeof v === 'number' ? fmt(v) : v));
    }
    return row;
  }

  private setActive(i: number): void {
    this.active = Math.max(0, Math.min(this.rows.length - 1, i));
    this.v.scrollToIndex(this.active, { align: 'auto' });
    this.redraw();
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / this.rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.setActive(this.active + moves[e.key]);
    else if (e.key === 'Home') this.setActive(0);
    else if (e.key === 'End') this.setActive(this.rows.length - 1);
    else if (e.key === 'Enter' && this.rows[this.active]) this.opts.onOpen(this.rows[this.active]);
    else if (e.key === ' ' && this.rows[this.active]) {
      const id = this.opts.rowId(this.rows[this.active]);
      if (this.selected.has(id)) this.selected.delete(id);
      else this.selected.add(id);
      this.opts.onSelect?.(this.selected);
      this.redraw();
    } else return;
    e.preventDefault();
  }

  destroy(): void {
    this.cleanup();
  }
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toFixed(4);
}
