import type { EventBus, HostEvent } from '../events.js';
import { type Notification, toNotification } from './render.js';

export interface NotificationSink {
  name: string;
  send(n: Notification): Promise<void>;
}

export interface HubOptions {
  perMinute: number;
  dedupeSeconds: number;
  now?: () => number;
  onError?: (sink: string, err: unknown) => void;
}

interface Bucket {
  windowStart: number;
  sent: number;
  suppressed: Notification[];
}

/**
 * Fans host events out to the configured sinks (Slack channel, Telegram chat). The same notification
 * (same event on the same object) goes out once per dedupe window; each sink sends at most
 * `perMinute` per minute and tells what it held back in one summary when the next minute starts.
 * Approval requests are never held back: they carry the buttons someone needs.
 */
export function createNotificationHub(bus: EventBus, sinks: NotificationSink[], opts: HubOptions) {
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number>();
  const buckets = new Map<string, Bucket>();
  const stats = { sent: 0, deduplicated: 0, rateLimited: 0 };
  let queue: Promise<void> = Promise.resolve();

  function admit(n: Notification): boolean {
    const t = now();
    for (const [k, at] of seen) if (t - at >= opts.dedupeSeconds * 1000) seen.delete(k);
    if (seen.has(n.key)) {
      stats.deduplicated++;
      return false;
    }
    seen.set(n.key, t);
    return true;
  }

  const flushTimers = new Set<NodeJS.Timeout>();

  async function deliver(sink: NotificationSink, n: Notification | null) {
    const t = now();
    const b = buckets.get(sink.name) ?? { windowStart: t, sent: 0, suppressed: [] };
    buckets.set(sink.name, b);
    if (t - b.windowStart >= 60_000) {
      const held = b.suppressed;
      b.windowStart = t;
      b.sent = 0;
      b.suppressed = [];
      if (held.length > 0) {
        b.sent++;
        await sink.send({
          key: `summary:${t}`,
          type: (held[held.length - 1] as Notification).type,
          severity: held.some((h) => h.severity === 'critical') ? 'critical' : 'info',
          text: `${held.length} notification${held.length === 1 ? '' : 's'} held back by the rate limit in the last minute: ${held
            .slice(-5)
            .map((h) => h.text)
            .join(' · ')}${held.length > 5 ? ' · …' : ''}`,
        });
      }
    }
    if (!n) return;
    if (b.sent >= opts.perMinute && n.type !== 'approval.requested') {
      stats.rateLimited++;
      b.suppressed.push(n);
      if (b.suppressed.length === 1) {
        // Without a later notification the summary would never go out: flush when the minute is over.
        const timer = setTimeout(
          () => {
            flushTimers.delete(timer);
            queue = queue.then(() => deliver(sink, null).catch((err: unknown) => report(sink.name, err)));
          },
          Math.max(0, b.windowStart + 60_000 - t) + 10,
        );
        timer.unref();
        flushTimers.add(timer);
      }
      return;
    }
    b.sent++;
    stats.sent++;
    await sink.send(n);
  }

  const report =
    opts.onError ?? ((s: string, e: unknown) => process.stderr.write(`notify ${s}: ${String(e)}\n`));

  function publish(n: Notification): Promise<void> {
    if (!admit(n)) return queue;
    // One queue: notifications reach each sink in the order the host emitted them.
    queue = queue.then(async () => {
      for (const sink of sinks) {
        try {
          await deliver(sink, n);
        } catch (err) {
          report(sink.name, err);
        }
      }
    });
    return queue;
  }

  const unsubscribe = bus.subscribe((e: HostEvent) => {
    const n = toNotification(e);
    if (n) void publish(n);
  });

  return {
    publish,
    stats,
    /** Resolves when everything published so far has been handed to the sinks. */
    idle: () => queue,
    close() {
      unsubscribe();
      for (const t of flushTimers) clearTimeout(t);
      flushTimers.clear();
    },
  };
}

export type NotificationHub = ReturnType<typeof createNotificationHub>;
