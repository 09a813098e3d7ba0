import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AlertView } from './events.js';
import type { HostDb } from './store/db.js';
import { alerts } from './store/schema.js';

/** Alertmanager's webhook payload (version 4), as documented by Prometheus. */
export const alertmanagerPayloadSchema = z.object({
  version: z.string(),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()),
  commonLabels: z.record(z.string(), z.string()),
  commonAnnotations: z.record(z.string(), z.string()),
  externalURL: z.string(),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: z
          .record(z.string(), z.string())
          .refine((l) => typeof l.alertname === 'string', 'labels.alertname is required'),
        annotations: z.record(z.string(), z.string()),
        startsAt: z.string(),
        endsAt: z.string(),
        generatorURL: z.string(),
        fingerprint: z.string().min(1).max(128),
      }),
    )
    .max(1000),
});

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

type Row = typeof alerts.$inferSelect;

function view(r: Row): AlertView {
  const labels = JSON.parse(r.labels) as Record<string, string>;
  return {
    fingerprint: r.fingerprint,
    name: r.name,
    status: r.status as 'firing' | 'resolved',
    severity: labels.severity ?? null,
    labels,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
  };
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function createAlertStore(db: HostDb, now: () => Date = () => new Date()) {
  return {
    /** Applies a webhook; returns the alerts whose status changed (new firing, or resolved). */
    ingest(payload: AlertmanagerPayload): AlertView[] {
      const changed: AlertView[] = [];
      const tx = db.$client.transaction(() => {
        for (const a of payload.alerts) {
          const prev = db.select().from(alerts).where(eq(alerts.fingerprint, a.fingerprint)).get();
          const row = {
            fingerprint: a.fingerprint,
            name: a.labels.alertname ?? 'unknown',
            status: a.status,
            labels: JSON.stringify(a.labels),
            annotations: JSON.stringify(a.annotations),
            startsAt: a.startsAt,
            endsAt: a.endsAt === ZERO_TIME ? null : a.endsAt,
            updatedAt: now().toISOString(),
          };
          db.insert(alerts).values(row).onConflictDoUpdate({ target: alerts.fingerprint, set: row }).run();
          if (!prev || prev.status !== a.status) changed.push(view(row));
        }
      });
      tx.immediate();
      return changed;
    },
    list(status?: 'firing' | 'resolved'): AlertView[] {
      const rows = status
        ? db.select().from(alerts).where(eq(alerts.status, status)).orderBy(desc(alerts.updatedAt)).all()
        : db.select().from(alerts).orderBy(desc(alerts.updatedAt)).all();
      return rows.map(view);
    },
  };
}
