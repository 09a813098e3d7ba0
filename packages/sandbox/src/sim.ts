import { oomLines, shutdownLines, startupLines } from './logs.js';
import {
  AUTOSCALER,
  HISTORY_MINUTES,
  HPA_DEFAULTS,
  IMAGE_REGISTRY,
  KUBELET,
  NAMESPACES,
  type NamespaceName,
  NODE_GROUPS,
  type NodeGroupSpec,
  SANDBOX_START_MS,
  SERVICE_ORDER,
  SERVICES,
  type ServiceName,
  STAGING_TRAFFIC_FRACTION,
  TICK_SECONDS,
  ZONES,
} from './model.js';
import { quotaDenial } from './quota.js';
import { fnv1a, hashUnit, k8sSuffix, noiseNormal, Rng, templateHash } from './random.js';
import type { GroupSampleRow, PodSampleRow, SimSink } from './sink.js';
import {
  type DeploymentState,
  FLAG_DOWNSTREAM,
  FLAG_FAULTY,
  FLAG_LEAKING,
  FLAG_OVERLOADED,
  FLAG_SLOW,
  type NodeState,
  type PodObservation,
  type PodState,
  type ServiceObservation,
  type WorldState,
} from './state.js';
import { traceLoad } from './traffic.js';

const TICK_MS = TICK_SECONDS * 1000;

/** One simulation step over a world state, emitting events, logs and samples into the sink. */
export class Simulator {
  readonly rng: Rng;
  constructor(
    readonly state: WorldState,
    readonly sink: SimSink,
  ) {
    this.rng = new Rng(state.rng);
  }

  private nameHashes = new Map<string, number>();

  /** Per-minute noise for a named thing (pod or service) on a channel; independent of call order. */
  noise(name: string, channel: number): number {
    let h = this.nameHashes.get(name);
    if (h === undefined) {
      h = fnv1a(name);
      this.nameHashes.set(name, h);
    }
    return noiseNormal(this.state.seed, h, Math.floor(this.now / 60_000), channel);
  }

  /** Persist the generator position back into the state. */
  commitRng(): void {
    this.state.rng = this.rng.state;
  }

  get now(): number {
    return this.state.clockMs;
  }

  // ---------------------------------------------------------------- main loop

  advanceMinutes(minutes: number): void {
    const ticksPerMinute = 60 / TICK_SECONDS;
    for (let m = 0; m < minutes; m++) {
      for (let t = 0; t < ticksPerMinute; t++) this.tick();
      this.recordSamples();
    }
    this.commitRng();
  }

  tick(): void {
    this.state.clockMs += TICK_MS;
    this.updateIncidents();
    this.kubelet();
    this.observe();
    this.oomCheck();
    this.hpaSync();
    this.reconcile();
  }

  /** Controllers that react at once to an API change (no time passes). */
  reconcile(): void {
    this.deploymentController();
    this.nodeLifecycle();
    this.scheduler();
    this.clusterAutoscaler();
  }

  // ---------------------------------------------------------------- helpers

  deployment(ns: string, name: string): DeploymentState | undefined {
    return this.state.deployments.find((d) => d.namespace === ns && d.name === name);
  }

  podsOf(ns: string, service: string): PodState[] {
    return this.state.pods.filter((p) => p.namespace === ns && p.service === service);
  }

  event(
    ns: string,
    type: 'Normal' | 'Warning',
    reason: string,
    kind: string,
    name: string,
    message: string,
  ): void {
    this.sink.event({ namespace: ns, type, reason, kind, name, message, timeMs: this.now });
  }

  activeIncident(kind: string, ns: string, service: string) {
    return this.state.incidents.find(
      (i) => i.status === 'active' && i.kind === kind && i.namespace === ns && i.service === service,
    );
  }

  // ---------------------------------------------------------------- incidents

  updateIncidents(): void {
    for (const inc of this.state.incidents) {
      if (inc.status !== 'active' || Date.parse(inc.endsAt) > this.now) continue;
      inc.status = 'resolved';
      if (inc.kind === 'bad_deploy' && inc.image) {
        const dep = this.deployment(inc.namespace, inc.service);
        if (dep && dep.image === inc.image.bad) {
          this.setImage(dep, inc.image.previous);
          this.event(
            dep.namespace,
            'Normal',
            'DeploymentRollback',
            'Deployment',
            dep.name,
            `Rolled back deployment "${dep.name}" to image ${inc.image.previous} (revision ${dep.revision})`,
          );
        }
      }
    }
  }

  setImage(dep: DeploymentState, image: string): void {
    dep.image = image;
    this.bumpTemplate(dep);
  }

  bumpTemplate(dep: DeploymentState): void {
    dep.revision += 1;
    dep.generation += 1;
    dep.templateHash = templateHash(
      `${dep.namespace}/${dep.name}:${dep.image}:${dep.restartedAt}:${dep.revision}`,
    );
  }

  // ---------------------------------------------------------------- kubelet

  kubelet(): void {
    const now = this.now;
    for (const pod of this.state.pods) {
      const spec = SERVICES[pod.service];
      if (pod.state === 'creating' && pod.untilMs !== null && now >= pod.untilMs) {
        const pullSeconds = ((pod.untilMs - (pod.scheduledAtMs ?? pod.untilMs)) / 1000).toFixed(3);
        this.event(
          pod.namespace,
          'Normal',
          'Pulled',
          'Pod',
          pod.name,
          `Successfully pulled image "${pod.image}" in ${pullSeconds}s (${pullSeconds}s including waiting). Image size: 187342107 bytes.`,
        );
        this.startContainer(pod);
      } else if (pod.state === 'terminated') {
        pod.state = 'backoff';
        this.event(
          pod.namespace,
          'Warning',
          'BackOff',
          'Pod',
          pod.name,
          `Back-off restarting failed container ${spec.name} in pod ${pod.name}_${pod.namespace}(${podUid(pod)})`,
        );
      } else if (pod.state === 'backoff' && pod.untilMs !== null && now >= pod.untilMs) {
        this.event(
          pod.namespace,
          'Normal',
          'Pulled',
          'Pod',
          pod.name,
          `Container image "${pod.image}" already present on machine`,
        );
        this.startContainer(pod);
      } else if (pod.state === 'running') {
        if (!pod.ready && pod.readyAtMs !== null && now >= pod.readyAtMs) pod.ready = true;
        if (
          pod.containerStartMs !== null &&
          now - pod.containerStartMs >= KUBELET.backoffResetSeconds * 1000
        ) {
          pod.backoffSeconds = 0;
        }
        const leak = this.activeIncident('memory_leak', pod.namespace, pod.service);
        if (leak) {
          // Each pod leaks at its own pace (0.6x to 1.4x), so they do not crash in lockstep.
          const pace = 0.6 + 0.8 * hashUnit(this.state.seed, `leak:${pod.name}`);
          pod.leakMiB += spec.memLimitMiB * 0.1 * leak.multiplier * pace * (TICK_SECONDS / 60);
        }
      }
    }
  }

  startContainer(pod: PodState): void {
    const spec = SERVICES[pod.service];
    pod.state = 'running';
    pod.untilMs = null;
    pod.containerStartMs = this.now;
    pod.readyAtMs = this.now + this.rng.int(KUBELET.readinessSecondsMin, KUBELET.readinessSecondsMax) * 1000;
    pod.ready = false;
    pod.leakMiB = 0;
    pod.pid = pod.restarts === 0 ? 1 : this.rng.int(7, 4000);
    this.event(pod.namespace, 'Normal', 'Created', 'Pod', pod.name, `Created container ${spec.name}`);
    this.event(pod.namespace, 'Normal', 'Started', 'Pod', pod.name, `Started container ${spec.name}`);
    const lines = startupLines(spec, pod.image, this.now);
    lines.forEach((line, i) => {
      this.sink.log({
        namespace: pod.namespace,
        pod: pod.name,
        instance: pod.restarts,
        timeMs: this.now + i,
        line,
      });
    });
  }

  oomCheck(): void {
    for (const pod of this.state.pods) {
      if (pod.state !== 'running') continue;
      const spec = SERVICES[pod.service];
      if (pod.obs.memMiB <= spec.memLimitMiB) continue;
      const startedAt = pod.containerStartMs ?? this.now;
      oomLines(spec, this.now, pod.obs.memMiB).forEach((line, i) => {
        this.sink.log({
          namespace: pod.namespace,
          pod: pod.name,
          instance: pod.restarts,
          timeMs: this.now - 500 + i,
          line,
        });
      });
      const node = pod.node ?? 'unknown';
      const proc = spec.language === 'java' ? 'java' : spec.language === 'go' ? spec.name : spec.language;
      this.event(
        'default',
        'Warning',
        'OOMKilling',
        'Node',
        node,
        `Memory cgroup out of memory: Killed process ${pod.pid} (${proc}) total-vm:${Math.round(
          pod.obs.memMiB * 1700,
        )}kB, anon-rss:${Math.round(pod.obs.memMiB * 1024)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2184kB oom_score_adj:985`,
      );
      pod.lastTermination = {
        reason: 'OOMKilled',
        exitCode: 137,
        startedAtMs: startedAt,
        finishedAtMs: this.now,
      };
      pod.restarts += 1;
      pod.state = 'terminated';
      pod.ready = false;
      pod.readyAtMs = null;
      pod.leakMiB = 0;
      pod.backoffSeconds =
        pod.backoffSeconds === 0
          ? KUBELET.backoffInitialSeconds
          : Math.min(pod.backoffSeconds * 2, KUBELET.backoffMaxSeconds);
      pod.untilMs = this.now + pod.backoffSeconds * 1000;
      pod.obs = { ...pod.obs, rps: 0, cpu: 0, memMiB: 0, flags: pod.obs.flags };
    }
  }

  // ---------------------------------------------------------------- load model

  /** Offered load (requests/s) for a service at the current instant. */
  offeredLoad(ns: NamespaceName, service: ServiceName): number {
    const spec = SERVICES[service];
    const noise = 1 + 0.04 * this.noise(`${ns}/${service}`, 1);
    const burst = this.activeIncident('cpu_burst', ns, service);
    const frac = ns === 'staging' ? STAGING_TRAFFIC_FRACTION : 1;
    return Math.max(0, spec.baseRps * frac * traceLoad(this.now) * noise * (burst ? burst.multiplier : 1));
  }

  /** Compute per-pod and per-service observations at the current instant. */
  observe(): Map<string, ServiceObservation> {
    const out = new Map<string, ServiceObservation>();
    const bySvc = new Map<string, PodState[]>();
    for (const p of this.state.pods) {
      const k = `${p.namespace}/${p.service}`;
      const list = bySvc.get(k);
      if (list) list.push(p);
      else bySvc.set(k, [p]);
    }
    for (const ns of NAMESPACES) {
      for (const service of SERVICE_ORDER) {
        const spec = SERVICES[service];
        const dep = this.deployment(ns, service);
        const pods = bySvc.get(`${ns}/${service}`) ?? [];
        const load = this.offeredLoad(ns, service);
        const ready = pods.filter((p) => p.ready && p.state === 'running');
        // Downstream contribution (callees already observed this instant).
        let downP50 = 0;
        let downP95 = 0;
        let downP99 = 0;
        let downErr = 0;
        for (const [callee, calls] of Object.entries(spec.calls)) {
          const o = out.get(`${ns}/${callee}`);
          if (!o || calls === undefined) continue;
          downP50 += calls * o.p50;
          downP95 += calls * o.p95 * 0.7;
          downP99 += calls * o.p99 * 0.8;
          downErr += calls * o.errorRatio * 0.9;
        }
        for (const p of pods) {
          if (!(p.ready && p.state === 'running')) {
            const idle = p.state === 'running' ? spec.idleCores : 0;
            const mem = p.state === 'running' ? spec.baseMemMiB * 0.8 + p.leakMiB : 0;
            p.obs = { rps: 0, cpu: idle, memMiB: mem, errorRatio: 0, p50: 0, p95: 0, p99: 0, flags: 0 };
          }
        }
        let errSum = 0;
        let p50Sum = 0;
        let p95Sum = 0;
        let p99Sum = 0;
        if (ready.length > 0) {
          const perPod = load / ready.length;
          for (const p of ready) {
            const jitter = 1 + 0.03 * this.noise(p.name, 2);
            const rps = perPod * jitter;
            const demand = spec.idleCores + rps * spec.cpuPerRequest * (p.faulty ? 1.15 : 1);
            const cap = spec.cpuLimitMillicores / 1000;
            const used = Math.min(demand, cap);
            const rho = Math.min(demand / cap, 0.97);
            const overload = demand > cap ? 1 - cap / demand : 0;
            const memMiB = spec.baseMemMiB + rps * spec.memPerRps + p.leakMiB + 4 * this.noise(p.name, 3);
            const memFrac = memMiB / spec.memLimitMiB;
            const gc = 1 + 3 * Math.max(0, memFrac - 0.7);
            const own = spec.serviceTimeMs * (1 + (0.5 * rho * rho) / (1 - rho)) * gc;
            const lat = 1 + 0.05 * this.noise(p.name, 4);
            const p50 = (own * 0.85 + downP50) * lat;
            const p95 = Math.max(p50 * 1.2, (own * (2.2 + 1.8 * rho) + downP95) * lat);
            const p99 = Math.max(p95 * 1.25, (own * (3.5 + 3 * rho) + downP99) * lat);
            const badDeploy = p.faulty ? this.badDeployErrorRate(p) : 0;
            const baseErr = spec.baseErrorRate * Math.max(0, 1 + 0.4 * this.noise(p.name, 5));
            const badErr = badDeploy * (1 + 0.1 * this.noise(p.name, 6));
            const errorRatio = Math.min(1, baseErr + overload * 0.9 + badErr + Math.min(downErr, 1));
            let flags = 0;
            if (p.faulty) flags |= FLAG_FAULTY;
            if (overload > 0.02) flags |= FLAG_OVERLOADED;
            if (downErr > 0.02) flags |= FLAG_DOWNSTREAM;
            if (p.leakMiB > 0) flags |= FLAG_LEAKING;
            if (p95 > spec.p95SloMs) flags |= FLAG_SLOW;
            p.obs = { rps, cpu: used, memMiB, errorRatio, p50, p95, p99, flags };
            errSum += errorRatio * rps;
            p50Sum += p50 * rps;
            p95Sum += p95 * rps;
            p99Sum += p99 * rps;
          }
        }
        const totalRps = ready.reduce((s, p) => s + p.obs.rps, 0);
        const scheduled = pods.filter((p) => p.node !== null);
        const hpa = this.state.hpas.find((h) => h.namespace === ns && h.name === service);
        const o: ServiceObservation = {
          namespace: ns,
          service,
          rps: ready.length > 0 ? totalRps : load,
          // No ready endpoint: the ingress answers 503 at once.
          errorRatio: ready.length > 0 && totalRps > 0 ? errSum / totalRps : load > 0 ? 1 : 0,
          p50: ready.length > 0 && totalRps > 0 ? p50Sum / totalRps : 2,
          p95: ready.length > 0 && totalRps > 0 ? p95Sum / totalRps : 4,
          p99: ready.length > 0 && totalRps > 0 ? p99Sum / totalRps : 6,
          cpu: pods.reduce((s, p) => s + p.obs.cpu, 0),
          cpuRequests: (scheduled.length * spec.cpuRequestMillicores) / 1000,
          memMiB: pods.reduce((s, p) => s + p.obs.memMiB, 0),
          memRequests: scheduled.length * spec.memRequestMiB,
          specReplicas: dep?.replicas ?? 0,
          readyReplicas: ready.length,
          availableReplicas: ready.length,
          hpaCurrent: hpa ? hpa.currentReplicas : null,
          hpaDesired: hpa ? hpa.desiredReplicas : null,
          hpaMin: hpa ? hpa.minReplicas : null,
          hpaMax: hpa ? hpa.maxReplicas : null,
          hpaCpu: hpa ? hpa.currentCpu : null,
        };
        out.set(`${ns}/${service}`, o);
      }
    }
    return out;
  }

  badDeployErrorRate(pod: PodState): number {
    const inc = this.state.incidents.find(
      (i) =>
        i.kind === 'bad_deploy' &&
        i.namespace === pod.namespace &&
        i.service === pod.service &&
        i.image?.bad === pod.image,
    );
    // Pods built from the bad image keep failing until they are replaced, even after the
    // incident window (the rollback replaces them).
    return Math.min(0.95, 0.25 * (inc?.multiplier ?? 1));
  }

  // ---------------------------------------------------------------- HPA controller

  hpaSync(): void {
    for (const hpa of this.state.hpas) {
      const dep = this.deployment(hpa.namespace, hpa.name);
      if (!dep) continue;
      const current = dep.replicas;
      hpa.currentReplicas = current;
      if (current === 0) {
        hpa.desiredReplicas = 0;
        continue; // scaling is disabled while the target is scaled to zero
      }
      const spec = SERVICES[hpa.name];
      const pods = this.podsOf(hpa.namespace, hpa.name);
      const ready = pods.filter((p) => p.ready && p.state === 'running');
      const unready = pods.filter((p) => !(p.ready && p.state === 'running'));
      const req = spec.cpuRequestMillicores / 1000;
      let rec = current;
      if (ready.length === 0) {
        hpa.currentCpu = null;
      } else {
        const usage = ready.reduce((s, p) => s + p.obs.cpu, 0);
        const util = (usage / (req * ready.length)) * 100;
        hpa.currentCpu = Math.round(util);
        const ratio = util / hpa.targetCpu;
        if (Math.abs(ratio - 1) > HPA_DEFAULTS.tolerance) {
          if (ratio > 1 && unready.length > 0) {
            // Not-yet-ready pods count as using 0% when scaling up.
            const n = ready.length + unready.length;
            const newRatio = (usage / (req * n) / hpa.targetCpu) * 100;
            rec = newRatio <= 1 + HPA_DEFAULTS.tolerance ? current : Math.ceil(newRatio * n);
            if (rec < current) rec = current;
          } else {
            rec = Math.ceil(ratio * ready.length);
          }
        }
      }
      rec = Math.max(hpa.minReplicas, Math.min(hpa.maxReplicas, rec));
      // Scale-down stabilisation: the highest recommendation within the window wins.
      const windowStart = this.now - HPA_DEFAULTS.scaleDownStabilizationSeconds * 1000;
      hpa.recommendations = hpa.recommendations.filter(([t]) => t > windowStart);
      hpa.recommendations.push([this.now, rec]);
      const downRec = Math.max(...hpa.recommendations.map(([, r]) => r));
      let desired = current;
      if (desired < rec) desired = rec;
      if (desired > downRec) desired = downRec;
      // Scale-up policies: max(4 pods, 100%) per 15 s period.
      const upLimit = Math.max(
        current + HPA_DEFAULTS.scaleUpPods,
        Math.ceil(current * (1 + HPA_DEFAULTS.scaleUpPercent / 100)),
      );
      desired = Math.min(desired, upLimit);
      desired = Math.max(hpa.minReplicas, Math.min(hpa.maxReplicas, desired));
      hpa.desiredReplicas = desired;
      if (desired !== current) {
        const why =
          desired > current
            ? hpa.currentCpu !== null && hpa.currentCpu > hpa.targetCpu
              ? 'cpu resource utilization (percentage of request) above target'
              : 'Current number of replicas below Spec.MinReplicas'
            : current > hpa.maxReplicas
              ? 'Current number of replicas above Spec.MaxReplicas'
              : 'All metrics below target';
        this.event(
          hpa.namespace,
          'Normal',
          'SuccessfulRescale',
          'HorizontalPodAutoscaler',
          hpa.name,
          `New size: ${desired}; reason: ${why}`,
        );
        dep.replicas = desired;
        hpa.lastScaleMs = this.now;
      }
    }
  }

  // ---------------------------------------------------------------- deployment controller

  deploymentController(): void {
    for (const dep of this.state.deployments) {
      const pods = this.podsOf(dep.namespace, dep.name);
      const fresh = pods.filter((p) => p.templateHash === dep.templateHash);
      const old = pods.filter((p) => p.templateHash !== dep.templateHash);
      const desired = dep.replicas;
      const rsNew = `${dep.name}-${dep.templateHash}`;
      // Scaled back within what exists: nothing is waiting for the quota any more.
      if (fresh.length >= desired && old.length === 0) delete dep.quotaDeniedAtMs;
      if (old.length === 0) {
        if (fresh.length < desired) {
          this.scaleUpReplicaSet(dep, fresh.length, desired);
        } else if (fresh.length > desired) {
          this.event(
            dep.namespace,
            'Normal',
            'ScalingReplicaSet',
            'Deployment',
            dep.name,
            `Scaled down replica set ${rsNew} to ${desired} from ${fresh.length}`,
          );
          for (const victim of deletionOrder(fresh).slice(0, fresh.length - desired))
            this.deletePod(victim, 'ReplicaSet');
        }
        continue;
      }
      // Rolling update: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down).
      const maxSurge = Math.max(1, Math.ceil(desired * 0.25));
      const maxUnavailable = Math.floor(desired * 0.25);
      const canCreate = Math.min(desired - fresh.length, desired + maxSurge - pods.length);
      // A rollout whose surge pods the quota refuses stalls, as in Kubernetes.
      if (canCreate > 0) this.scaleUpReplicaSet(dep, fresh.length, fresh.length + canCreate);
      const all = this.podsOf(dep.namespace, dep.name);
      const freshNow = all.filter((p) => p.templateHash === dep.templateHash);
      const newUnavailable = freshNow.filter((p) => !p.ready).length;
      const minAvailable = desired - maxUnavailable;
      const maxScaledDown = all.length - minAvailable - newUnavailable;
      const victims: PodState[] = [];
      if (maxScaledDown > 0) {
        // Unhealthy old pods go first (they serve nothing), then old pods while enough stay available.
        for (const p of deletionOrder(old.filter((x) => !x.ready))) {
          if (victims.length >= maxScaledDown) break;
          victims.push(p);
        }
        let more = all.filter((p) => p.ready).length - minAvailable;
        for (const p of deletionOrder(old.filter((x) => x.ready))) {
          if (more <= 0) break;
          victims.push(p);
          more--;
        }
      }
      if (victims.length > 0) {
        const byRs = new Map<string, number>();
        for (const v of victims) byRs.set(v.templateHash, (byRs.get(v.templateHash) ?? 0) + 1);
        for (const [hash, n] of byRs) {
          const before = old.filter((p) => p.templateHash === hash).length;
          this.event(
            dep.namespace,
            'Normal',
            'ScalingReplicaSet',
            'Deployment',
            dep.name,
            `Scaled down replica set ${dep.name}-${hash} to ${before - n} from ${before}`,
          );
        }
        for (const v of victims) this.deletePod(v, 'ReplicaSet');
      }
    }
  }

  /**
   * The deployment controller scaling its current ReplicaSet up from `from` to `to` pods. Announced
   * once: while the quota refuses the pods, the ReplicaSet is already at `to` and only retries.
   */
  scaleUpReplicaSet(dep: DeploymentState, from: number, to: number): void {
    if (dep.quotaDeniedAtMs === undefined)
      this.event(
        dep.namespace,
        'Normal',
        'ScalingReplicaSet',
        'Deployment',
        dep.name,
        `Scaled up replica set ${dep.name}-${dep.templateHash} to ${to} from ${from}`,
      );
    this.createPods(dep, to - from);
  }

  /**
   * The ReplicaSet controller creating `n` pods: each must pass the namespace quota's admission. The
   * first refusal stops the batch and is reported as Kubernetes does (a Warning FailedCreate on the
   * ReplicaSet, repeated at most once a minute while it lasts); the controller retries every tick.
   */
  createPods(dep: DeploymentState, n: number): void {
    for (let i = 0; i < n; i++) {
      const denial = quotaDenial(this.state, dep.namespace, dep.name);
      if (denial !== null) {
        if (dep.quotaDeniedAtMs === undefined || this.now - dep.quotaDeniedAtMs >= 60_000) {
          dep.quotaDeniedAtMs = this.now;
          this.event(
            dep.namespace,
            'Warning',
            'FailedCreate',
            'ReplicaSet',
            `${dep.name}-${dep.templateHash}`,
            // The pod has no name yet: Kubernetes prints its generateName prefix.
            `Error creating: pods "${dep.name}-${dep.templateHash}-" is forbidden: ${denial}`,
          );
        }
        return;
      }
      this.createPod(dep);
    }
    delete dep.quotaDeniedAtMs;
  }

  createPod(dep: DeploymentState): PodState {
    const pod: PodState = {
      namespace: dep.namespace,
      name: `${dep.name}-${dep.templateHash}-${k8sSuffix(this.rng, 5)}`,
      service: dep.name,
      templateHash: dep.templateHash,
      image: dep.image,
      faulty: this.state.incidents.some(
        (i) =>
          i.kind === 'bad_deploy' &&
          i.image?.bad === dep.image &&
          i.namespace === dep.namespace &&
          i.service === dep.name,
      ),
      node: null,
      createdAtMs: this.now,
      scheduledAtMs: null,
      state: 'pending',
      untilMs: null,
      containerStartMs: null,
      readyAtMs: null,
      ready: false,
      restarts: 0,
      lastTermination: null,
      backoffSeconds: 0,
      leakMiB: 0,
      lastFailedSchedulingMs: null,
      pid: 1,
      obs: emptyObs(),
    };
    this.state.pods.push(pod);
    this.event(
      dep.namespace,
      'Normal',
      'SuccessfulCreate',
      'ReplicaSet',
      `${dep.name}-${dep.templateHash}`,
      `Created pod: ${pod.name}`,
    );
    return pod;
  }

  deletePod(pod: PodState, by: 'ReplicaSet' | 'API' | 'Autoscaler'): void {
    this.state.pods = this.state.pods.filter((p) => p !== pod);
    if (by === 'ReplicaSet') {
      this.event(
        pod.namespace,
        'Normal',
        'SuccessfulDelete',
        'ReplicaSet',
        `${pod.service}-${pod.templateHash}`,
        `Deleted pod: ${pod.name}`,
      );
    }
    if (pod.state === 'running' || pod.state === 'backoff' || pod.state === 'terminated') {
      this.event(pod.namespace, 'Normal', 'Killing', 'Pod', pod.name, `Stopping container ${pod.service}`);
      for (const line of shutdownLines(SERVICES[pod.service], this.now)) {
        this.sink.log({
          namespace: pod.namespace,
          pod: pod.name,
          instance: pod.restarts,
          timeMs: this.now,
          line,
        });
      }
    }
  }

  // ---------------------------------------------------------------- scheduler

  nodeUsage(node: string): { cpu: number; mem: number } {
    let cpu = 0;
    let mem = 0;
    for (const p of this.state.pods) {
      if (p.node !== node) continue;
      cpu += SERVICES[p.service].cpuRequestMillicores;
      mem += SERVICES[p.service].memRequestMiB;
    }
    return { cpu, mem };
  }

  scheduler(): void {
    const pending = this.state.pods
      .filter((p) => p.state === 'pending')
      .sort((a, b) => a.createdAtMs - b.createdAtMs || a.name.localeCompare(b.name));
    if (pending.length === 0) return;
    const ready = this.state.nodes.filter((n) => n.ready);
    const usage = new Map(ready.map((n) => [n.name, this.nodeUsage(n.name)]));
    for (const pod of pending) {
      const spec = SERVICES[pod.service];
      let best: NodeState | undefined;
      let bestScore = -1;
      let cpuShort = 0;
      let memShort = 0;
      for (const n of ready) {
        const g = groupOf(n);
        const u = usage.get(n.name) ?? { cpu: 0, mem: 0 };
        const cpuFits = u.cpu + spec.cpuRequestMillicores <= g.cpuAllocatableMillicores;
        const memFits = u.mem + spec.memRequestMiB <= g.memoryAllocatableMiB;
        if (!cpuFits) cpuShort++;
        if (!memFits) memShort++;
        if (!cpuFits || !memFits) continue;
        // LeastAllocated scoring.
        const score =
          1 -
          (u.cpu + spec.cpuRequestMillicores) / g.cpuAllocatableMillicores +
          (1 - (u.mem + spec.memRequestMiB) / g.memoryAllocatableMiB);
        if (score > bestScore) {
          best = n;
          bestScore = score;
        }
      }
      if (best) {
        const u = usage.get(best.name) ?? { cpu: 0, mem: 0 };
        usage.set(best.name, { cpu: u.cpu + spec.cpuRequestMillicores, mem: u.mem + spec.memRequestMiB });
        pod.node = best.name;
        pod.state = 'creating';
        pod.scheduledAtMs = this.now;
        pod.untilMs = this.now + this.rng.int(KUBELET.pullSecondsMin, KUBELET.pullSecondsMax) * 1000;
        this.event(
          pod.namespace,
          'Normal',
          'Scheduled',
          'Pod',
          pod.name,
          `Successfully assigned ${pod.namespace}/${pod.name} to ${best.name}`,
        );
        this.event(pod.namespace, 'Normal', 'Pulling', 'Pod', pod.name, `Pulling image "${pod.image}"`);
      } else if (pod.lastFailedSchedulingMs === null || this.now - pod.lastFailedSchedulingMs >= 60_000) {
        pod.lastFailedSchedulingMs = this.now;
        const total = this.state.nodes.length;
        const reasons: string[] = [];
        if (cpuShort > 0) reasons.push(`${cpuShort} Insufficient cpu`);
        if (memShort > 0) reasons.push(`${memShort} Insufficient memory`);
        const notReady = total - ready.length;
        if (notReady > 0)
          reasons.push(`${notReady} node(s) had untolerated taint {node.kubernetes.io/not-ready: }`);
        this.event(
          pod.namespace,
          'Warning',
          'FailedScheduling',
          'Pod',
          pod.name,
          `0/${total} nodes are available: ${reasons.join(', ')}. preemption: 0/${total} nodes are available: ${total} No preemption victims found for incoming pod.`,
        );
      }
    }
  }

  // ---------------------------------------------------------------- cluster autoscaler

  /** Booting nodes register and turn Ready when their provisioning delay is over. */
  nodeLifecycle(): void {
    const now = this.now;
    for (const n of this.state.nodes) {
      if (!n.ready && now >= n.readyAtMs) {
        n.ready = true;
        this.event(
          'default',
          'Normal',
          'RegisteredNode',
          'Node',
          n.name,
          `Node ${n.name} event: Registered Node ${n.name} in Controller`,
        );
        this.event(
          'default',
          'Normal',
          'NodeReady',
          'Node',
          n.name,
          `Node ${n.name} status is now: NodeReady`,
        );
      }
    }
  }

  clusterAutoscaler(): void {
    const unschedulable = this.state.pods.filter(
      (p) => p.state === 'pending' && p.lastFailedSchedulingMs !== null,
    );
    if (unschedulable.length > 0) {
      this.scaleUp(unschedulable);
      for (const n of this.state.nodes) n.unneededSinceMs = null;
      return;
    }
    this.scaleDown();
  }

  scaleUp(pending: PodState[]): void {
    // Pods that will fit on nodes still booting do not need another node.
    const upcoming = this.state.nodes
      .filter((n) => !n.ready)
      .map((n) => ({ group: groupOf(n), cpu: 0, mem: 0 }));
    const needing: PodState[] = [];
    for (const p of pending) {
      const spec = SERVICES[p.service];
      const slot = upcoming.find(
        (u) =>
          u.cpu + spec.cpuRequestMillicores <= u.group.cpuAllocatableMillicores &&
          u.mem + spec.memRequestMiB <= u.group.memoryAllocatableMiB,
      );
      if (slot) {
        slot.cpu += spec.cpuRequestMillicores;
        slot.mem += spec.memRequestMiB;
      } else needing.push(p);
    }
    if (needing.length === 0) return;
    const groups = [...NODE_GROUPS].sort((a, b) => b.priority - a.priority);
    for (const g of groups) {
      const size = this.state.nodes.filter((n) => n.group === g.name).length;
      if (size >= g.maxSize) continue;
      // First-fit the pending pods into new nodes of this group.
      const bins: Array<{ cpu: number; mem: number }> = [];
      for (const p of needing) {
        const spec = SERVICES[p.service];
        let bin = bins.find(
          (b) =>
            b.cpu + spec.cpuRequestMillicores <= g.cpuAllocatableMillicores &&
            b.mem + spec.memRequestMiB <= g.memoryAllocatableMiB,
        );
        if (!bin) {
          bin = { cpu: 0, mem: 0 };
          bins.push(bin);
        }
        bin.cpu += spec.cpuRequestMillicores;
        bin.mem += spec.memRequestMiB;
      }
      const add = Math.min(bins.length, g.maxSize - size);
      for (let i = 0; i < add; i++) this.addNode(g, AUTOSCALER.provisionSeconds + this.rng.int(0, 40));
      this.state.autoscaler.lastScaleUpMs = this.now;
      for (const p of needing) {
        this.event(
          p.namespace,
          'Normal',
          'TriggeredScaleUp',
          'Pod',
          p.name,
          `pod triggered scale-up: [{eks-${g.name} ${size}->${size + add} (max: ${g.maxSize})}]`,
        );
      }
      return;
    }
    if (
      this.state.autoscaler.lastNotTriggeredMs === null ||
      this.now - this.state.autoscaler.lastNotTriggeredMs >= 60_000
    ) {
      this.state.autoscaler.lastNotTriggeredMs = this.now;
      for (const p of needing) {
        this.event(
          p.namespace,
          'Normal',
          'NotTriggerScaleUp',
          'Pod',
          p.name,
          `pod didn't trigger scale-up: ${NODE_GROUPS.length} max node group size reached`,
        );
      }
    }
  }

  addNode(g: NodeGroupSpec, provisionSeconds: number): NodeState {
    const zoneIdx = this.state.nodes.length % ZONES.length;
    const zone = ZONES[zoneIdx] ?? 'eu-west-1a';
    let name = '';
    let ip = '';
    do {
      ip = `10.0.${zoneIdx * 32 + this.rng.int(0, 31)}.${this.rng.int(4, 250)}`;
      name = `ip-${ip.replaceAll('.', '-')}.eu-west-1.compute.internal`;
    } while (this.state.nodes.some((n) => n.name === name));
    const node: NodeState = {
      name,
      group: g.name,
      zone,
      ip,
      createdAtMs: this.now,
      readyAtMs: this.now + provisionSeconds * 1000,
      ready: provisionSeconds <= 0,
      unneededSinceMs: null,
    };
    this.state.nodes.push(node);
    return node;
  }

  scaleDown(): void {
    const now = this.now;
    if (this.state.nodes.some((n) => !n.ready)) return;
    const last = this.state.autoscaler.lastScaleUpMs;
    const paused = last !== null && now - last < AUTOSCALER.scaleDownDelayAfterAddSeconds * 1000;
    const candidates = this.state.nodes.filter((n) => n.ready).sort((a, b) => a.name.localeCompare(b.name));
    let removed = false;
    for (const n of candidates) {
      const g = groupOf(n);
      const size = this.state.nodes.filter((x) => x.group === g.name).length;
      const u = this.nodeUsage(n.name);
      const util = Math.max(u.cpu / g.cpuAllocatableMillicores, u.mem / g.memoryAllocatableMiB);
      if (size <= g.minSize || util >= AUTOSCALER.scaleDownUtilizationThreshold) {
        n.unneededSinceMs = null;
        continue;
      }
      n.unneededSinceMs ??= now;
      if (removed || paused || now - n.unneededSinceMs < AUTOSCALER.scaleDownUnneededSeconds * 1000) continue;
      if (!this.podsFitElsewhere(n)) continue;
      this.event(
        'default',
        'Normal',
        'ScaleDown',
        'Node',
        n.name,
        `Scale-down: removing node ${n.name}, utilization: {${(u.cpu / g.cpuAllocatableMillicores).toFixed(2)} ${(u.mem / g.memoryAllocatableMiB).toFixed(2)}}, pods to reschedule: ${this.state.pods
          .filter((p) => p.node === n.name)
          .map((p) => `${p.namespace}/${p.name}`)
          .join(',')}`,
      );
      for (const p of this.state.pods.filter((x) => x.node === n.name)) {
        this.event(p.namespace, 'Normal', 'ScaleDown', 'Pod', p.name, 'deleting pod for node scale down');
        this.deletePod(p, 'Autoscaler');
      }
      this.state.nodes = this.state.nodes.filter((x) => x !== n);
      removed = true;
    }
    if (removed) this.deploymentController();
    if (removed) this.scheduler();
  }

  podsFitElsewhere(node: NodeState): boolean {
    const others = this.state.nodes.filter((n) => n.ready && n !== node);
    const free = others.map((n) => {
      const g = groupOf(n);
      const u = this.nodeUsage(n.name);
      return { cpu: g.cpuAllocatableMillicores - u.cpu, mem: g.memoryAllocatableMiB - u.mem };
    });
    for (const p of this.state.pods.filter((x) => x.node === node.name)) {
      const spec = SERVICES[p.service];
      const slot = free.find((f) => f.cpu >= spec.cpuRequestMillicores && f.mem >= spec.memRequestMiB);
      if (!slot) return false;
      slot.cpu -= spec.cpuRequestMillicores;
      slot.mem -= spec.memRequestMiB;
    }
    return true;
  }

  // ---------------------------------------------------------------- samples

  recordSamples(): void {
    const minute = Math.floor(this.now / 60_000);
    // Re-observe: the controllers may have changed pods since the tick's observation.
    const obs = this.observe();
    for (const o of obs.values()) this.sink.serviceSamples.push({ minute, obs: o });
    const rows: PodSampleRow[] = this.state.pods.map((p) => ({
      namespace: p.namespace,
      pod: p.name,
      service: p.service,
      node: p.node,
      cpu: p.obs.cpu,
      memMiB: p.obs.memMiB,
      rps: p.obs.rps,
      errorRatio: p.obs.errorRatio,
      p50: p.obs.p50,
      p95: p.obs.p95,
      ready: p.ready ? 1 : 0,
      restarts: p.restarts,
      flags: p.obs.flags,
    }));
    this.sink.podSamples.push({ minute, rows });
    const groups: GroupSampleRow[] = NODE_GROUPS.map((g) => {
      const nodes = this.state.nodes.filter((n) => n.group === g.name);
      const ready = nodes.filter((n) => n.ready);
      let cpu = 0;
      let mem = 0;
      for (const n of ready) {
        const u = this.nodeUsage(n.name);
        cpu += u.cpu;
        mem += u.mem;
      }
      return {
        nodeGroup: g.name,
        nodes: nodes.length,
        readyNodes: ready.length,
        cpuRequested: cpu,
        cpuAllocatable: ready.length * g.cpuAllocatableMillicores,
        memRequested: mem,
        memAllocatable: ready.length * g.memoryAllocatableMiB,
      };
    });
    this.sink.groupSamples.push({ minute, rows: groups });
  }
}

export function emptyObs(): PodObservation {
  return { rps: 0, cpu: 0, memMiB: 0, errorRatio: 0, p50: 0, p95: 0, p99: 0, flags: 0 };
}

export function groupOf(n: NodeState): NodeGroupSpec {
  const g = NODE_GROUPS.find((x) => x.name === n.group);
  if (!g) throw new Error(`unknown node group ${n.group}`);
  return g;
}

export function podUid(pod: PodState): string {
  const h = templateHash(`uid:${pod.namespace}/${pod.name}`);
  return `${h.slice(0, 8)}-${h.slice(0, 4)}-4${h.slice(1, 4)}-a${h.slice(2, 5)}-${h}${h.slice(0, 2)}`.toLowerCase();
}

/** Kubernetes' ReplicaSet deletion ranking: unscheduled, then pending, then not ready, then youngest. */
function deletionOrder(pods: PodState[]): PodState[] {
  const rank = (p: PodState) => (p.node === null ? 0 : p.state !== 'running' ? 1 : !p.ready ? 2 : 3);
  return [...pods].sort(
    (a, b) => rank(a) - rank(b) || b.createdAtMs - a.createdAtMs || a.name.localeCompare(b.name),
  );
}

// ---------------------------------------------------------------- initial world

export function createInitialState(seed: number, sink: SimSink): WorldState {
  const startMs = SANDBOX_START_MS - HISTORY_MINUTES * 60_000;
  const state: WorldState = {
    schema: 1,
    seed,
    rng: (seed >>> 0) ^ 0x9e3779b9,
    clockMs: startMs,
    nextIncident: 1,
    deployments: [],
    hpas: [],
    nodes: [],
    pods: [],
    incidents: [],
    autoscaler: { lastScaleUpMs: null, lastNotTriggeredMs: null },
  };
  const sim = new Simulator(state, sink);
  const createdBase = Date.UTC(2026, 0, 12, 9, 30, 0);
  let i = 0;
  for (const ns of NAMESPACES) {
    for (const name of SERVICE_ORDER) {
      const spec = SERVICES[name];
      const hpaSpec = spec.hpa[ns];
      const createdAtMs = createdBase + i * 3_600_000 * 7;
      i++;
      const dep: DeploymentState = {
        namespace: ns,
        name,
        replicas: hpaSpec.min,
        image: `${IMAGE_REGISTRY}/${name}:${spec.version}`,
        restartedAt: null,
        revision: sim.rng.int(3, 40),
        templateHash: '',
        createdAtMs,
        generation: 1,
      };
      dep.templateHash = templateHash(`${ns}/${name}:${dep.image}:${dep.restartedAt}:${dep.revision}`);
      state.deployments.push(dep);
      state.hpas.push({
        namespace: ns,
        name,
        minReplicas: hpaSpec.min,
        maxReplicas: hpaSpec.max,
        targetCpu: hpaSpec.targetCpu,
        currentReplicas: hpaSpec.min,
        desiredReplicas: hpaSpec.min,
        currentCpu: null,
        recommendations: [],
        lastScaleMs: null,
        createdAtMs,
      });
    }
  }
  const nodeBirth = startMs - 9 * 24 * 3_600_000;
  for (const g of NODE_GROUPS) {
    for (let k = 0; k < g.initialSize; k++) {
      const n = sim.addNode(g, 0);
      n.createdAtMs = nodeBirth + k * 3_600_000;
      n.readyAtMs = n.createdAtMs + 90_000;
    }
  }
  // Pods that have been running for a while before the history starts.
  for (const dep of state.deployments) {
    for (let k = 0; k < dep.replicas; k++) {
      const pod = sim.createPod(dep);
      pod.createdAtMs = startMs - sim.rng.int(2, 60) * 3_600_000;
    }
  }
  sim.scheduler();
  for (const pod of state.pods) {
    if (pod.state !== 'creating') throw new Error(`initial pod ${pod.name} does not fit`);
    pod.scheduledAtMs = pod.createdAtMs + 1000;
    pod.state = 'running';
    pod.untilMs = null;
    pod.containerStartMs = pod.createdAtMs + 12_000;
    pod.readyAtMs = pod.createdAtMs + 40_000;
    pod.ready = true;
    for (const [j, line] of startupLines(SERVICES[pod.service], pod.image, pod.containerStartMs).entries()) {
      sink.log({
        namespace: pod.namespace,
        pod: pod.name,
        instance: 0,
        timeMs: pod.containerStartMs + j,
        line,
      });
    }
  }
  // Creation events of the initial objects are long past.
  sink.events.length = 0;
  sim.observe();
  sim.recordSamples();
  sim.commitRng();
  return state;
}
