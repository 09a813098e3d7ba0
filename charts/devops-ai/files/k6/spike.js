// Spike (burst) test: a steady BASE_RPS, then SPIKE_FACTOR times that for two minutes, then
// back. Watch the burst-scaling dashboard: the HPA should add replicas and the error budget
// should hold. Latency is allowed to degrade (p95 < 2 s) during the burst, failures are not.
import { check } from 'k6';
import http from 'k6/http';
import { headers, intFromEnv, targetPath, targetUrl } from './lib/config.js';

const base = intFromEnv('BASE_RPS', 10);
const factor = intFromEnv('SPIKE_FACTOR', 10);

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: base,
      timeUnit: '1s',
      preAllocatedVUs: Math.max(10, base * 2),
      maxVUs: Math.max(50, base * factor * 2),
      stages: [
        { duration: '2m', target: base },
        { duration: '20s', target: base * factor },
        { duration: '2m', target: base * factor },
        { duration: '20s', target: base },
        { duration: '3m', target: base },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<2000'],
    dropped_iterations: ['count<100'],
  },
  tags: { profile: 'spike' },
};

export default function () {
  const res = http.get(`${targetUrl()}${targetPath()}`, { headers: headers(), tags: { name: 'probe' } });
  check(res, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 });
}
