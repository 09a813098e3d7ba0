/**
 * Deterministic randomness. The world never uses Math.random or wall time: a seeded generator whose
 * state lives in the persisted world (for choices that depend on the call sequence, such as pod
 * names) and stateless hashes of (seed, key) for values that must not depend on call order (metric
 * noise, generated log lines).
 */

/** 32-bit FNV-1a over a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One step of mulberry32: returns the next state and a float in [0, 1). */
export function mulberry32(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}

/** A stateful generator over a persisted state (the caller stores `state` back). */
export class Rng {
  constructor(public state: number) {}
  next(): number {
    const r = mulberry32(this.state);
    this.state = r.state;
    return r.value;
  }
  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Rng.pick on an empty list');
    return item;
  }
}

/** A float in [0, 1) determined only by the seed and the key. */
export function hashUnit(seed: number, key: string): number {
  return mulberry32(fnv1a(`${seed}:${key}`)).value;
}

/** A generator determined only by the seed and the key (for generated log lines). */
export function keyedRng(seed: number, key: string): Rng {
  return new Rng(fnv1a(`${seed}:${key}`));
}

/** Approximately normal noise (sum of uniforms), mean 0, standard deviation ~1. */
export function hashNormal(seed: number, key: string): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s += hashUnit(seed, `${key}#${i}`);
  return (s - 2) * Math.sqrt(3);
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes-style random suffix (the alphabet Kubernetes uses for generated names). */
export function k8sSuffix(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[rng.int(0, ALNUM.length - 1)];
  return out;
}

/** Kubernetes-style pod-template-hash from the template's content. */
export function templateHash(content: string): string {
  let h = fnv1a(content);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += ALNUM[h % ALNUM.length];
    h = Math.floor(h / ALNUM.length) ^ fnv1a(`${content}:${i}`);
    h >>>= 0;
  }
  return out;
}

function mix(a: number, b: number): number {
  let h = Math.imul((a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2))) >>> 0, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Approximately normal noise (mean 0, sd ~1) determined by integers only: the seed, a key hash
 * (fnv1a of a name), the minute and a channel number. Cheap enough for every pod at every tick.
 */
export function noiseNormal(seed: number, keyHash: number, minute: number, channel: number): number {
  let h = mix(mix(mix(seed >>> 0, keyHash), minute >>> 0), channel);
  let s = 0;
  for (let i = 0; i < 4; i++) {
    h = mix(h, i + 1);
    s += h / 4294967296;
  }
  return (s - 2) * Math.sqrt(3);
}
