import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 style for the values we use: objects with sorted keys, no whitespace,
 * `undefined` members dropped). Two semantically equal argument objects give the same string, so
 * an approval can be bound to a digest of its call.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError('canonicalJson: non-finite number');
  }
  return value;
}

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/** The digest an approval is bound to: server, tool and canonical arguments. */
export function callDigest(server: string, tool: string, args: unknown): string {
  return sha256Hex(canonicalJson({ server, tool, args }));
}
