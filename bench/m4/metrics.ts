/** M4 competition accuracy measures (M4 `Benchmarks and Evaluation.R`). */
import { naive2 } from '@devops-ai/engines';

/** Mean sMAPE (percent) of one forecast: 200 |y − f| / (|y| + |f|). */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? 0;
    const f = forecast[i] ?? 0;
    const d = Math.abs(a) + Math.abs(f);
    s += d === 0 ? 0 : (200 * Math.abs(a - f)) / d;
  }
  return s / actual.length;
}

/** Mean MASE of one forecast, scaled by the in-sample seasonal naive mean absolute error at lag `period`. */
export function mase(
  insample: ArrayLike<number>,
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  period: number,
): number {
  let scale = 0;
  for (let i = period; i < insample.length; i++)
    scale += Math.abs((insample[i] ?? 0) - (insample[i - period] ?? 0));
  scale /= insample.length - period;
  let e = 0;
  for (let i = 0; i < actual.length; i++) e += Math.abs((actual[i] ?? 0) - (forecast[i] ?? 0));
  return e / actual.length / scale;
}

export interface Accuracy {
  readonly smape: number;
  readonly mase: number;
  readonly owa: number;
}

export interface M4Series {
  readonly id: string;
  readonly train: Float64Array;
  readonly test: Float64Array;
}

/** Corpus sMAPE and MASE (means over series), and OWA against Naive2 computed the M4 way. */
export function evaluate(
  series: readonly M4Series[],
  forecasts: readonly ArrayLike<number>[],
  period: number,
): Accuracy {
  let s = 0;
  let m = 0;
  let sn = 0;
  let mn = 0;
  series.forEach((x, i) => {
    const f = forecasts[i] ?? new Float64Array(x.test.length);
    const n2 = naive2(x.train, x.test.length, period);
    s += smape(x.test, f);
    m += mase(x.train, x.test, f, period);
    sn += smape(x.test, n2);
    mn += mase(x.train, x.test, n2, period);
  });
  const k = series.length;
  return { smape: s / k, mase: m / k, owa: 0.5 * (s / sn + m / mn) };
}
