import { z } from 'zod';
import type { K8sObject } from './helm.js';
import { FieldChecker } from './k8s-fields.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** Module path of a kind in kubernetes-models 4.x: core/v1 lives at `v1/`, groups at `<group>/<version>/`. */
export function modelPath(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const selector = z.object({ matchLabels: z.record(z.string(), z.string()).optional() }).passthrough();
/** CRDs kubernetes-models does not carry: their schema is checked here (PrometheusRule content also by promtool). */
const crdSchemas: Record<string, z.ZodType> = {
  'monitoring.coreos.com/v1/ServiceMonitor': z.object({
    spec: z.object({
      selector,
      namespaceSelector: z.object({ matchNames: z.array(z.string()) }).optional(),
      endpoints: z
        .array(
          z.object({
            port: z.string(),
            path: z.string().startsWith('/'),
            interval: z.string().regex(/^\d+(ms|s|m|h)$/),
          }),
        )
        .min(1),
    }),
  }),
  'monitoring.coreos.com/v1/PrometheusRule': z.object({
    spec: z.object({
      groups: z
        .array(
          z.object({ name: z.string(), rules: z.array(z.object({ expr: z.string() }).passthrough()).min(1) }),
        )
        .min(1),
    }),
  }),
};

/**
 * Group/versions Kubernetes no longer serves (removed by 1.26, below the chart's kubeVersion
 * floor of 1.28). kubernetes-models still ships their schemas, so they are refused here.
 */
export const REMOVED_API_VERSIONS = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'policy/v1beta1',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1beta1',
  'networking.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1beta1',
  'storage.k8s.io/v1beta1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'admissionregistration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'certificates.k8s.io/v1beta1',
  'coordination.k8s.io/v1beta1',
  'scheduling.k8s.io/v1beta1',
  'node.k8s.io/v1beta1',
]);

/** Kinds checked field by field (unknown keys fail); extend the list when a chart renders a new kind. */
export const STRICT_KINDS: { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
];

let fieldChecker: FieldChecker | undefined;
function strictFields(): FieldChecker {
  fieldChecker ??= new FieldChecker(STRICT_KINDS);
  return fieldChecker;
}

export class ManifestInvalidError extends Error {
  override readonly name = 'ManifestInvalidError';
  readonly code = 'manifest_invalid';
}

/** Validate one object against its Kubernetes schema; throws ManifestInvalidError. */
export async function validateObject(obj: K8sObject): Promise<void> {
  const crd = crdSchemas[`${obj.apiVersion}/${obj.kind}`];
  const where = `${obj.kind}/${obj.metadata.name}`;
  if (crd) {
    const r = crd.safeParse(obj);
    if (!r.success) throw new ManifestInvalidError(`${where}: ${r.error.message}`);
    return;
  }
  if (REMOVED_API_VERSIONS.has(obj.apiVersion)) {
    throw new ManifestInvalidError(`${where}: ${obj.apiVersion} is no longer served by Kubernetes >= 1.26`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modelPath(obj.apiVersion, obj.kind))) as Record<string, unknown>;
  } catch {
    throw new ManifestInvalidError(
      `${where}: no schema for ${obj.apiVersion} ${obj.kind} (unknown or removed API)`,
    );
  }
  const Model = mod[obj.kind] as ModelClass | undefined;
  if (typeof Model !== 'function')
    throw new ManifestInvalidError(`${where}: kubernetes-models has no ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (err) {
    throw new ManifestInvalidError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fields = strictFields();
  if (!fields.hasKind(obj.apiVersion, obj.kind)) {
    throw new ManifestInvalidError(
      `${where}: ${obj.apiVersion} ${obj.kind} is not in STRICT_KINDS (add it to check its fields)`,
    );
  }
  const unknown = fields.unknownFields(obj);
  if (unknown.length > 0) throw new ManifestInvalidError(`${where}: unknown field(s) ${unknown.join(', ')}`);
}
