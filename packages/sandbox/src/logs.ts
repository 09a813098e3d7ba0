import type { ServiceSpec } from './model.js';
import { keyedRng, type Rng } from './random.js';
import { FLAG_DOWNSTREAM, FLAG_FAULTY, FLAG_OVERLOADED } from './state.js';

/**
 * Log lines in each service's own style. Notable lines (start-up, shutdown, OOM, injected text)
 * are written when they happen; traffic lines (access lines, slow-request warnings, errors, memory
 * warnings) are generated on read from the pod's per-minute samples, deterministically from
 * (seed, pod, minute), so the logs always agree with the metrics. Access lines are sampled (a few
 * per minute), not one per request.
 */

export interface TimedLine {
  timeMs: number;
  line: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function clf(ms: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} +0000`;
}

function javaTime(ms: number): string {
  return iso(ms).replace('T', ' ').replace('Z', '');
}

function fillPath(path: string, rng: Rng): string {
  return path
    .replace('{id}', String(rng.int(1000, 99999)))
    .replace('{sku}', `SKU-${rng.int(10000, 99999)}`)
    .replace('{q}', rng.pick(['shoes', 'rain+jacket', 'tent', 'headlamp', 'socks', 'backpack']))
    .replace('{c}', rng.pick(['outdoor', 'kitchen', 'garden', 'books']));
}

function level(lang: ServiceSpec['language'], lvl: 'INFO' | 'WARN' | 'ERROR'): string {
  if (lang === 'java') return lvl === 'WARN' ? ' WARN' : lvl === 'INFO' ? ' INFO' : 'ERROR';
  return lvl;
}

export function formatLine(
  spec: ServiceSpec,
  ms: number,
  lvl: 'INFO' | 'WARN' | 'ERROR',
  msg: string,
  fields: Record<string, string | number> = {},
): string {
  switch (spec.language) {
    case 'go':
      return JSON.stringify({ time: iso(ms), level: lvl, msg, ...fields });
    case 'java': {
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `${javaTime(ms)} ${level('java', lvl)} 1 --- [nio-8080-exec-${((ms / 1000) % 9) | 0}] c.a.${spec.name.replace(
        '-api',
        '',
      )}.${lvl === 'ERROR' ? 'ErrorHandler' : 'Service'} : ${msg}${extra ? ` ${extra}` : ''}`;
    }
    case 'python': {
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `${iso(ms)} ${lvl.padEnd(7)} ${spec.name}: ${msg}${extra ? ` ${extra}` : ''}`;
    }
    default: {
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `${iso(ms)} ${lvl} ${msg}${extra ? ` ${extra}` : ''}`;
    }
  }
}

export function startupLines(spec: ServiceSpec, image: string, ms: number): string[] {
  const version = image.split(':').pop() ?? 'unknown';
  switch (spec.language) {
    case 'java':
      return [
        `${javaTime(ms)}  INFO 1 --- [           main] c.a.Application : Starting ${spec.name} v${version} using Java 21.0.6 with PID 1`,
        `${javaTime(ms + 2100)}  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer : Tomcat started on port 8080 (http) with context path '/'`,
        `${javaTime(ms + 2300)}  INFO 1 --- [           main] c.a.Application : Started ${spec.name} in 6.84 seconds (process running for 7.3)`,
      ];
    case 'go':
      return [
        JSON.stringify({ time: iso(ms), level: 'INFO', msg: 'starting', service: spec.name, version }),
        JSON.stringify({ time: iso(ms + 400), level: 'INFO', msg: 'listening', addr: ':8080' }),
      ];
    case 'python':
      return [
        `INFO:     Started server process [1]`,
        `INFO:     Waiting for application startup.`,
        `${iso(ms + 1500)} INFO    ${spec.name}: index loaded version=${version} documents=184213`,
        `INFO:     Application startup complete.`,
        `INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)`,
      ];
    default:
      return [
        `${iso(ms)} INFO ${spec.name}@${version} starting (node v20.19.5, NODE_ENV=production)`,
        `${iso(ms + 800)} INFO server listening on http://0.0.0.0:8080`,
      ];
  }
}

export function oomLines(spec: ServiceSpec, ms: number, memMiB: number): string[] {
  switch (spec.language) {
    case 'java':
      return [
        formatLine(
          spec,
          ms - 4000,
          'WARN',
          `GC overhead limit approaching: heap ${Math.round(memMiB)}MiB used`,
        ),
        `Exception in thread "http-nio-8080-exec-3" java.lang.OutOfMemoryError: Java heap space`,
      ];
    case 'go':
      return [
        'fatal error: runtime: out of memory',
        '',
        'runtime stack:',
        'runtime.throw({0x9a3f21?, 0x0?})',
      ];
    case 'python':
      return [formatLine(spec, ms - 2000, 'ERROR', 'MemoryError while building response'), 'Killed'];
    default:
      return [
        '<--- Last few GCs --->',
        `[1:0x5a1c2e0]   ${Math.round(memMiB)} MB, mark-compact (reduce) ... allocation failure`,
        'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      ];
  }
}

export function shutdownLines(spec: ServiceSpec, ms: number): string[] {
  return [formatLine(spec, ms, 'INFO', 'received SIGTERM, shutting down gracefully')];
}

export interface SampleForLogs {
  minute: number;
  rps: number;
  errorRatio: number;
  p50: number;
  p95: number;
  memMiB: number;
  flags: number;
}

const BAD_DEPLOY_ERRORS: Record<ServiceSpec['language'], string[]> = {
  java: [
    'Unhandled exception processing request: java.lang.NullPointerException: Cannot invoke "PromoCode.discount()" because "promo" is null',
    'Request failed: org.springframework.dao.InvalidDataAccessResourceUsageException: column "shipping_tier" does not exist',
  ],
  go: [
    'handler panic: runtime error: invalid memory address or nil pointer dereference',
    'decode request: unknown field "cartVersion"',
  ],
  python: [
    "Exception in ASGI application: KeyError: 'boost_fields'",
    'TypeError: rank_results() missing 1 required positional argument: "locale"',
  ],
  node: [
    "TypeError: Cannot read properties of undefined (reading 'price')",
    'Unhandled promise rejection: Error: template "product-v2" not found',
  ],
};

/** Traffic lines for one minute of one pod's samples. */
export function generatedLines(seed: number, spec: ServiceSpec, pod: string, s: SampleForLogs): TimedLine[] {
  if (s.rps <= 0) return [];
  const rng = keyedRng(seed, `log:${pod}:${s.minute}`);
  const out: TimedLine[] = [];
  const startMs = (s.minute - 1) * 60_000;
  const n = Math.max(1, Math.min(4, Math.round((s.rps * 60) / 250)));
  const spread = Math.log(Math.max(s.p95 / Math.max(s.p50, 0.001), 1.01)) / 1.645;
  const times = Array.from({ length: n }, () => startMs + rng.int(0, 59_999)).sort((a, b) => a - b);
  for (const t of times) {
    const z = (rng.next() + rng.next() + rng.next() - 1.5) * 2;
    const latency = Math.max(0.5, s.p50 * Math.exp(z * spread));
    const failed = rng.next() < s.errorRatio;
    const status = failed ? (s.flags & FLAG_FAULTY ? 500 : rng.pick([502, 503, 504])) : 200;
    const [method = 'GET', rawPath = '/'] = rng.pick(spec.paths).split(' ');
    const path = fillPath(rawPath, rng);
    out.push({ timeMs: t, line: accessLine(spec, t, method, path, status, latency, rng) });
    if (failed) out.push({ timeMs: t + 1, line: errorLine(spec, t + 1, s.flags, rng) });
  }
  if (s.p95 > spec.p95SloMs) {
    const t = startMs + rng.int(0, 59_999);
    const ms = Math.round(s.p95 * (1 + rng.next() * 0.4));
    out.push({
      timeMs: t,
      line: formatLine(spec, t, 'WARN', 'slow request', { duration_ms: ms, threshold_ms: spec.p95SloMs }),
    });
  }
  if (s.memMiB > spec.memLimitMiB * 0.85) {
    const t = startMs + rng.int(0, 59_999);
    const pct = Math.round((s.memMiB / spec.memLimitMiB) * 100);
    out.push({
      timeMs: t,
      line: formatLine(spec, t, 'WARN', 'memory usage high', {
        used_mib: Math.round(s.memMiB),
        limit_mib: spec.memLimitMiB,
        percent: pct,
      }),
    });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

function accessLine(
  spec: ServiceSpec,
  t: number,
  method: string,
  path: string,
  status: number,
  latencyMs: number,
  rng: Rng,
): string {
  const ip = `10.0.${rng.int(0, 95)}.${rng.int(2, 254)}`;
  switch (spec.language) {
    case 'node':
      return `${ip} - - [${clf(t)}] "${method} ${path} HTTP/1.1" ${status} ${rng.int(200, 48000)} "-" "Mozilla/5.0 (X11; Linux x86_64)" rt=${(
        latencyMs / 1000
      ).toFixed(3)}`;
    case 'python':
      return `INFO:     ${ip}:${rng.int(30000, 65000)} - "${method} ${path} HTTP/1.1" ${status} ${status === 200 ? 'OK' : 'Internal Server Error'}`;
    case 'go':
      return JSON.stringify({
        time: iso(t),
        level: status >= 500 ? 'ERROR' : 'INFO',
        msg: 'request',
        method,
        path,
        status,
        duration_ms: Math.round(latencyMs * 10) / 10,
      });
    default:
      return formatLine(spec, t, 'INFO', `${method} ${path} ${status} ${Math.round(latencyMs)}ms`);
  }
}

function errorLine(spec: ServiceSpec, t: number, flags: number, rng: Rng): string {
  if (flags & FLAG_FAULTY) return formatLine(spec, t, 'ERROR', rng.pick(BAD_DEPLOY_ERRORS[spec.language]));
  if (flags & FLAG_DOWNSTREAM) {
    const dep = Object.keys(spec.calls)[0] ?? 'upstream';
    return formatLine(spec, t, 'ERROR', `call to ${dep} failed: 503 Service Unavailable`, { retries: 2 });
  }
  if (flags & FLAG_OVERLOADED)
    return formatLine(spec, t, 'ERROR', 'request timed out waiting for a worker', {
      queue_depth: rng.int(40, 400),
    });
  return formatLine(
    spec,
    t,
    'ERROR',
    rng.pick(['connection reset by peer', 'client disconnected before response']),
  );
}
