/**
 * Shows a pipeline run as it happens. On a terminal: step output scrolls above a live list of
 * the running steps with their elapsed time. Elsewhere (CI, pipes): plain prefixed lines.
 */
import { formatGateResult } from '../evaluation/index.js';
import type { RunEvent } from '../pipeline/events.js';
import { formatMs } from '../pipeline/run-step.js';
import { c } from './output.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class RunView {
  private running = new Map<string, number>();
  private partial = new Map<string, string>();
  private footerLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private readonly live: boolean;
  private readonly out: NodeJS.WriteStream;

  constructor(options: { quiet?: boolean; out?: NodeJS.WriteStream } = {}) {
    this.out = options.out ?? process.stdout;
    this.live = this.out.isTTY === true && !process.env.CI;
    this.quiet = options.quiet ?? false;
  }

  private readonly quiet: boolean;

  handle = (e: RunEvent): void => {
    switch (e.type) {
      case 'run-start':
        for (const id of e.abandoned) this.line(c.yellow(`! run ${id} was abandoned (its process died); marked failed`));
        this.line(`${c.bold('sluice run')} ${e.project}  ${c.dim(`run ${e.runId}, ${e.steps.length} steps`)}`);
        if (this.live) this.timer = setInterval(() => this.redraw(), 100);
        break;
      case 'step-start':
        this.running.set(e.step, performance.now());
        this.line(`${c.blue('▸')} ${e.step} ${c.dim(`(${e.kind})`)}`);
        break;
      case 'step-output': {
        if (this.quiet) break;
        const text = (this.partial.get(e.step) ?? '') + e.text;
        const lines = text.split('\n');
        this.partial.set(e.step, lines.pop() ?? '');
        for (const l of lines) this.line(`  ${c.dim(`${e.step} │`)} ${l}`);
        break;
      }
      case 'step-end': {
        this.running.delete(e.step);
        const rest = this.partial.get(e.step);
        if (rest && !this.quiet) this.line(`  ${c.dim(`${e.step} │`)} ${rest}`);
        this.partial.delete(e.step);
        const time = c.dim(formatMs(e.durationMs));
        if (e.status === 'succeeded') this.line(`${c.green('✓')} ${e.step} ${time}`);
        else if (e.status === 'cached') this.line(`${c.green('✓')} ${e.step} ${c.dim('cached, unchanged')}`);
        else if (e.status === 'skipped') this.line(`${c.dim('-')} ${e.step} ${c.dim(`skipped: ${e.reason ?? ''}`)}`);
        else this.line(`${c.red('✗')} ${e.step} ${time}${e.failure && e.failure !== 'error' ? c.red(` [${e.failure}]`) : ''}${e.error ? `\n    ${c.red(e.error)}` : ''}`);
        break;
      }
      case 'gate':
        this.line(formatGateResult(e.result));
        break;
      case 'registered':
        this.line(
          e.existing
            ? `${c.green('✓')} model ${c.bold(`${e.name}@${e.version}`)} is already registered from these exact inputs`
            : `${c.green('✓')} registered model ${c.bold(`${e.name}@${e.version}`)}`,
        );
        break;
      case 'run-end': {
        if (this.timer) clearInterval(this.timer);
        this.clearFooter();
        const verdict = e.status === 'succeeded' ? c.green('succeeded') : e.status === 'blocked' ? c.red('blocked by a gate') : c.red('failed');
        this.line(`run ${e.runId} ${verdict} in ${formatMs(e.durationMs)}`);
        break;
      }
    }
  };

  private line(text: string): void {
    this.clearFooter();
    this.out.write(`${text}\n`);
    this.drawFooter();
  }

  private clearFooter(): void {
    if (!this.live || this.footerLines === 0) return;
    this.out.write(`\x1b[${this.footerLines}A\x1b[0J`);
    this.footerLines = 0;
  }

  private drawFooter(): void {
    if (!this.live || this.running.size === 0) return;
    const now = performance.now();
    const spin = SPINNER[this.frame % SPINNER.length];
    const lines = [...this.running].map(([step, t]) => `${c.yellow(spin)} ${step} ${c.dim(formatMs(now - t))}`);
    this.out.write(`${lines.join('\n')}\n`);
    this.footerLines = lines.length;
  }

  private redraw(): void {
    this.frame++;
    this.clearFooter();
    this.drawFooter();
  }
}
