import { InvalidArgumentError } from '@devops-ai/core';
import { z } from 'zod';
import { metricsTool } from '../deps.js';
import { isoTime, promql } from '../schemas.js';

const MAX_POINTS = 11_000; // Prometheus' own limit per series

export const queryRange = metricsTool({
  name: 'metrics_query_range',
  title: 'Range PromQL query',
  description: 'Evaluate a PromQL expression over a time range with a step in seconds.',
  input: z.object({
    query: promql,
    start: isoTime,
    end: isoTime,
    stepSeconds: z.number().int().min(1).max(86_400),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ query, start, end, stepSeconds }, { metrics }) => {
    const span = (Date.parse(end) - Date.parse(start)) / 1000;
    if (span <= 0) throw new InvalidArgumentError('end must be after start');
    if (span / stepSeconds > MAX_POINTS) {
      throw new InvalidArgumentError(`too many points (${Math.ceil(span / stepSeconds)}); raise stepSeconds`);
    }
    return { query, series: await metrics.rangeQuery(query, start, end, stepSeconds) };
  },
});
