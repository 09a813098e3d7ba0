import { z } from 'zod';
import { metricsTool } from '../deps.js';
import { dnsLabel, isoTime } from '../schemas.js';

export const getGoldenSignals = metricsTool({
  name: 'metrics_get_golden_signals',
  title: 'Golden signals of a service',
  description:
    'Traffic (requests/s), errors (ratio), latency (p50/p95/p99 ms) and saturation (CPU, memory, replicas) of a ' +
    'service over a window ending now, with per-step series.',
  input: z.object({
    namespace: dnsLabel,
    service: dnsLabel,
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(15),
    end: isoTime.optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ namespace, service, windowMinutes, end }, { metrics }) =>
    metrics.goldenSignals({ namespace, service, windowMinutes, ...(end ? { end } : {}) }),
});
