import { z } from 'zod';

export const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 label (a-z, 0-9, -)');

export const promql = z.string().min(1).max(4000).describe('PromQL expression');

export const isoTime = z.iso.datetime({ offset: true }).describe('RFC 3339 time, e.g. 2026-03-02T08:00:00Z');
