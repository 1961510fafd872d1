/**
 * MLflow 3's logged models. Sluice records models in its registry and run artifacts, not as
 * MLflow 3 LoggedModel entities, so the search finds none: MLflow 3 clients ask it before
 * listing a run's artifact folder, and fall back to the run's own artifacts on an empty answer.
 */
import { z } from 'zod';
import { route, type Route } from '../route.js';
import { filterText, id, int64, list, text } from './fields.js';

const SearchLoggedModels = z.object({
  experiment_ids: list(id).optional(),
  filter: filterText,
  max_results: int64.optional(),
  page_token: text(4096).optional(),
});

export const loggedModelRoutes: Route[] = [
  route({
    method: 'POST',
    path: 'logged-models/search',
    tag: 'Runs',
    summary: 'Search MLflow 3 logged models: Sluice keeps none, so the answer is always empty.',
    input: SearchLoggedModels,
    output: z.object({ models: z.array(z.object({})).optional(), next_page_token: z.string().optional() }),
    handler: async () => ({ models: [] }),
  }),
];
