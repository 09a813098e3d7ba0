/**
 * A fake kube-apiserver for tests: node:http on 127.0.0.1 serving recorded API responses
 * (test/fixtures/kube/*.json, in the wire format of `GET /api/...` list responses) and keeping
 * state for the mutations the ClusterPort makes. It speaks enough of the API to be driven by the
 * real @kubernetes/client-node:
 *
 * - list (with labelSelector, fieldSelector, limit/continue) and get for namespaces, nodes,
 *   events, pods (also across namespaces), resource quotas, config maps, deployments (apps/v1),
 *   HPAs (autoscaling/v2); deployments/{name}/scale;
 *   pods/{name}/log (tailLines, limitBytes, container, previous);
 * - PATCH with merge, strategic merge and JSON patch, chosen by Content-Type as the API server does
 *   (415 for anything else), with metadata.resourceVersion preconditions (409), validation of
 *   replicas and HPA bounds (422), resourceVersion and generation bumps;
 * - DELETE pods (the kubelet is taken to confirm at once, so the pod is gone immediately);
 * - errors as metav1.Status objects (404, 400, 401, 409, 415, 422), shaped after the recorded
 *   status-*.json fixtures; bearer-token authentication (401 without it).
 *
 * Every request is recorded (verb, path, query, Content-Type, body) so tests can assert exactly
 * what the client sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { type Json, jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js';

export const KUBE_FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures/kube/', import.meta.url));

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  /** The raw body text, and its JSON parse when it is JSON. */
  bodyText: string;
  body: unknown;
  authenticated: boolean;
}

export interface InjectedFailure {
  method?: string;
  path: RegExp;
  /** Further condition on the request (query, body). */
  when?: (req: RecordedRequest) => boolean;
  status: number;
  /** A Status object or any JSON; defaults to a Status with `message`. */
  body?: unknown;
  message?: string;
  /** Respond after this delay (ms) — for timeout tests. */
  delayMs?: number;
  /** How many requests to fail (default 1). */
  times?: number;
}

export interface FakeKubeApiServer {
  url: string;
  token: string;
  /** A KubeConfig pointing at this server with a bearer-token user (context `fake`, namespace prod). */
  kubeConfig(): KubeConfig;
  /** The same as kubeconfig YAML, for processes started by a test (KUBECONFIG=<file>). */
  kubeconfigYaml(): string;
  requests: RecordedRequest[];
  /** Requests other than GET. */
  mutations(): RecordedRequest[];
  /** The stored object (wire JSON) or undefined. */
  object(resource: Resource, name: string, namespace?: string): Record<string, unknown> | undefined;
  failNext(f: InjectedFailure): void;
  close(): Promise<void>;
}

type Resource =
  | 'namespaces'
  | 'nodes'
  | 'events'
  | 'pods'
  | 'resourcequotas'
  | 'configmaps'
  | 'deployments'
  | 'horizontalpodautoscalers';

interface ResourceMeta {
  file: string;
  kind: string;
  listKind: string;
  apiVersion: string;
  group: string; // '' for core
  namespaced: boolean;
}

const RESOURCES: Record<Resource, ResourceMeta> = {
  namespaces: {
    file: 'namespaces.json',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    apiVersion: 'v1',
    group: '',
    namespaced: false,
  },
  nodes: {
    file: 'nodes.json',
    kind: 'Node',
    listKind: 'NodeList',
    apiVersion: 'v1',
    group: '',
    namespaced: false,
  },
  events: {
    file: 'events.json',
    kind: 'Event',
    listKind: 'EventList',
    apiVersion: 'v1',
    group: '',
    namespaced: true,
  },
  pods: {
    file: 'pods.json',
    kind: 'Pod',
    listKind: 'PodList',
    apiVersion: 'v1',
    group: '',
    namespaced: true,
  },
  resourcequotas: {
    file: 'resourcequotas.json',
    kind: 'ResourceQuota',
    listKind: 'ResourceQuotaList',
    apiVersion: 'v1',
    group: '',
    namespaced: true,
  },
  configmaps: {
    file: 'configmaps.json',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    apiVersion: 'v1',
    group: '',
    namespaced: true,
  },
  deployments: {
    file: 'deployments.json',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    apiVersion: 'apps/v1',
    group: 'apps',
    namespaced: true,
  },
  horizontalpodautoscalers: {
    file: 'hpas.json',
    kind: 'HorizontalPodAutoscaler',
    listKind: 'HorizontalPodAutoscalerList',
    apiVersion: 'autoscaling/v2',
    group: 'autoscaling',
    namespaced: true,
  },
};

type Obj = { [k: string]: Json } & {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: Json | undefined };
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, Json>,
  ) {
    super(message);
  }
}

function readJson(dir: string, file: string): Json {
  return JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Json;
}

function qualified(meta: ResourceMeta, resource: string): string {
  return meta.group ? `${resource}.${meta.group}` : resource;
}

function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    let m = /^([^!=]+)!=(.*)$/.exec(term);
    if (m) {
      if (labels[(m[1] ?? '').trim()] === (m[2] ?? '').trim()) return false;
      continue;
    }
    m = /^([^!=]+)==?(.*)$/.exec(term);
    if (m) {
      if (labels[(m[1] ?? '').trim()] !== (m[2] ?? '').trim()) return false;
      continue;
    }
    if (term.startsWith('!')) {
      if (term.slice(1) in labels) return false;
      continue;
    }
    if (/^[A-Za-z0-9./_-]+$/.test(term)) {
      if (!(term in labels)) return false;
      continue;
    }
    throw new HttpError(
      400,
      'BadRequest',
      `unable to parse requirement: invalid label selector term ${JSON.stringify(term)}`,
    );
  }
  return true;
}

const EVENT_FIELDS = new Set([
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
  'metadata.name',
  'metadata.namespace',
]);

function fieldValue(obj: Json, path: string): string {
  let cur: Json | undefined = obj;
  for (const p of path.split('.'))
    cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[p] : undefined;
  return cur === undefined || cur === null ? '' : String(cur);
}

/** The pod fields the API server indexes for field selectors (pkg/registry/core/pod). */
const POD_FIELDS = new Set([
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
]);

function matchesFieldSelector(obj: Obj, resource: Resource, selector: string): boolean {
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw new HttpError(400, 'BadRequest', `invalid field selector: ${term}`);
    const [, field = '', op, value = ''] = m;
    const allowed =
      resource === 'events'
        ? EVENT_FIELDS
        : resource === 'pods'
          ? POD_FIELDS
          : new Set(['metadata.name', 'metadata.namespace']);
    if (!allowed.has(field)) {
      throw new HttpError(400, 'BadRequest', `field label not supported: ${field}`);
    }
    const v = fieldValue(obj, field);
    if (op === '!=' ? v === value : v !== value) return false;
  }
  return true;
}

export async function startFakeKubeApiServer(
  opts: { fixturesDir?: string; token?: string } = {},
): Promise<FakeKubeApiServer> {
  const dir = opts.fixturesDir ?? KUBE_FIXTURES_DIR;
  const token = opts.token ?? 'fake-token-7f3c9a1e5b2d4c6a';
  const notFoundTemplate = readJson(dir, 'status-not-found.json') as { [k: string]: Json };
  const invalidTemplate = readJson(dir, 'status-invalid.json') as { [k: string]: Json };

  const store = new Map<Resource, Obj[]>();
  let rv = 0;
  for (const [res, meta] of Object.entries(RESOURCES) as Array<[Resource, ResourceMeta]>) {
    const list = readJson(dir, meta.file) as {
      kind: string;
      items: Obj[];
      metadata: { resourceVersion: string };
    };
    if (list.kind !== meta.listKind)
      throw new Error(`${meta.file}: expected ${meta.listKind}, got ${list.kind}`);
    rv = Math.max(rv, Number(list.metadata.resourceVersion));
    store.set(res, list.items);
  }

  const requests: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];

  const items = (res: Resource): Obj[] => store.get(res) ?? [];
  const find = (res: Resource, name: string, ns?: string): Obj | undefined =>
    items(res).find((o) => o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns));
  const nextRv = (): string => String(++rv);

  function notFound(resource: Resource | string, name: string): HttpError {
    const meta = RESOURCES[resource as Resource];
    const q = meta ? qualified(meta, resource) : resource;
    return new HttpError(404, 'NotFound', `${q} "${name}" not found`, {
      name,
      ...(meta?.group ? { group: meta.group } : {}),
      kind: resource,
    });
  }

  function invalid(
    kind: string,
    group: string,
    name: string,
    field: string,
    value: Json,
    detail: string,
  ): HttpError {
    const what = group ? `${kind}.${group}` : kind;
    const cause = `Invalid value: ${JSON.stringify(value)}: ${detail}`;
    return new HttpError(422, 'Invalid', `${what} "${name}" is invalid: ${field}: ${cause}`, {
      name,
      ...(group ? { group } : {}),
      kind,
      causes: [{ reason: 'FieldValueInvalid', message: cause, field }],
    });
  }

  function statusBody(err: HttpError): Json {
    const template = err.status === 404 ? notFoundTemplate : err.status === 422 ? invalidTemplate : undefined;
    const base: { [k: string]: Json } = template
      ? structuredClone(template)
      : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };
    base.message = err.message;
    base.reason = err.reason;
    base.code = err.status;
    if (err.details) base.details = err.details;
    else delete base.details;
    return base;
  }

  function withKind(res: Resource, o: Obj): Obj {
    const meta = RESOURCES[res];
    return { kind: meta.kind, apiVersion: meta.apiVersion, ...structuredClone(o) } as Obj;
  }

  function list(res: Resource, ns: string | undefined, q: URLSearchParams): Json {
    const meta = RESOURCES[res];
    let out = items(res).filter((o) => ns === undefined || o.metadata.namespace === ns);
    const ls = q.get('labelSelector');
    if (ls)
      out = out.filter((o) => matchesLabelSelector((o.metadata.labels ?? {}) as Record<string, string>, ls));
    const fs = q.get('fieldSelector');
    if (fs) out = out.filter((o) => matchesFieldSelector(o, res, fs));
    const listMeta: { [k: string]: Json } = { resourceVersion: String(rv) };
    let start = 0;
    const cont = q.get('continue');
    if (cont) {
      const decoded = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as { start?: number };
      start = decoded.start ?? 0;
    }
    const limit = Number(q.get('limit') ?? 0);
    let page = out.slice(start);
    if (limit > 0 && page.length > limit) {
      page = page.slice(0, limit);
      listMeta.continue = Buffer.from(JSON.stringify({ start: start + limit })).toString('base64');
      listMeta.remainingItemCount = out.length - start - limit;
    }
    return {
      kind: meta.listKind,
      apiVersion: meta.apiVersion,
      metadata: listMeta,
      items: structuredClone(page),
    };
  }

  function applyPatch(contentType: string | null, target: Obj, patch: Json): Obj {
    const ct = (contentType ?? '').split(';')[0]?.trim();
    try {
      switch (ct) {
        case 'application/merge-patch+json':
          return mergePatch(target, patch) as Obj;
        case 'application/strategic-merge-patch+json':
          return strategicMergePatch(target, patch) as Obj;
        case 'application/json-patch+json':
          return jsonPatch(target, patch) as Obj;
        default:
          throw new HttpError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          );
      }
    } catch (err) {
      if (err instanceof PatchError) throw new HttpError(400, 'BadRequest', err.message);
      throw err;
    }
  }

  /** Patch `current` and check the resourceVersion precondition a patch may carry. */
  function patched(res: Resource, current: Obj, req: RecordedRequest): Obj {
    const meta = RESOURCES[res];
    const next = applyPatch(req.contentType, structuredClone(current), req.body as Json);
    const wanted = next.metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== current.metadata.resourceVersion) {
      throw new HttpError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(meta, res)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: current.metadata.name, ...(meta.group ? { group: meta.group } : {}), kind: res },
      );
    }
    if (
      next.metadata?.name !== current.metadata.name ||
      next.metadata?.namespace !== current.metadata.namespace
    ) {
      throw new HttpError(
        400,
        'BadRequest',
        'the name or namespace of the object may not be changed by a patch',
      );
    }
    return next;
  }

  function store1(res: Resource, next: Obj, bumpGenerationFrom?: Obj): Obj {
    const list = items(res);
    const at = list.findIndex(
      (o) => o.metadata.name === next.metadata.name && o.metadata.namespace === next.metadata.namespace,
    );
    if (bumpGenerationFrom && JSON.stringify(bumpGenerationFrom.spec) !== JSON.stringify(next.spec)) {
      next.metadata.generation = Number(bumpGenerationFrom.metadata.generation ?? 1) + 1;
    }
    next.metadata.resourceVersion = nextRv();
    list[at] = next;
    return next;
  }

  function validateDeployment(d: Obj): void {
    const replicas = (d.spec as { replicas?: Json } | undefined)?.replicas;
    if (
      replicas !== undefined &&
      (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    ) {
      throw invalid(
        'Deployment',
        'apps',
        d.metadata.name,
        'spec.replicas',
        replicas,
        'must be greater than or equal to 0',
      );
    }
  }

  function validateHpa(h: Obj): void {
    const spec = (h.spec ?? {}) as { minReplicas?: Json; maxReplicas?: Json };
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas;
    const name = h.metadata.name;
    if (typeof min !== 'number' || !Number.isInteger(min) || min < 1) {
      throw invalid(
        'HorizontalPodAutoscaler',
        'autoscaling',
        name,
        'spec.minReplicas',
        min,
        'must be greater than or equal to 1',
      );
    }
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      throw invalid(
        'HorizontalPodAutoscaler',
        'autoscaling',
        name,
        'spec.maxReplicas',
        max ?? null,
        'must be greater than 0',
      );
    }
    if (max < min) {
      throw invalid(
        'HorizontalPodAutoscaler',
        'autoscaling',
        name,
        'spec.maxReplicas',
        max,
        'must be greater than or equal to `minReplicas`',
      );
    }
  }

  function scaleOf(d: Obj): Json {
    const spec = d.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
    const status = d.status as { replicas?: number } | undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: d.metadata.name,
        namespace: d.metadata.namespace ?? '',
        uid: d.metadata.uid ?? '',
        resourceVersion: d.metadata.resourceVersion ?? '',
        creationTimestamp: d.metadata.creationTimestamp ?? null,
      },
      spec: { replicas: spec.replicas ?? 1 },
      status: {
        replicas: status?.replicas ?? 0,
        selector: Object.entries(spec.selector?.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      },
    };
  }

  function podLog(ns: string, name: string, q: URLSearchParams): string {
    const pod = find('pods', name, ns);
    if (!pod) throw notFound('pods', name);
    const spec = pod.spec as {
      containers?: Array<{ name: string }>;
      initContainers?: Array<{ name: string }>;
    };
    const containers = (spec.containers ?? []).map((c) => c.name);
    const inits = (spec.initContainers ?? []).map((c) => c.name);
    let container = q.get('container');
    if (!container) {
      if (containers.length !== 1) {
        throw new HttpError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`,
        );
      }
      container = containers[0] ?? '';
    }
    if (!containers.includes(container) && !inits.includes(container)) {
      throw new HttpError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
    }
    const previous = q.get('previous') === 'true';
    let text: string;
    try {
      text = readFileSync(`${dir}logs/${ns}/${name}/${container}${previous ? '.previous' : ''}.txt`, 'utf8');
    } catch {
      if (previous) {
        throw new HttpError(
          400,
          'BadRequest',
          `previous terminated container "${container}" in pod "${name}" not found`,
        );
      }
      const statuses = ((pod.status as { containerStatuses?: Json[] } | undefined)?.containerStatuses ??
        []) as Array<{
        name: string;
        state?: { waiting?: { reason?: string } };
      }>;
      const waiting = statuses.find((s) => s.name === container)?.state?.waiting?.reason;
      if (waiting) {
        throw new HttpError(
          400,
          'BadRequest',
          `container "${container}" in pod "${name}" is waiting to start: ${waiting}`,
        );
      }
      text = '';
    }
    const tail = q.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const n = Number(tail);
      text = n === 0 ? '' : `${lines.slice(-n).join('\n')}\n`;
    }
    const limit = q.get('limitBytes');
    if (limit !== null) text = Buffer.from(text).subarray(0, Number(limit)).toString('utf8');
    return text;
  }

  type Handler = (m: RegExpExecArray, req: RecordedRequest, q: URLSearchParams) => Json | { text: string };
  const routes: Array<{ method: string; re: RegExp; handle: Handler }> = [
    { method: 'GET', re: /^\/api\/v1\/namespaces$/, handle: (_m, _r, q) => list('namespaces', undefined, q) },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)$/,
      handle: (m) => {
        const o = find('namespaces', m[1] ?? '');
        if (!o) throw notFound('namespaces', m[1] ?? '');
        return withKind('namespaces', o);
      },
    },
    { method: 'GET', re: /^\/api\/v1\/nodes$/, handle: (_m, _r, q) => list('nodes', undefined, q) },
    {
      method: 'GET',
      re: /^\/api\/v1\/nodes\/([^/]+)$/,
      handle: (m) => {
        const o = find('nodes', m[1] ?? '');
        if (!o) throw notFound('nodes', m[1] ?? '');
        return withKind('nodes', o);
      },
    },
    { method: 'GET', re: /^\/api\/v1\/events$/, handle: (_m, _r, q) => list('events', undefined, q) },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/events$/,
      handle: (m, _r, q) => list('events', m[1], q),
    },
    { method: 'GET', re: /^\/api\/v1\/pods$/, handle: (_m, _r, q) => list('pods', undefined, q) },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/pods$/,
      handle: (m, _r, q) => list('pods', m[1], q),
    },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/,
      handle: (m) => {
        const o = find('pods', m[2] ?? '', m[1]);
        if (!o) throw notFound('pods', m[2] ?? '');
        return withKind('pods', o);
      },
    },
    {
      method: 'DELETE',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/,
      handle: (m) => {
        const o = find('pods', m[2] ?? '', m[1]);
        if (!o) throw notFound('pods', m[2] ?? '');
        const list = items('pods');
        list.splice(list.indexOf(o), 1);
        nextRv();
        return withKind('pods', o);
      },
    },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/,
      handle: (m, _r, q) => ({ text: podLog(m[1] ?? '', m[2] ?? '', q) }),
    },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/resourcequotas$/,
      handle: (m, _r, q) => list('resourcequotas', m[1], q),
    },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/resourcequotas\/([^/]+)$/,
      handle: (m) => {
        const o = find('resourcequotas', m[2] ?? '', m[1]);
        if (!o) throw notFound('resourcequotas', m[2] ?? '');
        return withKind('resourcequotas', o);
      },
    },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/,
      handle: (m, _r, q) => list('configmaps', m[1], q),
    },
    {
      method: 'GET',
      re: /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/,
      handle: (m) => {
        const o = find('configmaps', m[2] ?? '', m[1]);
        if (!o) throw notFound('configmaps', m[2] ?? '');
        return withKind('configmaps', o);
      },
    },
    {
      method: 'GET',
      re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments$/,
      handle: (m, _r, q) => list('deployments', m[1], q),
    },
    {
      method: 'GET',
      re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/,
      handle: (m) => {
        const o = find('deployments', m[2] ?? '', m[1]);
        if (!o) throw notFound('deployments', m[2] ?? '');
        return withKind('deployments', o);
      },
    },
    {
      method: 'PATCH',
      re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/,
      handle: (m, req) => {
        const cur = find('deployments', m[2] ?? '', m[1]);
        if (!cur) throw notFound('deployments', m[2] ?? '');
        const next = patched('deployments', withKind('deployments', cur), req);
        validateDeployment(next);
        delete next.kind;
        delete next.apiVersion;
        return withKind('deployments', store1('deployments', next, cur));
      },
    },
    {
      method: 'GET',
      re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)\/scale$/,
      handle: (m) => {
        const o = find('deployments', m[2] ?? '', m[1]);
        if (!o) throw notFound('deployments', m[2] ?? '');
        return scaleOf(o);
      },
    },
    {
      method: 'PATCH',
      re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)\/scale$/,
      handle: (m, req) => {
        const cur = find('deployments', m[2] ?? '', m[1]);
        if (!cur) throw notFound('deployments', m[2] ?? '');
        const scale = applyPatch(req.contentType, scaleOf(cur) as Obj, req.body as Json);
        const wanted = scale.metadata?.resourceVersion;
        if (wanted !== cur.metadata.resourceVersion) {
          throw new HttpError(
            409,
            'Conflict',
            `Operation cannot be fulfilled on deployments.apps "${cur.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        const replicas = (scale.spec as { replicas?: Json } | undefined)?.replicas;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
          throw invalid(
            'Scale',
            'autoscaling',
            cur.metadata.name,
            'spec.replicas',
            replicas ?? null,
            'must be greater than or equal to 0',
          );
        }
        const next = structuredClone(cur);
        (next.spec as { replicas: number }).replicas = replicas;
        return scaleOf(store1('deployments', next, cur));
      },
    },
    {
      method: 'GET',
      re: /^\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers$/,
      handle: (m, _r, q) => list('horizontalpodautoscalers', m[1], q),
    },
    {
      method: 'GET',
      re: /^\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers\/([^/]+)$/,
      handle: (m) => {
        const o = find('horizontalpodautoscalers', m[2] ?? '', m[1]);
        if (!o) throw notFound('horizontalpodautoscalers', m[2] ?? '');
        return withKind('horizontalpodautoscalers', o);
      },
    },
    {
      method: 'PATCH',
      re: /^\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers\/([^/]+)$/,
      handle: (m, req) => {
        const cur = find('horizontalpodautoscalers', m[2] ?? '', m[1]);
        if (!cur) throw notFound('horizontalpodautoscalers', m[2] ?? '');
        const next = patched('horizontalpodautoscalers', withKind('horizontalpodautoscalers', cur), req);
        validateHpa(next);
        delete next.kind;
        delete next.apiVersion;
        return withKind('horizontalpodautoscalers', store1('horizontalpodautoscalers', next, cur));
      },
    },
  ];

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function send(res: ServerResponse, status: number, body: Json | { text: string }): void {
    if (
      body &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      'text' in body &&
      typeof body.text === 'string'
    ) {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(body.text);
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json', 'Audit-Id': crypto.randomUUID() });
    res.end(JSON.stringify(body));
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bodyText = await readBody(req);
    let body: unknown;
    try {
      body = bodyText ? JSON.parse(bodyText) : undefined;
    } catch {
      body = undefined;
    }
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'] ?? null,
      bodyText,
      body,
      authenticated: req.headers.authorization === `Bearer ${token}`,
    };
    requests.push(rec);
    try {
      if (!rec.authenticated) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
      const fi = failures.findIndex(
        (f) => (!f.method || f.method === rec.method) && f.path.test(rec.path) && (!f.when || f.when(rec)),
      );
      const failure = fi >= 0 ? failures[fi] : undefined;
      if (failure) {
        failure.times = (failure.times ?? 1) - 1;
        if (failure.times <= 0) failures.splice(fi, 1);
        if (failure.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs));
        if (failure.body !== undefined) return send(res, failure.status, failure.body as Json);
        throw new HttpError(failure.status, 'InternalError', failure.message ?? 'injected failure');
      }
      if (rec.body === undefined && bodyText && rec.method === 'PATCH') {
        throw new HttpError(400, 'BadRequest', 'error decoding patch: invalid JSON');
      }
      for (const r of routes) {
        if (r.method !== rec.method) continue;
        const m = r.re.exec(url.pathname);
        if (m) return send(res, 200, r.handle(m, rec, url.searchParams));
      }
      const known = routes.some((r) => r.re.test(url.pathname));
      if (known)
        throw new HttpError(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        );
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.status, statusBody(err));
      return send(res, 500, statusBody(new HttpError(500, 'InternalError', String(err))));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    token,
    requests,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
        users: [{ name: 'fake-user', token }],
        contexts: [{ name: 'fake', cluster: 'fake', user: 'fake-user', namespace: 'prod' }],
        currentContext: 'fake',
      });
      return kc;
    },
    kubeconfigYaml: () =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
        'users:',
        `- name: fake-user\n  user:\n    token: ${token}`,
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: fake-user\n    namespace: prod',
        'current-context: fake',
        '',
      ].join('\n'),
    mutations: () => requests.filter((r) => r.method !== 'GET'),
    object(resource, name, namespace) {
      const o = find(resource, name, namespace);
      return o ? withKind(resource, o) : undefined;
    },
    failNext(f) {
      failures.push({ ...f });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
