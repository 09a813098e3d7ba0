import { InvalidArgumentError } from '@devops-ai/core';
import { z } from 'zod';

/** RFC 1123 label as Kubernetes validates namespaces and services (`IsDNS1123Label`). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain as Kubernetes validates most object names (`IsDNS1123Subdomain`). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const namespaceNameSchema = z
  .string()
  .max(63)
  .regex(DNS1123_LABEL, 'must be a DNS-1123 label (lower-case alphanumerics and "-")');
export const objectNameSchema = z
  .string()
  .max(253)
  .regex(DNS1123_SUBDOMAIN, 'must be a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".")');
export const serviceNameSchema = namespaceNameSchema;

/** Parse with zod and turn a failure into InvalidArgumentError naming the field. */
export function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InvalidArgumentError(
    `invalid ${field} ${JSON.stringify(value)}: ${issue?.message ?? 'invalid'}`,
    {
      field,
    },
  );
}
