import {
  type AlertInfo,
  type ClusterPort,
  InvalidArgumentError,
  type MetricsPort,
  NotFoundError,
} from '@devops-ai/core';
import { z } from 'zod';
import { evaluateAlerts } from './alerts.js';
import { podStatus, SandboxClusterPort, toDeploymentInfo } from './cluster-port.js';
import { INCIDENT_DEFAULTS, type IncidentInput, incidentInputSchema } from './incidents.js';
import { SandboxMetricsPort } from './metrics-port.js';
import { HISTORY_MINUTES } from './model.js';
import { createInitialState, groupOf, Simulator } from './sim.js';
import { SimSink } from './sink.js';
import type { Incident } from './state.js';
import { Store } from './store.js';
import { WorldCore } from './world-core.js';

export interface SandboxOptions {
  /** SQLite file path (created if missing) or ':memory:'. */
  path: string;
  /** Seed of a new world (default 42). Reopening a file created with another seed throws config_error. */
  seed?: number;
}

export interface SandboxSnapshot {
  seed: number;
  clock: string;
  namespaces: string[];
  deployments: Array<{
    namespace: string;
    name: string;
    replicas: number;
    readyReplicas: number;
    availableReplicas: number;
    image: string;
    restartedAt: string | null;
  }>;
  hpas: Array<{
    namespace: string;
    name: string;
    minReplicas: number;
    maxReplicas: number;
    targetCpuUtilization: number;
    currentReplicas: number;
    desiredReplicas: number;
    currentCpuUtilization: number | null;
  }>;
  nodes: Array<{
    name: string;
    nodeGroup: string;
    instanceType: string;
    capacityType: string;
    hourlyPrice: number;
    ready: boolean;
    pods: number;
  }>;
  pods: Array<{
    namespace: string;
    name: string;
    deployment: string;
    status: string;
    ready: boolean;
    restarts: number;
    node: string | null;
  }>;
  incidents: Incident[];
  alerts: AlertInfo[];
}

export interface SandboxWorld {
  readonly cluster: ClusterPort;
  readonly metrics: MetricsPort;
  /** ISO clock of the simulated world. */
  now(): string;
  /** Run the world forward: traffic, HPA controller, cluster autoscaler, pods, incidents. */
  advance(minutes: number): { clock: string };
  injectIncident(input: IncidentInput): Incident;
  /** The document served by GET /api/sandbox. */
  snapshot(): SandboxSnapshot;
  close(): void;
}

export const DEFAULT_SEED = 42;
/** The most `advance` accepts in one call (one week). */
export const MAX_ADVANCE_MINUTES = 7 * 24 * 60;

const optionsSchema = z
  .object({ path: z.string().min(1), seed: z.number().int().min(0).max(0xffffffff).optional() })
  .strict();
const advanceSchema = z.number().int().min(1).max(MAX_ADVANCE_MINUTES);

/**
 * Open (and on first open, create) the sandbox world in a SQLite file. Synchronous. Several
 * processes may open the same file: they share one world.
 */
export function openSandbox(opts: SandboxOptions): SandboxWorld {
  const parsed = optionsSchema.safeParse(opts);
  if (!parsed.success)
    throw new InvalidArgumentError(
      `invalid sandbox options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const { path, seed } = parsed.data;
  const store = new Store(path);
  try {
    store.init(() => {
      const sink = new SimSink();
      const state = createInitialState(seed ?? DEFAULT_SEED, sink);
      new Simulator(state, sink).advanceMinutes(HISTORY_MINUTES);
      return { state, sink };
    }, seed);
  } catch (err) {
    store.close();
    throw err;
  }
  return new SandboxWorldImpl(new WorldCore(store));
}

class SandboxWorldImpl implements SandboxWorld {
  readonly cluster: SandboxClusterPort;
  readonly metrics: SandboxMetricsPort;
  private closed = false;

  constructor(private readonly core: WorldCore) {
    this.cluster = new SandboxClusterPort(core);
    this.metrics = new SandboxMetricsPort(core);
  }

  now(): string {
    return new Date(this.core.state().clockMs).toISOString();
  }

  advance(minutes: number): { clock: string } {
    const r = advanceSchema.safeParse(minutes);
    if (!r.success)
      throw new InvalidArgumentError(`minutes must be an integer from 1 to ${MAX_ADVANCE_MINUTES}`);
    const state = this.core.advance(r.data);
    return { clock: new Date(state.clockMs).toISOString() };
  }

  injectIncident(input: IncidentInput): Incident {
    const parsed = incidentInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidArgumentError(
        `invalid incident: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`,
      );
    }
    const inc = parsed.data;
    return this.core.mutate((sim) => {
      const dep = sim.deployment(inc.namespace, inc.service);
      if (!dep) throw new NotFoundError('service', inc.service, inc.namespace);
      const defaults = INCIDENT_DEFAULTS[inc.kind];
      const now = sim.now;
      const duration = inc.durationMinutes ?? defaults.durationMinutes;
      const incident: Incident = {
        id: `inc-${String(sim.state.nextIncident).padStart(4, '0')}`,
        kind: inc.kind,
        namespace: inc.namespace,
        service: inc.service,
        multiplier: inc.multiplier ?? defaults.multiplier,
        durationMinutes: duration,
        text: inc.text ?? null,
        startedAt: new Date(now).toISOString(),
        endsAt: new Date(now + duration * 60_000).toISOString(),
        status: 'active',
      };
      sim.state.nextIncident += 1;
      switch (inc.kind) {
        case 'bad_deploy': {
          const previous = dep.image;
          const [repo = dep.image, tag = '0.0.0'] = splitImage(previous);
          const bad = `${repo}:${bumpMinor(tag)}`;
          incident.image = { bad, previous };
          sim.setImage(dep, bad);
          break;
        }
        case 'log_message': {
          const pods = sim.podsOf(inc.namespace, inc.service).filter((p) => p.state !== 'pending');
          const lines = (inc.text ?? '').split('\n');
          for (const p of pods) {
            lines.forEach((line, i) => {
              sim.sink.log({
                namespace: p.namespace,
                pod: p.name,
                instance: p.restarts,
                timeMs: now + i,
                line,
              });
            });
          }
          break;
        }
        case 'event_message': {
          const pod = sim.podsOf(inc.namespace, inc.service).find((p) => p.state !== 'pending');
          sim.event(
            inc.namespace,
            'Warning',
            'Unhealthy',
            pod ? 'Pod' : 'Deployment',
            pod ? pod.name : dep.name,
            inc.text ?? '',
          );
          break;
        }
        default:
          break;
      }
      sim.state.incidents.push(incident);
      // Pods created from here on must know about a bad image.
      if (inc.kind === 'bad_deploy') sim.deploymentController();
      return incident;
    });
  }

  snapshot(): SandboxSnapshot {
    return this.core.store.read(() => {
      const state = this.core.state();
      return {
        seed: state.seed,
        clock: new Date(state.clockMs).toISOString(),
        namespaces: [...new Set(state.deployments.map((d) => d.namespace))],
        deployments: state.deployments.map((d) => {
          const info = toDeploymentInfo(state, d);
          return {
            namespace: d.namespace,
            name: d.name,
            replicas: d.replicas,
            readyReplicas: info.readyReplicas,
            availableReplicas: info.availableReplicas,
            image: d.image,
            restartedAt: d.restartedAt,
          };
        }),
        hpas: state.hpas.map((h) => ({
          namespace: h.namespace,
          name: h.name,
          minReplicas: h.minReplicas,
          maxReplicas: h.maxReplicas,
          targetCpuUtilization: h.targetCpu,
          currentReplicas: h.currentReplicas,
          desiredReplicas: h.desiredReplicas,
          currentCpuUtilization: h.currentCpu,
        })),
        nodes: state.nodes
          .slice()
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((n) => {
            const g = groupOf(n);
            return {
              name: n.name,
              nodeGroup: g.name,
              instanceType: g.instanceType,
              capacityType: g.capacityType,
              hourlyPrice: g.hourlyPrice,
              ready: n.ready,
              pods: state.pods.filter((p) => p.node === n.name).length,
            };
          }),
        pods: state.pods
          .slice()
          .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
          .map((p) => ({
            namespace: p.namespace,
            name: p.name,
            deployment: p.service,
            status: podStatus(p),
            ready: p.ready,
            restarts: p.restarts,
            node: p.node,
          })),
        incidents: state.incidents,
        alerts: evaluateAlerts(this.core.store, state),
      };
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.core.store.close();
  }
}

function splitImage(image: string): [string, string] {
  const i = image.lastIndexOf(':');
  if (i <= image.lastIndexOf('/')) return [image, 'latest'];
  return [image.slice(0, i), image.slice(i + 1)];
}

function bumpMinor(tag: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  if (!m) return `${tag}-next`;
  return `${m[1]}.${Number(m[2]) + 1}.0`;
}
