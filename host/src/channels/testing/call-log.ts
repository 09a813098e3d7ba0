/**
 * The calls a local platform API server (Slack Web API, Telegram Bot API) received, in order, with a
 * wait for a call that has not arrived yet.
 */
export function createCallLog<C extends { method: string }>(api: string) {
  const calls: C[] = [];
  const waiters: Array<() => void> = [];
  return {
    calls,
    record(call: C): void {
      calls.push(call);
      for (const w of waiters.splice(0)) w();
    },
    of: (method: string) => calls.filter((c) => c.method === method),
    /** Waits until a call matching `pred` has arrived (or fails after `ms`). */
    async waitFor(pred: (c: C) => boolean, ms = 15_000): Promise<C> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = calls.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`no matching ${api} call; got ${calls.map((c) => c.method).join(', ')}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}
