/**
 * Approval-click ack latency: N concurrent Approve clicks, each a signed Slack `block_actions` request by
 * the mapped approver on its own pending approval, through the real Bolt app. Reports the time until each
 * response (Slack's "ack": limit 3 s, target p99 ≤ 100 ms), and the time until every approved call had
 * executed, once.
 *
 *   1. in process: Requests straight into the host's Hono app (all middleware, the Slack receiver's
 *      signature check, Bolt, the listener, ack) — what the host and Bolt cost;
 *   2. over HTTP: from a worker thread (its own event loop, like Slack's servers) to a listening host,
 *      next to the same burst against GET /healthz: the floor this machine's HTTP stack sets. Two load
 *      generators: a wrk-style one (a warm keep-alive TCP connection per click, requests serialised in
 *      advance, time from the write to the complete response), which measures the server; and Node's
 *      fetch (undici), whose own per-request cost on this 2-core machine is in its numbers too.
 *
 * The in-process burst runs --rounds times (default 3) on fresh approvals; the median round is reported
 * (a shared CI machine is noisy).
 *
 *   npm run bench:approval-ack -- [--clicks 100] [--rounds 3]
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { attachChannels, channelsConfigSchema } from '../../host/src/channels/index.js';
import { blockActionBody, signSlack, startFakeSlack } from '../../host/src/channels/testing/fake-slack.js';
import { startHarness } from '../../host/src/channels/testing/harness.js';
import type { HostUser } from '../../host/src/users.js';

const { values: args } = parseArgs({
  options: { clicks: { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' } },
});
const clicks = Number(args.clicks);
const rounds = Number(args.rounds);
if (
  !Number.isInteger(clicks) ||
  clicks < 1 ||
  clicks > 500 ||
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  rounds > 9
) {
  console.error('usage: npm run bench:approval-ack -- [--clicks 1..500] [--rounds 1..9]');
  process.exit(2);
}

const SECRET = 'bench-signing-secret-0123456789';
const h = await startHarness();
const slack = await startFakeSlack();
const channels = attachChannels(
  h.host,
  channelsConfigSchema.parse({
    slack: { botToken: 'xoxb-bench', signingSecret: SECRET, apiUrl: slack.apiUrl },
    identities: { 'slack:UBOB': 'bob' },
    clusterWatchSeconds: 0,
  }),
  { gateway: h.gateway },
);
const server = serve({ fetch: h.host.app.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise<void>((r) => server.once('listening', () => r()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const alice = h.host.users.get('alice') as HostUser;

/** n pending approvals requested by alice, each in its own conversation. */
async function approvals(n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) =>
        h.host.chat(alice, `scale checkout-api in prod to ${2 + ((i + j) % 7)}`, `bench-${tag}-${i + j}`),
      ),
    );
    for (const r of batch) ids.push(...r.approvals.map((a) => a.id));
  }
  if (ids.length !== n) throw new Error(`expected ${n} approvals, got ${ids.length}`);
  return ids;
}

function clickRequests(ids: string[]) {
  return ids.map((id, i) => {
    const body = blockActionBody({
      user: 'UBOB',
      approvalId: id,
      action: 'approval_approve',
      channel: 'C0OPS',
      messageTs: `1700001000.${String(i).padStart(6, '0')}`,
      responseUrl: slack.responseUrl(id),
    });
    return {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlack(SECRET, body) },
    };
  });
}

async function allExecuted(ids: string[], since: number): Promise<{ ms: number; executions: number }> {
  for (;;) {
    const done = ids.filter((id) => ['executed', 'failed'].includes(h.host.store.get(id)?.status ?? ''));
    if (done.length === ids.length) break;
    if (performance.now() - since > 180_000) throw new Error(`only ${done.length}/${ids.length} executed`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - since;
  const executions = h.host.audit
    .list({ limit: 1000 })
    .filter((e) => e.type === 'tool.executed' && ids.includes(e.subject ?? '')).length;
  return { ms, executions };
}

const round = (x: number) => Math.round(x * 10) / 10;
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
  return { p50: round(pct(50)), p90: round(pct(90)), p99: round(pct(99)), max: round(s[s.length - 1] ?? 0) };
}

const statuses = (rs: Array<{ status: number }>) =>
  Object.fromEntries(
    [...new Set(rs.map((r) => r.status))].map((s) => [s, rs.filter((r) => r.status === s).length]),
  );

/** The wrk-style load generator (its own file: a worker's CommonJS script). */
const RAW_CLIENT = new URL('./raw-client.cjs', import.meta.url);

const FETCH_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  // Warm the client first (undici's pool and JIT in this fresh worker), so the burst measures the
  // server's ack, not the load generator's cold start. The warm-up opens as many keep-alive
  // connections as the burst will use; each click is still its own request.
  const warmUrl = new URL('/healthz', workerData.url).href;
  for (let i = 0; i < 3; i++) {
    await Promise.all(workerData.requests.map(() => fetch(warmUrl).then((r) => r.arrayBuffer())));
  }
  const results = await Promise.all(workerData.requests.map(async (r) => {
    const s = performance.now();
    const res = await fetch(workerData.url, r.body ? { method: 'POST', headers: r.headers, body: r.body } : {});
    const ms = performance.now() - s;
    await res.arrayBuffer();
    return { status: res.status, ms };
  }));
  parentPort.postMessage(results);
})();
`;
function fromWorker(
  client: 'raw' | 'fetch',
  url: string,
  requests: Array<{ body?: string; headers?: Record<string, string> }>,
) {
  return new Promise<Array<{ status: number; ms: number }>>((resolve, reject) => {
    const w =
      client === 'raw'
        ? new Worker(RAW_CLIENT, { workerData: { url, requests } })
        : new Worker(FETCH_CLIENT, { eval: true, workerData: { url, requests } });
    w.once('message', (m) => {
      void w.terminate();
      if (Array.isArray(m)) resolve(m as Array<{ status: number; ms: number }>);
      else reject(new Error(`load generator failed: ${JSON.stringify(m)}`));
    });
    w.once('error', reject);
  });
}

const t0 = performance.now();
const roundIds: string[][] = [];
for (let r = 0; r < rounds; r++) roundIds.push(await approvals(clicks, `in${r}`));
const httpIds = await approvals(clicks, 'http');
const fetchIds = await approvals(clicks, 'fetch');
const setupMs = performance.now() - t0;

// Warm-up (Bolt's first auth.test, JIT), not measured.
const warm = await h.host.chat(alice, 'restart cart in prod', 'bench-warm');
const [warmReq] = clickRequests(warm.approvals.map((a) => a.id));
if (warmReq) await (await h.host.app.request('/slack/events', { method: 'POST', ...warmReq })).arrayBuffer();
await channels.slack?.idle();

// 1. in process, `rounds` bursts
const inRounds: Array<{
  ack: ReturnType<typeof stats>;
  statuses: Record<string, number>;
  exec: { ms: number; executions: number };
}> = [];
for (const ids of roundIds) {
  const reqs = clickRequests(ids);
  const start = performance.now();
  const results = await Promise.all(
    reqs.map(async (r) => {
      const s = performance.now();
      const res = await h.host.app.request('/slack/events', {
        method: 'POST',
        headers: r.headers,
        body: r.body,
      });
      const ms = performance.now() - s;
      await res.arrayBuffer();
      return { status: res.status, ms };
    }),
  );
  const exec = await allExecuted(ids, start);
  await channels.slack?.idle();
  inRounds.push({ ack: stats(results.map((r) => r.ms)), statuses: statuses(results), exec });
}
const median = [...inRounds].sort((a, b) => a.ack.p99 - b.ack.p99)[
  Math.floor(inRounds.length / 2)
] as (typeof inRounds)[number];

// 2. over HTTP, with the floor of the same burst on GET /healthz, from each load generator
const healthz = Array.from({ length: clicks }, () => ({}));
const floor = await fromWorker('raw', `${base}/healthz`, healthz);
const httpStart = performance.now();
const httpResults = await fromWorker('raw', `${base}/slack/events`, clickRequests(httpIds));
const httpExec = await allExecuted(httpIds, httpStart);
await channels.slack?.idle();
const fetchFloor = await fromWorker('fetch', `${base}/healthz`, healthz);
const fetchStart = performance.now();
const fetchResults = await fromWorker('fetch', `${base}/slack/events`, clickRequests(fetchIds));
const fetchExec = await allExecuted(fetchIds, fetchStart);

type Burst = Array<{ status: number; ms: number }>;
function httpReport(results: Burst, exec: { ms: number; executions: number }, floorBurst: Burst) {
  return {
    ackMs: stats(results.map((r) => r.ms)),
    statuses: statuses(results),
    allExecutedMs: Math.round(exec.ms),
    executions: exec.executions,
    floorHealthzMs: stats(floorBurst.map((r) => r.ms)),
  };
}

const report = {
  clicks,
  inProcess: {
    ackMs: median.ack,
    rounds: inRounds.map((r) => ({
      ackMs: r.ack,
      statuses: r.statuses,
      allExecutedMs: Math.round(r.exec.ms),
      executions: r.exec.executions,
    })),
  },
  overHttp: httpReport(httpResults, httpExec, floor),
  overHttpFetch: httpReport(fetchResults, fetchExec, fetchFloor),
  setupMs: Math.round(setupMs),
  targetP99Ms: 100,
};
const pass =
  median.ack.p99 <= 100 &&
  report.overHttp.ackMs.p99 <= 100 &&
  inRounds.every((r) => r.exec.executions === clicks) &&
  httpExec.executions === clicks &&
  fetchExec.executions === clicks &&
  [...httpResults, ...fetchResults].every((r) => r.status === 200);
const line = (name: string, a: ReturnType<typeof stats>) =>
  `${name}: p50 ${a.p50} ms · p90 ${a.p90} ms · p99 ${a.p99} ms · max ${a.max} ms`;
console.log(`approval-click ack latency, ${clicks} concurrent clicks (target p99 ≤ 100 ms)`);
console.log(`  ${line(`in process, median of ${rounds} rounds          `, median.ack)}`);
console.log(`    rounds' p99: ${inRounds.map((r) => `${r.ack.p99} ms`).join(', ')}`);
console.log(`  ${line('over HTTP, wrk-style client in a worker   ', report.overHttp.ackMs)}`);
console.log(`  ${line('  its floor: same burst on GET /healthz   ', report.overHttp.floorHealthzMs)}`);
console.log(`  ${line('over HTTP, fetch (undici) in a worker     ', report.overHttpFetch.ackMs)}`);
console.log(`  ${line('  its floor: same burst on GET /healthz   ', report.overHttpFetch.floorHealthzMs)}`);
console.log(
  `  every bound call executed exactly once: ${inRounds.map((r) => `${r.exec.executions}/${clicks} in ${Math.round(r.exec.ms)} ms`).join(', ')} (in process); ${httpExec.executions}/${clicks} in ${report.overHttp.allExecutedMs} ms and ${fetchExec.executions}/${clicks} in ${report.overHttpFetch.allExecutedMs} ms (HTTP)`,
);
console.log(JSON.stringify(report));

await channels.close();
await new Promise<void>((r) => server.close(() => r()));
await slack.close();
await h.close();
process.exit(pass ? 0 : 1);
