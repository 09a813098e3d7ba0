// Load test: ramps to TARGET_VUS virtual users, holds, and ramps down. Thresholds are the
// service SLOs (99.9% success, p99 under 500 ms), so a pass means the SLO holds at that load.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { headers, intFromEnv, sloThresholds, targetPath, targetUrl } from './lib/config.js';

const vus = intFromEnv('TARGET_VUS', 20);
const hold = intFromEnv('HOLD_SECONDS', 300);

export const options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '1m', target: vus },
        { duration: `${hold}s`, target: vus },
        { duration: '30s', target: 0 },
      ],
      gracefulRampDown: '30s',
    },
  },
  thresholds: sloThresholds,
  tags: { profile: 'load' },
};

export default function () {
  const res = http.get(`${targetUrl()}${targetPath()}`, { headers: headers(), tags: { name: 'probe' } });
  check(res, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 });
  sleep(Math.random() * 2);
}
