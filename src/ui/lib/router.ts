/**
 * A history-API router: a table of path patterns (`/models/:name`), each mapped to a page
 * function that fills the main element. Links marked `data-nav` are handled without a reload;
 * every page has its own URL, so any object can be linked to and reloaded (the server answers
 * index.html for unknown page paths).
 */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  main: HTMLElement;
  /** Aborted when the user leaves the page: pending loads, timers and event streams stop. */
  signal: AbortSignal;
}
export type Page = (ctx: PageContext) => Promise<void> | void;

interface Entry {
  parts: string[];
  page: Page;
  title: string;
}

const routes: Entry[] = [];
let current: AbortController | undefined;
let onNavigate: (path: string) => void = () => {};

export function addRoute(pattern: string, title: string, page: Page): void {
  routes.push({ parts: pattern.split('/').filter(Boolean), page, title });
}

function match(path: string): { entry: Entry; params: Record<string, string> } | null {
  const parts = path.split('/').filter(Boolean);
  for (const entry of routes) {
    if (entry.parts.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const p = entry.parts[i];
      if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(parts[i]);
      else ok = p === parts[i];
    }
    if (ok) return { entry, params };
  }
  return null;
}

export async function render(main: HTMLElement, notFound: Page): Promise<void> {
  current?.abort();
  current = new AbortController();
  const { pathname, search } = window.location;
  const m = match(pathname);
  const ctx: PageContext = { params: m?.params ?? {}, query: new URLSearchParams(search), main, signal: current.signal };
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  document.title = m ? `${m.entry.title} · Sluice` : 'Not found · Sluice';
  onNavigate(pathname);
  try {
    await (m ? m.entry.page(ctx) : notFound(ctx));
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event('sluice:navigate'));
}

/** Updates the query string without re-rendering (filters, sort, chosen columns stay linkable). */
export function setQuery(query: URLSearchParams): void {
  const s = query.toString();
  history.replaceState(null, '', `${window.location.pathname}${s ? `?${s}` : ''}`);
}

export function startRouter(main: HTMLElement, notFound: Page, navigated: (path: string) => void): void {
  onNavigate = navigated;
  let first = true;
  const go = () => {
    const moved = !first;
    first = false;
    void render(main, notFound).then(() => {
      // After a navigation, focus moves to the new page so screen readers and keyboards start
      // there; on the first load it stays at the top (the skip link comes first).
      if (moved && (document.activeElement === document.body || document.activeElement?.closest('[data-nav]'))) main.focus({ preventScroll: true });
    });
  };
  document.addEventListener('click', (e) => {
    // HTML and SVG links alike (the graphs' nodes are SVG <a> elements).
    const a = (e.target as Element | null)?.closest?.('a[data-nav]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.getAttribute('target')) return;
    const url = new URL(a.getAttribute('href') ?? '', window.location.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    if (url.pathname + url.search !== window.location.pathname + window.location.search) navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', go);
  window.addEventListener('sluice:navigate', go);
  go();
}
