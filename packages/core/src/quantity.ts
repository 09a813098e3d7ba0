/**
 * Kubernetes resource quantities (`resource.Quantity`): `3920m`, `2`, `1.5`, `15Gi`, `16116152Ki`,
 * `128974848`, `129e6`, `100M`. Parsed without floating-point drift for the decimal forms by letting
 * `Number()` convert the exact decimal text (`3920m` is read as `3920e-3`, never as `3.92 * 1000`).
 */

const BINARY_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXP: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?\d+))?$/;

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

interface ParsedQuantity {
  sign: '' | '-';
  digits: string;
  /** power of ten for decimal forms */
  decimalExp: number;
  /** power of two for binary forms (0 for decimal forms) */
  binaryExp: number;
}

function parse(q: string): ParsedQuantity {
  const m = QUANTITY.exec(q.trim());
  if (!m) throw new QuantityError(`not a Kubernetes quantity: ${JSON.stringify(q)}`);
  const [, sign = '', digits = '0', binary, decimal, exponent] = m;
  return {
    sign: sign === '-' ? '-' : '',
    digits,
    decimalExp: binary ? 0 : exponent !== undefined ? Number(exponent) : (DECIMAL_EXP[decimal ?? ''] ?? 0),
    binaryExp: binary ? (BINARY_EXP[binary] ?? 0) : 0,
  };
}

function scaled(p: ParsedQuantity, extraDecimalExp: number): number {
  const base = Number(`${p.sign}${p.digits}e${p.decimalExp + extraDecimalExp}`);
  return p.binaryExp ? base * 2 ** p.binaryExp : base;
}

/** The quantity's value in base units (cores, bytes). */
export function parseQuantity(q: string): number {
  return scaled(parse(q), 0);
}

/** CPU in millicores; like Kubernetes' `MilliValue()`, fractions of a millicore round up. */
export function cpuToMillicores(q: string): number {
  return Math.ceil(scaled(parse(q), 3));
}

/** Memory in bytes; fractions of a byte round up, like Kubernetes' `Value()`. */
export function memoryToBytes(q: string): number {
  return Math.ceil(scaled(parse(q), 0));
}

export function bytesToMiB(bytes: number): number {
  return bytes / 2 ** 20;
}
