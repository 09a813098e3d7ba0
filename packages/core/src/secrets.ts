import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret (bearer token, webhook secret) with the expected one in constant time. */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
