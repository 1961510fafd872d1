/**
 * Sluice's web UI: plain TypeScript pages over the server's APIs, a small history router and a
 * DOM helper (lib/). No framework: the pages are mostly read-once views, and the two heavy
 * parts have dedicated engines (uPlot for charts, @tanstack/virtual-core for the runs table).
 */
import './style.css';
import { h, replace } from './lib/dom.js';
import { addRoute, startRouter, type PageContext } from './lib/router.js';
import { initTheme } from './lib/theme.js';
import { comparePage } from './pages/compare.js';
import { datasetPage, datasetsPage } from './pages/datasets.js';
import { deploymentPage, deploymentsPage } from './pages/deployments.js';
import { experimentPage, experimentsPage } from './pages/experiments.js';
import { modelPage, modelsPage, modelVersionPage } from './pages/models.js';
import { monitoringPage } from './pages/monitoring.js';
import { overviewPage } from './pages/overview.js';
import { pipelineRunPage, pipelinesPage } from './pages/pipelines.js';
import { runPage } from './pages/run.js';

const SECTIONS: [string, string][] = [
  ['/', 'Overview'],
  ['/pipelines', 'Pipelines'],
  ['/experiments', 'Experiments'],
  ['/datasets', 'Datasets'],
  ['/models', 'Models'],
  ['/deployments', 'Deployments'],
  ['/monitoring', 'Monitoring'],
];

addRoute('/', 'Overview', overviewPage);
addRoute('/pipelines', 'Pipeline runs', pipelinesPage);
addRoute('/pipelines/:id', 'Pipeline run', pipelineRunPage);
addRoute('/pipelines/:id/steps/:step', 'Pipeline step', pipelineRunPage);
addRoute('/experiments', 'Experiments', experimentsPage);
addRoute('/experiments/:id', 'Experiment', experimentPage);
addRoute('/runs/:id', 'Run', runPage);
addRoute('/compare', 'Compare runs', comparePage);
addRoute('/datasets', 'Datasets', datasetsPage);
addRoute('/datasets/:id', 'Dataset', datasetPage);
addRoute('/models', 'Models', modelsPage);
addRoute('/models/:name', 'Model', modelPage);
addRoute('/models/:name/versions/:version', 'Model version', modelVersionPage);
addRoute('/deployments', 'Deployments', deploymentsPage);
addRoute('/deployments/:env', 'Deployment', deploymentPage);
addRoute('/monitoring', 'Monitoring', monitoringPage);

const notFound = (ctx: PageContext) => {
  replace(ctx.main, h('h1', {}, 'Not found'), h('p', {}, `No page at ${window.location.pathname}.`), h('p', {}, h('a', { href: '/', 'data-nav': true }, 'Back to the overview')));
};

const nav = document.getElementById('nav')!;
const links = SECTIONS.map(([href, label]) => h('a', { href, 'data-nav': true }, label));
nav.append(...links);
const section = (path: string) => SECTIONS.map(([href]) => href).filter((href) => href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`) || (href === '/experiments' && (path.startsWith('/runs/') || path === '/compare')))[0];

initTheme(document.getElementById('theme') as HTMLButtonElement);
startRouter(document.getElementById('main')!, notFound, (path) => {
  const current = section(path);
  for (const a of links) {
    if (a.getAttribute('href') === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
});

// Canvas charts take their colours when drawn: redraw the page's charts in the new theme.
window.addEventListener('sluice:theme', () => {
  if (document.querySelector('#main .chart')) window.dispatchEvent(new Event('sluice:navigate'));
});
