/**
 * The Markdown of model cards, as DOM: headings, paragraphs, lists, tables, fenced code, `code`
 * and **bold**.
 * Built from text nodes only (never innerHTML), so a card cannot inject markup.
 */
import { h, type Child } from './dom.js';

function inline(text: string): Child[] {
  const out: Child[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(m[1] !== undefined ? h('code', {}, m[1]) : h('strong', {}, m[2]));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

export function markdown(text: string, options: { headingShift?: number } = {}): HTMLElement {
  const shift = options.headingShift ?? 1;
  const root = h('div', { class: 'markdown' });
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (line.trimStart().startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith('```'); i++) code.push(lines[i]);
      i++;
      root.append(h('pre', { tabindex: 0 }, h('code', {}, code.join('\n'))));
    } else if (heading) {
      const level = Math.min(6, heading[1].length + shift) as 1 | 2 | 3 | 4 | 5 | 6;
      root.append(h(`h${level}`, {}, ...inline(heading[2])));
      i++;
    } else if (/^\s*[-*]\s+/.test(line)) {
      const ul = h('ul', {});
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i])) ul.append(h('li', {}, ...inline(lines[i++].replace(/^\s*[-*]\s+/, ''))));
      root.append(ul);
    } else if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      const head = cells(line);
      i += 2;
      const body: string[][] = [];
      while (i < lines.length && lines[i].trim().startsWith('|')) body.push(cells(lines[i++]));
      root.append(h('table', {}, h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, ...inline(c))))), h('tbody', {}, body.map((r) => h('tr', {}, r.map((c) => h('td', {}, ...inline(c))))))));
    } else if (line.trim() === '') i++;
    else {
      const para: string[] = [];
      while (i < lines.length && lines[i].trim() !== '' && !/^(#{1,6}\s|\s*[-*]\s|\s*\||\s*```)/.test(lines[i])) para.push(lines[i++]);
      if (para.length === 0) para.push(lines[i++]);
      root.append(h('p', {}, ...inline(para.join(' '))));
    }
  }
  return root;
}
