import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterPort } from '../ports/cluster.js';

export interface ClusterContractFixture {
  /** A namespace holding `deployment`. */
  namespace: string;
  /** A deployment with at least one pod, targeted by the HPA `hpa`. */
  deployment: string;
  hpa: string;
}

export interface ClusterContractSubject {
  port: ClusterPort;
  fixture: ClusterContractFixture;
  cleanup?: () => Promise<void>;
}

async function expectCode(p: Promise<unknown>, codes: string[]): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a rejection').toBeInstanceOf(Error);
  expect(codes).toContain((err as { code?: string }).code);
}

/**
 * One conformance suite for every ClusterPort backend (sandbox world, Kubernetes API).
 * The factory is called once; tests run in order and the mutating ones come last.
 */
export function describeClusterContract(name: string, factory: () => Promise<ClusterContractSubject>): void {
  describe(`ClusterPort contract: ${name}`, () => {
    let subject: ClusterContractSubject;
    let port: ClusterPort;
    let fx: ClusterContractFixture;

    beforeAll(async () => {
      subject = await factory();
      port = subject.port;
      fx = subject.fixture;
    });
    afterAll(async () => {
      await subject?.port.close?.();
      await subject?.cleanup?.();
    });

    it('lists namespaces including the fixture namespace', async () => {
      const names = (await port.listNamespaces()).map((n) => n.name);
      expect(names).toContain(fx.namespace);
    });

    it('lists and gets deployments with consistent fields', async () => {
      const list = await port.listDeployments(fx.namespace);
      const d = list.find((x) => x.name === fx.deployment);
      expect(d).toBeDefined();
      expect(Number.isInteger(d?.replicas)).toBe(true);
      expect(d?.namespace).toBe(fx.namespace);
      expect(Object.keys(d?.selector ?? {}).length).toBeGreaterThan(0);
      expect(d?.images.length).toBeGreaterThan(0);
      const one = await port.getDeployment(fx.namespace, fx.deployment);
      expect(one.name).toBe(fx.deployment);
      expect(one.replicas).toBe(d?.replicas);
    });

    it('rejects an unknown deployment with not_found', async () => {
      await expectCode(port.getDeployment(fx.namespace, 'no-such-deployment-xyz'), ['not_found']);
    });

    it('lists the pods of a deployment by label selector', async () => {
      const d = await port.getDeployment(fx.namespace, fx.deployment);
      const selector = Object.entries(d.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const pods = await port.listPods(fx.namespace, selector);
      expect(pods.length).toBeGreaterThan(0);
      for (const p of pods) {
        expect(p.namespace).toBe(fx.namespace);
        expect(p.deployment).toBe(fx.deployment);
        expect(typeof p.status).toBe('string');
        expect(p.restarts).toBeGreaterThanOrEqual(0);
        for (const [k, v] of Object.entries(d.selector)) expect(p.labels[k]).toBe(v);
      }
    });

    it('lists HPAs with min <= max targeting the deployment', async () => {
      const hpas = await port.listHpas(fx.namespace);
      const h = hpas.find((x) => x.name === fx.hpa);
      expect(h).toBeDefined();
      expect(h?.target.name).toBe(fx.deployment);
      expect(h?.minReplicas).toBeLessThanOrEqual(h?.maxReplicas ?? 0);
    });

    it('lists resource quotas sorted by name, with finite numbers for pods and requests.cpu', async () => {
      const quotas = await port.listResourceQuotas(fx.namespace);
      const names = quotas.map((q) => q.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      for (const q of quotas) {
        expect(q.namespace).toBe(fx.namespace);
        expect(q.name.length).toBeGreaterThan(0);
        for (const v of [...Object.values(q.hard), ...Object.values(q.used)]) {
          expect(Number.isFinite(v), `${q.name}: ${v}`).toBe(true);
        }
      }
      // used may exceed hard (a quota created or lowered after the pods exist); only presence is required
      const compute = quotas.find(
        (q) =>
          q.hard.pods !== undefined &&
          q.hard['requests.cpu'] !== undefined &&
          q.used.pods !== undefined &&
          q.used['requests.cpu'] !== undefined,
      );
      expect(compute, 'a quota with pods and requests.cpu in hard and used').toBeDefined();
      expect(Number.isInteger(compute?.used.pods)).toBe(true);
      expect(compute?.hard['requests.cpu']).toBeGreaterThan(0);
    });

    it('lists no resource quotas in a namespace that does not exist', async () => {
      expect(await port.listResourceQuotas('no-such-namespace-xyz')).toEqual([]);
    });

    it('lists nodes with allocatable capacity', async () => {
      const nodes = await port.listNodes();
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) {
        expect(n.cpuAllocatableMillicores).toBeGreaterThan(0);
        expect(n.memoryAllocatableMiB).toBeGreaterThan(0);
      }
    });

    it('lists node groups sorted by name, consistent with the nodes, with finite non-negative numbers', async () => {
      const [groups, nodes] = await Promise.all([port.listNodeGroups(), port.listNodes()]);
      const names = groups.map((g) => g.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(names).size).toBe(names.length);
      const nonNegative = (v: number | null, what: string) => {
        if (v === null) return;
        expect(Number.isFinite(v) && v >= 0, `${what}: ${v}`).toBe(true);
      };
      for (const g of groups) {
        expect(g.name.length).toBeGreaterThan(0);
        for (const [k, v] of Object.entries(g))
          if (typeof v === 'number' || v === null) nonNegative(v, `${g.name}.${k}`);
        expect(Number.isInteger(g.nodes) && Number.isInteger(g.readyNodes)).toBe(true);
        expect(g.readyNodes).toBeLessThanOrEqual(g.nodes);
        // the requested pair is read from one pod list: both numbers or both null
        expect(g.cpuRequestedMillicores === null).toBe(g.memoryRequestedMiB === null);
        if (g.boundsSource === null) {
          expect([g.minSize, g.maxSize, g.targetSize]).toEqual([null, null, null]);
        }
        if (g.minSize !== null && g.maxSize !== null) expect(g.minSize).toBeLessThanOrEqual(g.maxSize);
      }
      // every labelled node is in its group; the allocatable sums are over the ready ones
      const labels = new Set(nodes.flatMap((n) => (n.nodeGroup ? [n.nodeGroup] : [])));
      for (const label of labels) {
        const mine = nodes.filter((n) => n.nodeGroup === label);
        const ready = mine.filter((n) => n.ready);
        expect(groups.find((g) => g.name === label)).toMatchObject({
          nodes: mine.length,
          readyNodes: ready.length,
          cpuAllocatableMillicores: ready.reduce((s, n) => s + n.cpuAllocatableMillicores, 0),
          memoryAllocatableMiB: ready.reduce((s, n) => s + n.memoryAllocatableMiB, 0),
        });
      }
      // the fixture has a group the autoscaler may still grow, whose node shape is known
      const growable = groups.find(
        (g) => g.maxSize !== null && g.maxSize >= g.nodes && g.nodeCpuAllocatableMillicores !== null,
      );
      expect(growable, 'a group with maxSize >= nodes and a known node shape').toBeDefined();
      expect(growable?.nodeCpuAllocatableMillicores).toBeGreaterThan(0);
      expect(growable?.nodeMemoryAllocatableMiB).toBeGreaterThan(0);
    });

    it('lists events with type and reason', async () => {
      const events = await port.listEvents(fx.namespace);
      expect(Array.isArray(events)).toBe(true);
      for (const e of events) {
        expect(['Normal', 'Warning']).toContain(e.type);
        expect(e.reason.length).toBeGreaterThan(0);
      }
    });

    it('describes a deployment in Kubernetes wire shape', async () => {
      const r = await port.describe('deployment', fx.deployment, fx.namespace);
      expect(r.object.kind).toBe('Deployment');
      expect((r.object.metadata as { name?: string }).name).toBe(fx.deployment);
      await expectCode(port.describe('pod', 'no-such-pod-xyz', fx.namespace), ['not_found']);
    });

    it('returns pod logs as text', async () => {
      const pods = await port.listPods(fx.namespace);
      const pod = pods.find((p) => p.deployment === fx.deployment);
      expect(pod).toBeDefined();
      const logs = await port.podLogs({ namespace: fx.namespace, pod: pod?.name ?? '', tailLines: 20 });
      expect(typeof logs).toBe('string');
      expect(logs.split('\n').filter(Boolean).length).toBeLessThanOrEqual(20);
    });

    it('scales a deployment and reads the new replica count back', async () => {
      const before = await port.getDeployment(fx.namespace, fx.deployment);
      const target = before.replicas + 1;
      const r = await port.scaleDeployment(fx.namespace, fx.deployment, target);
      expect(r.previousReplicas).toBe(before.replicas);
      expect(r.replicas).toBe(target);
      expect((await port.getDeployment(fx.namespace, fx.deployment)).replicas).toBe(target);
      await expectCode(port.scaleDeployment(fx.namespace, fx.deployment, -1), ['invalid_argument']);
      await expectCode(port.scaleDeployment(fx.namespace, 'no-such-deployment-xyz', 2), ['not_found']);
    });

    it('rollout-restarts a deployment by stamping restartedAt', async () => {
      const r = await port.rolloutRestart(fx.namespace, fx.deployment);
      expect(Number.isNaN(Date.parse(r.restartedAt))).toBe(false);
      expect((await port.getDeployment(fx.namespace, fx.deployment)).restartedAt).toBe(r.restartedAt);
    });

    it('patches HPA bounds and refuses min > max', async () => {
      const h = (await port.listHpas(fx.namespace)).find((x) => x.name === fx.hpa);
      if (!h) throw new Error('fixture HPA missing');
      const r = await port.patchHpa(fx.namespace, fx.hpa, { maxReplicas: h.maxReplicas + 2 });
      expect(r.previous.maxReplicas).toBe(h.maxReplicas);
      expect(r.maxReplicas).toBe(h.maxReplicas + 2);
      expect(r.minReplicas).toBe(h.minReplicas);
      const after = (await port.listHpas(fx.namespace)).find((x) => x.name === fx.hpa);
      expect(after?.maxReplicas).toBe(h.maxReplicas + 2);
      await expectCode(port.patchHpa(fx.namespace, fx.hpa, { minReplicas: h.maxReplicas + 10 }), [
        'invalid_argument',
      ]);
    });

    it('deletes a pod', async () => {
      const pods = await port.listPods(fx.namespace);
      const victim = pods.find((p) => p.deployment === fx.deployment);
      if (!victim) throw new Error('fixture pod missing');
      const r = await port.deletePod(fx.namespace, victim.name);
      expect(r).toEqual({ namespace: fx.namespace, name: victim.name, deleted: true });
      const names = (await port.listPods(fx.namespace)).map((p) => p.name);
      expect(names).not.toContain(victim.name);
      await expectCode(port.deletePod(fx.namespace, victim.name), ['not_found']);
    });
  });
}
