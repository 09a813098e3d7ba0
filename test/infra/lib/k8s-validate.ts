import { z } from 'zod';
import type { K8sObject } from './helm.js';

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
        .array(z.object({ port: z.string(), path: z.string().startsWith('/'), interval: z.string().regex(/^\d+(ms|s|m|h)$/) }))
        .min(1),
    }),
  }),
  'monitoring.coreos.com/v1/PrometheusRule': z.object({
    spec: z.object({
      groups: z
        .array(z.object({ name: z.string(), rules: z.array(z.object({ expr: z.string() }).passthrough()).min(1) }))
        .min(1),
    }),
  }),
};

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
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modelPath(obj.apiVersion, obj.kind))) as Record<string, unknown>;
  } catch {
    throw new ManifestInvalidError(`${where}: no schema for ${obj.apiVersion} ${obj.kind} (unknown or removed API)`);
  }
  const Model = mod[obj.kind] as ModelClass | undefined;
  if (typeof Model !== 'function') throw new ManifestInvalidError(`${where}: kubernetes-models has no ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (err) {
    throw new ManifestInvalidError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
