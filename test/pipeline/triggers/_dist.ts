/**
 * The triggers tests run the compiled Sluice (dist/, what `npm test` builds first): a pipeline
 * run starts its steps as worker processes from dist/, so the scheduler must be the compiled
 * one too. SLUICE_TEST_DIST points at another build. Types come from the sources.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../helpers/cli.js';

export const distDir = process.env.SLUICE_TEST_DIST ?? join(repoRoot, 'dist');
export const distBin = join(distDir, 'sluice.js');

const load = <T>(rel: string): Promise<T> => import(pathToFileURL(join(distDir, rel)).href) as Promise<T>;

export const triggers = () => load<typeof import('../../../src/pipeline/triggers/index.js')>('pipeline/triggers/index.js');
export const projects = () => load<typeof import('../../../src/project.js')>('project.js');
export const deploy = () => load<typeof import('../../../src/deploy/index.js')>('deploy/index.js');
export const monitoring = () => load<typeof import('../../../src/pipeline/triggers/monitoring.js')>('pipeline/triggers/monitoring.js');
export const alerts = () => load<typeof import('../../../src/monitoring/alerts/index.js')>('monitoring/alerts/index.js');
