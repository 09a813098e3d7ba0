// Synthetic check of the devops-ai host itself: health, metrics, and that the Alertmanager
// webhook refuses unauthenticated calls. TARGET_URL=http://devops-ai-host.devops-ai.svc:8787
import { check, group, sleep } from 'k6';
import http from 'k6/http';
import { targetUrl } from './lib/config.js';

export const options = {
  vus: 2,
  duration: '1m',
  thresholds: {
    checks: ['rate==1'],
    'http_req_duration{name:healthz}': ['p(95)<200'],
  },
  tags: { profile: 'host' },
};

export default function () {
  const base = targetUrl();
  group('health', () => {
    const res = http.get(`${base}/healthz`, { tags: { name: 'healthz' } });
    check(res, { 'healthz is 200': (r) => r.status === 200 });
  });
  group('metrics', () => {
    const res = http.get(`${base}/metrics`, { tags: { name: 'metrics' } });
    check(res, {
      'metrics is 200': (r) => r.status === 200,
      'exposes devops_ai_ metrics': (r) => typeof r.body === 'string' && r.body.includes('devops_ai_'),
    });
  });
  group('webhook auth', () => {
    const res = http.post(`${base}/webhooks/alertmanager`, JSON.stringify({ alerts: [] }), {
      headers: { 'Content-Type': 'application/json' },
      tags: { name: 'webhook-unauthenticated' },
      responseCallback: http.expectedStatuses(401, 403),
    });
    check(res, { 'webhook refuses a call without token': (r) => r.status === 401 || r.status === 403 });
  });
  sleep(1);
}
