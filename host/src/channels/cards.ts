import type { ApprovalView } from '../approval-service.js';

/**
 * The platform messages ("cards") showing each approval, so that every one of them is re-rendered
 * when the approval's status changes (Slack `chat.update`, Telegram `editMessageText`). Only real
 * approvals are tracked, at most 20 messages each; updates of one approval are serialised, and an
 * approval's cards are forgotten a minute after it reached a final status.
 */
export function createCardTracker<Ref>(opts: {
  /** The approval as it is now, or undefined if there is none with this id. */
  approval: (id: string) => ApprovalView | undefined;
  /** Whether two references name the same platform message. */
  same: (a: Ref, b: Ref) => boolean;
  /** Re-renders one message; a failure is logged with `label` and does not stop the others. */
  update: (ref: Ref, approval: ApprovalView) => Promise<unknown>;
  label: string;
}) {
  const cards = new Map<string, Array<{ ref: Ref; rendered: string | null }>>();
  const chains = new Map<string, Promise<void>>();

  return {
    /** Remembers a message showing approval `id`, rendered in status `rendered` (null: not yet). */
    track(id: string, ref: Ref, rendered: string | null): void {
      if (!opts.approval(id)) return;
      const list = cards.get(id) ?? [];
      if (list.length >= 20 || list.some((c) => opts.same(c.ref, ref))) return;
      list.push({ ref, rendered });
      cards.set(id, list);
    },

    /** Re-renders every card of an approval from its current state. */
    refresh(id: string): Promise<void> {
      const run = async () => {
        const a = opts.approval(id);
        if (!a) return;
        for (const card of cards.get(id) ?? []) {
          if (card.rendered === a.status) continue;
          card.rendered = a.status;
          try {
            await opts.update(card.ref, a);
          } catch (err) {
            process.stderr.write(`${opts.label} of ${id} failed: ${String(err)}\n`);
          }
        }
        if (!['pending', 'approved', 'executing'].includes(a.status)) {
          // Final: nothing will change any more.
          setTimeout(() => cards.delete(id), 60_000).unref();
        }
      };
      const next = (chains.get(id) ?? Promise.resolve()).then(run, run);
      chains.set(id, next);
      // The chain only orders updates; once the last one is done it need not be kept.
      void next.then(() => {
        if (chains.get(id) === next) chains.delete(id);
      });
      return next;
    },
  };
}
