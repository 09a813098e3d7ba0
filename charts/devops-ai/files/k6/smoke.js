// Smoke test: one virtual user for 30 seconds; fails on any error. The first thing
// `/run test <svc>` runs, cheap enough for production.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { headers, intFromEnv, targetPath, targetUrl } from './lib/config.js';

export const options = {
  vus: 1,
  duration: `${intFromEnv('DURATION_SECONDS', 30)}s`,
  thresholds: {
    http_req_failed: ['rate==0'],
    http_req_duration: ['p(95)<1000'],
    checks: ['rate==1'],
  },
  tags: { profile: 'smoke' },
};

export default function () {
  const res = http.get(`${targetUrl()}${targetPath()}`, { headers: headers(), tags: { name: 'probe' } });
  check(res, {
    'status is 2xx': (r) => r.status >= 200 && r.status < 300,
    'answered within 1 s': (r) => r.timings.duration < 1000,
  });
  sleep(1);
}
