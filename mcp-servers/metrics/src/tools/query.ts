import { z } from 'zod';
import { metricsTool } from '../deps.js';
import { isoTime, promql } from '../schemas.js';

export const query = metricsTool({
  name: 'metrics_query',
  title: 'Instant PromQL query',
  description:
    'Evaluate a PromQL expression at one instant (default: now). On the sandbox backend only a documented subset ' +
    'of PromQL is available; other expressions return a not_available error.',
  input: z.object({ query: promql, time: isoTime.optional() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  risk: 'low',
  handler: async ({ query, time }, { metrics }) => ({
    query,
    samples: await metrics.instantQuery(query, time),
  }),
});
