/**
 * Resident memory of a process and all its descendants, read from /proc (Linux). Used to stop a
 * step that goes over its memory limit: an rlimit on address space would break V8 and DuckDB,
 * which reserve far more virtual memory than they use, so RSS is polled instead.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_SIZE = 4096;

export const canMeasureMemory = process.platform === 'linux';

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

function rssOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return Number(fields[1]) * PAGE_SIZE;
  } catch {
    return 0;
  }
}

export function treeRssBytes(rootPid: number): number {
  if (!canMeasureMemory) return 0;
  let total = 0;
  const stack = [rootPid];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rssOf(pid);
    stack.push(...childrenOf(pid));
  }
  return total;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
