import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { attachChannels, type Channels, channelsConfigSchema } from '../index.js';
import { blockActionBody, type FakeSlack, signSlack, startFakeSlack } from '../testing/fake-slack.js';
import { type Harness, startHarness } from '../testing/harness.js';

const SECRET = 'test-signing-secret-0123456789';

describe('Slack channel (real Bolt app, signed HTTP requests, local Web API)', () => {
  let h: Harness;
  let slack: FakeSlack;
  let channels: Channels;

  beforeAll(async () => {
    h = await startHarness({ approvalTtlMs: 10 * 60_000 });
    slack = await startFakeSlack();
    const config = channelsConfigSchema.parse({
      slack: {
        botToken: 'xoxb-test-token',
        signingSecret: SECRET,
        apiUrl: slack.apiUrl,
        notifyChannel: 'C0NOTIFY',
      },
      identities: { 'slack:UALICE': 'alice', 'slack:UBOB': 'bob', 'slack:UCAROL': 'carol' },
      clusterWatchSeconds: 0,
    });
    channels = attachChannels(h.host, config, { gateway: h.gateway });
  });
  afterAll(async () => {
    await channels.close();
    await slack.close();
    await h.close();
  });

  async function post(body: string, type: string, headers: Record<string, string> = signSlack(SECRET, body)) {
    const res = await h.host.app.request('/slack/events', {
      method: 'POST',
      headers: { 'content-type': type, ...headers },
      body,
    });
    return res;
  }

  const mention = (user: string, text: string, ts: string) =>
    JSON.stringify({
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: `Ev${ts.replace('.', '')}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user, text: `<@U0BOT> ${text}`, ts, channel: 'C0OPS', event_ts: ts },
    });

  const click = (
    user: string,
    approvalId: string,
    action: 'approval_approve' | 'approval_reject',
    messageTs: string,
  ) =>
    blockActionBody({
      user,
      approvalId,
      action,
      channel: 'C0OPS',
      messageTs,
      responseUrl: slack.responseUrl(messageTs),
    });

  /** Mentions the bot asking for a change; returns the approval card Slack received. */
  async function requestChange(user: string, text: string, ts: string) {
    const res = await post(mention(user, text, ts), 'application/json');
    expect(res.status).toBe(200);
    const card = await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts && Array.isArray(c.body.blocks),
    );
    const blocks = card.body.blocks as Array<{
      type: string;
      elements?: Array<{ action_id?: string; value?: string }>;
    }>;
    const approvalId = blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value as string;
    return { approvalId, card };
  }

  it('answers a mention in its thread, posts a Block Kit card, and a mapped approver’s click executes the call once and updates the card', async () => {
    const before = h.replicas('prod', 'checkout-api');
    const { approvalId, card } = await requestChange(
      'UALICE',
      'scale checkout-api in prod to 5',
      '1800000000.000100',
    );
    expect(approvalId).toMatch(/^apr_[0-9a-f]{16}$/);
    const text = JSON.stringify(card.body.blocks);
    for (const want of ['k8s_scale_deployment', '\\"replicas\\": 5', 'alice', 'Approve', 'Reject', 'Digest'])
      expect(text).toContain(want);
    const reply = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === '1800000000.000100' && !c.body.blocks,
    );
    expect(String(reply?.body.text)).toMatch(/approv/i);
    expect(h.replicas('prod', 'checkout-api')).toBe(before);

    const ts = '1700000099.000100';
    const t0 = performance.now();
    const res = await post(
      click('UBOB', approvalId, 'approval_approve', ts),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(3000);
    const update = await slack.waitFor(
      (c) =>
        c.method === 'chat.update' && c.body.ts === ts && JSON.stringify(c.body.blocks).includes('executed'),
    );
    expect(JSON.stringify(update.body.blocks)).toContain('Approved by bob and executed');
    expect(JSON.stringify(update.body.blocks)).not.toContain('approval_approve');
    expect(h.replicas('prod', 'checkout-api')).toBe(5);
    expect(h.host.store.get(approvalId)?.status).toBe('executed');
    const executed = h.host.audit
      .list({ limit: 1000 })
      .filter((e) => e.type === 'tool.executed' && e.subject === approvalId);
    expect(executed).toHaveLength(1);

    // A second click on the same card (a new, validly signed request) runs nothing again.
    const again = await post(
      click('UBOB', approvalId, 'approval_approve', ts),
      'application/x-www-form-urlencoded',
    );
    expect(again.status).toBe(200);
    const eph = await slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && String(c.body.text).includes('already'),
    );
    expect(eph.body.user).toBe('UBOB');
    expect(
      h.host.audit
        .list({ limit: 1000 })
        .filter((e) => e.type === 'tool.executed' && e.subject === approvalId),
    ).toHaveLength(1);
  });

  it('refuses and audits a click by a mapped user who is not an approver', async () => {
    const { approvalId } = await requestChange('UALICE', 'restart cart in prod', '1800000001.000100');
    const res = await post(
      click('UALICE', approvalId, 'approval_approve', '1700000200.000100'),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    const eph = await slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === 'UALICE');
    expect(String(eph.body.text)).toMatch(/Refused/);
    expect(h.host.store.get(approvalId)?.status).toBe('pending');
    const refused = h.host.audit
      .list({ limit: 1000 })
      .find((e) => e.type === 'approval.refused' && e.subject === approvalId);
    expect(refused?.actor).toBe('alice');
  });

  it('refuses and audits a click by an unmapped Slack user without deciding anything', async () => {
    const { approvalId } = await requestChange('UALICE', 'restart search in prod', '1800000002.000100');
    const res = await post(
      click('UMALLORY', approvalId, 'approval_approve', '1700000300.000100'),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    await expect
      .poll(() =>
        h.host.audit
          .list({ limit: 1000 })
          .find((e) => e.type === 'channel.refused' && e.subject === approvalId),
      )
      .toMatchObject({ actor: 'slack:UMALLORY', data: { code: 'unknown_user' } });
    expect(h.host.store.get(approvalId)?.status).toBe('pending');
  });

  it('refuses and audits a click on an expired approval', async () => {
    const { approvalId } = await requestChange('UALICE', 'restart catalog in prod', '1800000003.000100');
    h.advanceClock(11 * 60_000);
    const res = await post(
      click('UBOB', approvalId, 'approval_approve', '1700000400.000100'),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    const eph = await slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && String(c.body.text).includes('expired'),
    );
    expect(eph.body.user).toBe('UBOB');
    expect(h.host.store.get(approvalId)?.status).toBe('expired');
    const refused = h.host.audit
      .list({ limit: 1000 })
      .find((e) => e.type === 'approval.refused' && e.subject === approvalId);
    expect(refused?.data).toMatchObject({ code: 'approval_expired' });
    await slack.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.body.ts === '1700000400.000100' &&
        JSON.stringify(c.body.blocks).includes('Expired'),
    );
  });

  it('refuses a forged signature, a timestamp older than five minutes and a replayed request (401, audited)', async () => {
    const body = mention('UBOB', 'status', '1800000009.000100');
    const forged = await post(body, 'application/json', signSlack('not-the-secret-at-all-xxxxxx', body));
    expect(forged.status).toBe(401);
    const stale = await post(
      body,
      'application/json',
      signSlack(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60),
    );
    expect(stale.status).toBe(401);
    const headers = signSlack(SECRET, body);
    expect((await post(body, 'application/json', headers)).status).toBe(200);
    expect((await post(body, 'application/json', headers)).status).toBe(401);
    const codes = h.host.audit
      .list({ limit: 1000 })
      .filter((e) => e.type === 'channel.refused' && e.data.channel === 'slack')
      .map((e) => e.data.code);
    expect(codes).toEqual(expect.arrayContaining(['bad_signature', 'stale_request', 'replayed']));
  });

  it('refuses a body over 1 MiB with 413 before verifying or parsing it', async () => {
    const refusedBefore = h.host.audit
      .list({ limit: 1000 })
      .filter((e) => e.type === 'channel.refused').length;
    const big = mention('UBOB', `status ${'x'.repeat(1024 * 1024)}`, '1800000010.000100');
    expect((await post(big, 'application/json')).status).toBe(413);
    const declared = await h.host.app.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(2 * 1024 * 1024),
        ...signSlack(SECRET, '{}'),
      },
      body: '{}',
    });
    expect(declared.status).toBe(413);
    // nothing reached the receiver: no refusal for a bad signature, no event run
    expect(h.host.audit.list({ limit: 1000 }).filter((e) => e.type === 'channel.refused')).toHaveLength(
      refusedBefore,
    );
  });

  it('answers a retried event (same event_id, new signature) without running it twice', async () => {
    const body = mention('UCAROL', '/alerts', '1800000020.000100');
    expect((await post(body, 'application/json')).status).toBe(200);
    const retry = await post(body, 'application/json', {
      ...signSlack(SECRET, body, Math.floor(Date.now() / 1000) + 1),
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === '1800000020.000100');
    await channels.slack?.idle();
    expect(
      slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts === '1800000020.000100'),
    ).toHaveLength(1);
  });

  it('runs slash commands through the same pipeline (/devops help, /graph uploads a PNG file)', async () => {
    const form = (command: string, text: string, trigger: string) =>
      new URLSearchParams({
        token: 'legacy',
        team_id: 'T0TEAM',
        channel_id: 'C0OPS',
        channel_name: 'ops',
        user_id: 'UBOB',
        user_name: 'bob',
        command,
        text,
        api_app_id: 'A0APP',
        response_url: slack.responseUrl(trigger),
        trigger_id: trigger,
      }).toString();
    const help = await post(form('/devops', 'help', 't1'), 'application/x-www-form-urlencoded');
    expect(help.status).toBe(200);
    await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.body.text).includes('/graph &lt;service&gt;'),
    );

    const graph = await post(
      form('/graph', 'checkout-api cpu 1h', 't2'),
      'application/x-www-form-urlencoded',
    );
    expect(graph.status).toBe(200);
    const complete = await slack.waitFor((c) => c.method === 'files.completeUploadExternal', 15_000);
    expect(complete.body.channel_id).toBe('C0OPS');
    const upload = slack.of('upload')[0];
    // Slack's upload URL takes the file as multipart form data: the PNG is inside it.
    expect(
      upload?.bytes?.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ).toBeGreaterThan(0);
    expect(upload?.bytes?.length).toBeGreaterThan(5000);
    expect(slack.of('files.getUploadURLExternal')[0]?.body.filename).toBe('prod-checkout-api-60m.png');
  });

  it('answers a direct message, and updates a card when its approval is decided elsewhere', async () => {
    const dm = JSON.stringify({
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: 'EvDM1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel_type: 'im',
        channel: 'D0ALICE',
        user: 'UALICE',
        text: 'restart payments in prod',
        ts: '1800000010.000100',
        event_ts: '1800000010.000100',
      },
    });
    expect((await post(dm, 'application/json')).status).toBe(200);
    const card = await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'D0ALICE' && Array.isArray(c.body.blocks),
    );
    const approvalId = JSON.stringify(card.body.blocks).match(/apr_[0-9a-f]{16}/)?.[0] as string;
    // Rejected from another channel (here: the host's own API service), not by a click on this card.
    const out = await h.host.approvals.decide(
      approvalId,
      h.host.users.get('bob') as never,
      'reject',
      'not now',
    );
    expect(out.status).toBe(200);
    const update = await slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === card.result?.ts);
    expect(JSON.stringify(update.body.blocks)).toContain('Rejected by bob (not now)');
  });

  it('posts approval requests with buttons to the notification channel', async () => {
    const { approvalId } = await requestChange('UALICE', 'scale payments in prod to 3', '1800000005.000100');
    await channels.hub.idle();
    const card = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === 'C0NOTIFY' &&
        JSON.stringify(c.body.blocks ?? '').includes(approvalId),
    );
    expect(JSON.stringify(card.body.blocks)).toContain('approval_approve');
  });
});

describe('Slack in Socket Mode', () => {
  it('connects over a WebSocket from apps.connections.open, acks an envelope and decides as the clicker', async () => {
    const h = await startHarness();
    const slack = await startFakeSlack();
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    slack.setSocketUrl(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`);
    const acks: string[] = [];
    let socket: WebSocket | undefined;
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => acks.push(String(data)));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' } }));
    });
    const channels = attachChannels(
      h.host,
      channelsConfigSchema.parse({
        slack: { botToken: 'xoxb-test', appToken: 'xapp-1-A0-test', mode: 'socket', apiUrl: slack.apiUrl },
        identities: { 'slack:UALICE': 'alice', 'slack:UBOB': 'bob' },
        clusterWatchSeconds: 0,
      }),
      { gateway: h.gateway },
    );
    try {
      expect(channels.slack?.receiver).toBeUndefined();
      expect((await h.host.app.request('/slack/events', { method: 'POST', body: '{}' })).status).toBe(404);
      await channels.start();
      expect(slack.of('apps.connections.open')[0]?.token).toBe('xapp-1-A0-test');
      const r = await h.host.chat(h.host.users.get('alice') as never, 'scale cart in prod to 3', 'sock');
      const approvalId = r.approvals[0]?.id as string;
      const payload = JSON.parse(
        new URLSearchParams(
          blockActionBody({
            user: 'UBOB',
            approvalId,
            action: 'approval_approve',
            channel: 'C0OPS',
            messageTs: '1700009999.000100',
            responseUrl: slack.responseUrl('sock'),
          }),
        ).get('payload') as string,
      );
      socket?.send(
        JSON.stringify({
          envelope_id: 'env-1',
          type: 'interactive',
          accepts_response_payload: false,
          payload,
        }),
      );
      await expect.poll(() => acks.map((a) => JSON.parse(a).envelope_id)).toContain('env-1');
      await expect.poll(() => h.host.store.get(approvalId)?.status, { timeout: 15_000 }).toBe('executed');
      expect(h.host.store.get(approvalId)?.decidedBy).toBe('bob');
      await slack.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.body.ts === '1700009999.000100' &&
          JSON.stringify(c.body.blocks).includes('executed'),
      );
    } finally {
      await channels.close();
      await new Promise<void>((r) => wss.close(() => r()));
      await slack.close();
      await h.close();
    }
  });
});
