import { z } from 'zod';
import type { Incident, IncidentKind } from './state.js';

export const INCIDENT_KINDS = [
  'cpu_burst',
  'memory_leak',
  'bad_deploy',
  'log_message',
  'event_message',
  'alert_annotation',
] as const satisfies readonly IncidentKind[];

const TEXT_KINDS: readonly IncidentKind[] = ['log_message', 'event_message', 'alert_annotation'];

/** Defaults per kind: traffic/leak/error multiplier and how long the incident lasts. */
export const INCIDENT_DEFAULTS: Record<IncidentKind, { multiplier: number; durationMinutes: number }> = {
  cpu_burst: { multiplier: 3, durationMinutes: 30 },
  memory_leak: { multiplier: 1, durationMinutes: 60 },
  bad_deploy: { multiplier: 1, durationMinutes: 60 },
  log_message: { multiplier: 1, durationMinutes: 60 },
  event_message: { multiplier: 1, durationMinutes: 60 },
  alert_annotation: { multiplier: 1, durationMinutes: 60 },
};

export const incidentInputSchema = z
  .object({
    kind: z.enum(INCIDENT_KINDS),
    namespace: z.string().min(1).max(63),
    service: z.string().min(1).max(63),
    /** cpu_burst: traffic multiplier (default 3); memory_leak: leak speed (1 = OOM in ~6 min); bad_deploy: error-rate scale (1 = 25%). */
    multiplier: z.number().positive().max(50).optional(),
    durationMinutes: z
      .number()
      .int()
      .positive()
      .max(7 * 24 * 60)
      .optional(),
    /** Required for log_message, event_message and alert_annotation; the text is used verbatim. */
    text: z.string().min(1).max(4000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (TEXT_KINDS.includes(v.kind) && v.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: `text is required for ${v.kind}` });
    }
  });

export type IncidentInput = z.infer<typeof incidentInputSchema>;
export type { Incident, IncidentKind };
