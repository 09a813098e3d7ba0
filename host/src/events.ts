import { EventEmitter } from 'node:events';
import type { ApprovalView } from './approval-service.js';

export interface AlertView {
  fingerprint: string;
  name: string;
  status: 'firing' | 'resolved';
  severity: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string | null;
  endsAt: string | null;
}

/** Everything the host tells the channels about. Channels render these; they never decide anything. */
export type HostEvent =
  | {
      type:
        | 'approval.requested'
        | 'approval.approved'
        | 'approval.rejected'
        | 'approval.expired'
        | 'approval.executed'
        | 'approval.failed';
      approval: ApprovalView;
    }
  | { type: 'alert.firing' | 'alert.resolved'; alert: AlertView }
  | { type: 'cluster.scaled'; namespace: string; name: string; from: number; to: number; reason: string }
  | { type: 'cluster.node_added'; node: string; nodeGroup: string | null };

export interface EventBus {
  emit(event: HostEvent): void;
  subscribe(fn: (event: HostEvent) => void): () => void;
}

export function createEventBus(): EventBus {
  const ee = new EventEmitter();
  ee.setMaxListeners(100);
  return {
    emit(event) {
      // A failing subscriber never breaks the host or other subscribers.
      for (const fn of ee.listeners('event') as Array<(e: HostEvent) => void>) {
        try {
          fn(event);
        } catch (err) {
          process.stderr.write(`host: event subscriber failed on ${event.type}: ${String(err)}\n`);
        }
      }
    },
    subscribe(fn) {
      ee.on('event', fn);
      return () => ee.off('event', fn);
    },
  };
}
