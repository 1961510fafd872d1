/**
 * The evaluation's plots (ROC, precision–recall, calibration, confusion matrix: SVG, from
 * src/evaluation/plots) as PNG files beside the report, since pull-request comments and most
 * Markdown viewers do not show SVG attachments. resvg renders them with the system's fonts.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { ArtifactStore } from '../artifacts/index.js';

export interface RenderedPlot {
  name: string;
  file: string;
}

/** Renders every plots/*.svg of an evaluate report folder into `outDir`; returns the files written. */
export async function renderReportPlots(artifacts: ArtifactStore, { reportDigest, outDir }: { reportDigest: string; outDir: string }): Promise<{ plots: RenderedPlot[]; problem: string | null }> {
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-plots-'));
  try {
    await artifacts.materializeDirectory(reportDigest, join(tmp, 'report'));
    const dir = join(tmp, 'report', 'plots');
    const names = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.svg')).sort(byPlotOrder);
    const plots: RenderedPlot[] = [];
    for (const name of names) {
      const png = await svgToPng(await readFile(join(dir, name), 'utf8'));
      const file = `${name.slice(0, -4)}.png`;
      await writeFile(join(outDir, file), png);
      plots.push({ name: name.slice(0, -4), file });
    }
    return { plots, problem: null };
  } catch (e) {
    return { plots: [], problem: `the plots could not be rendered: ${errorMessage(e)}` };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}

const ORDER = ['roc', 'pr', 'calibration', 'confusion'];
function byPlotOrder(a: string, b: string): number {
  const rank = (f: string) => {
    const i = ORDER.indexOf(f.slice(0, -4));
    return i < 0 ? ORDER.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}
