// Shared settings of the synthetic tests. Every script reads its target from the environment so
// one ConfigMap of scripts serves every service: `/run test <svc>` starts a k6 Job with
// TARGET_URL=http://<svc>.<namespace>.svc:<port> and the script of the chosen profile.

/** Base URL of the service under test, without a trailing slash. */
export function targetUrl() {
  const url = __ENV.TARGET_URL;
  if (!url) {
    throw new Error('TARGET_URL is required, e.g. TARGET_URL=http://checkout.shop.svc:8080');
  }
  return url.replace(/\/+$/, '');
}

/** Path probed by the scripts (default /healthz). */
export function targetPath() {
  const path = __ENV.TARGET_PATH || '/healthz';
  return path.startsWith('/') ? path : `/${path}`;
}

/** A positive integer from the environment, or the fallback. */
export function intFromEnv(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

/** Request headers: an optional bearer token (AUTH_TOKEN) and a recognisable user agent. */
export function headers() {
  const h = { 'User-Agent': 'devops-ai-k6/1.0' };
  if (__ENV.AUTH_TOKEN) h.Authorization = `Bearer ${__ENV.AUTH_TOKEN}`;
  return h;
}

/** Thresholds matching the SLOs of observability/prometheus/rules/slo.rules.yml. */
export const sloThresholds = {
  http_req_failed: ['rate<0.001'],
  http_req_duration: ['p(99)<500'],
  checks: ['rate>0.999'],
};
