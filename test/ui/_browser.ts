/**
 * Debian's chromium driven by playwright-core: never a downloaded browser. Without chromium the
 * UI tests are skipped locally (with a message) and fail under CI=true.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '../helpers/cli.js';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumPath(): string | null {
  const exe = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(exe)) return exe;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`No chromium at ${exe}: CI must run the UI tests (install it with scripts/ci/chromium.sh, or set SLUICE_CHROMIUM)`);
  }
  process.stderr.write(`UI tests skipped: no chromium at ${exe} (apt-get install chromium, or set SLUICE_CHROMIUM)\n`);
  return null;
}

export function launch(exe: string): Promise<Browser> {
  return chromium.launch({ executablePath: exe, args: CHROMIUM_FLAGS });
}

export const SHOTS = join(repoRoot, 'test-results', 'ui');
export function shotPath(name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}
