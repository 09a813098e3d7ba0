/**
 * Work done after a platform has been answered (Slack's ack, Telegram's 200): a bounded number of jobs
 * run at once, so a burst of clicks cannot starve the acks of the requests still arriving. Jobs start
 * on a later turn of the event loop, after pending I/O.
 */
export function createWorkQueue(opts: {
  concurrency: number;
  onError: (err: unknown) => void;
  /** True while requests are arriving: jobs wait (up to maxDeferMs each) so acks go out first. */
  busy?: () => boolean;
  maxDeferMs?: number;
}) {
  const maxDefer = opts.maxDeferMs ?? 250;
  const jobs: Array<() => Promise<void>> = [];
  let running = 0;
  let idleWaiters: Array<() => void> = [];

  function pump() {
    while (running < opts.concurrency && jobs.length > 0) {
      const job = jobs.shift() as () => Promise<void>;
      running++;
      const queuedAt = performance.now();
      const start = () => {
        if (opts.busy?.() && performance.now() - queuedAt < maxDefer) {
          setTimeout(start, 2);
          return;
        }
        job()
          .catch(opts.onError)
          .finally(() => {
            running--;
            if (running === 0 && jobs.length === 0) for (const w of idleWaiters.splice(0)) w();
            pump();
          });
      };
      setImmediate(start);
    }
  }

  return {
    push(job: () => Promise<void>) {
      jobs.push(job);
      pump();
    },
    get size() {
      return jobs.length + running;
    },
    /** Resolves when every queued job has finished. */
    idle(): Promise<void> {
      if (running === 0 && jobs.length === 0) return Promise.resolve();
      return new Promise((r) => {
        idleWaiters = [...idleWaiters, r];
      });
    },
  };
}

export type WorkQueue = ReturnType<typeof createWorkQueue>;
