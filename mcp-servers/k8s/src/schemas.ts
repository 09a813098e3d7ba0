import { z } from 'zod';

/** RFC 1123 label: namespaces, and the names we accept for deployments and HPAs. */
export const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 label (a-z, 0-9, -)');

/** RFC 1123 subdomain: pod and node names. */
export const dnsSubdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a lowercase RFC 1123 name (a-z, 0-9, -, .)',
  );

export const namespaceArg = dnsLabel.describe('Kubernetes namespace, e.g. prod');

export const labelSelector = z
  .string()
  .max(512)
  .regex(
    /^[A-Za-z0-9._/-]+=[A-Za-z0-9._-]*(,[A-Za-z0-9._/-]+=[A-Za-z0-9._-]*)*$/,
    'equality terms key=value, comma separated',
  )
  .describe('label selector with equality terms, e.g. app=checkout-api');
