import { Simulator } from './sim.js';
import { SimSink } from './sink.js';
import type { WorldState } from './state.js';
import type { Store } from './store.js';

/** The shared core of one open handle: fresh reads, and read-modify-write in one immediate transaction. */
export class WorldCore {
  constructor(readonly store: Store) {}

  state(): WorldState {
    return this.store.loadState();
  }

  /**
   * Apply an API change at the current instant: the controllers react at once (new pods appear,
   * the scheduler places them) and the current minute's samples are re-recorded, so every
   * process sees the change in both the cluster and the metrics immediately.
   */
  mutate<T>(fn: (sim: Simulator) => T): T {
    return this.store.write(() => {
      const state = this.store.loadState();
      const sink = new SimSink();
      const sim = new Simulator(state, sink);
      const result = fn(sim);
      sim.reconcile();
      sim.recordSamples();
      sim.commitRng();
      this.store.saveState(state);
      this.store.flush(sink, state.clockMs);
      return result;
    });
  }

  advance(minutes: number): WorldState {
    return this.store.write(() => {
      const state = this.store.loadState();
      const sink = new SimSink();
      const sim = new Simulator(state, sink);
      sim.advanceMinutes(minutes);
      this.store.saveState(state);
      this.store.flush(sink, state.clockMs);
      return state;
    });
  }
}
