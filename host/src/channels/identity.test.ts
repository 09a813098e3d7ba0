import { describe, expect, it } from 'vitest';
import { hostConfigFromEnv, hostConfigSchema } from '../config.js';
import { demoRegistry } from '../users.js';
import { channelsConfigFromEnv, channelsConfigSchema } from './config.js';
import { createGraphService } from './graph/service.js';
import { createIdentityMap } from './identity.js';
import { createPipeline } from './pipeline.js';
import { startHarness } from './testing/harness.js';
import { createToolReader } from './tool-reader.js';

describe('channel configuration from the environment', () => {
  it('parses Slack, Telegram, identities and the unknown-user policy', () => {
    const cfg = channelsConfigSchema.parse(
      channelsConfigFromEnv({
        SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
        SLACK_SIGNING_SECRET: 'a'.repeat(32),
        SLACK_NOTIFY_CHANNEL: 'C0123ABC',
        TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        TELEGRAM_ALLOWED_CHATS: '-1001, -1002',
        TELEGRAM_ALLOWED_USERS: '42',
        DEVOPS_AI_CHANNEL_IDENTITIES: 'slack:U024BE7LH=bob, telegram:42=alice',
        DEVOPS_AI_CHANNEL_UNKNOWN_USERS: 'read-only',
        DEVOPS_AI_CHANNEL_READ_ONLY_USER: 'carol',
      }),
    );
    expect(cfg.slack).toMatchObject({ mode: 'http', notifyChannel: 'C0123ABC' });
    expect(cfg.telegram).toMatchObject({
      mode: 'polling',
      allowedChats: ['-1001', '-1002'],
      allowedUsers: ['42'],
    });
    expect(cfg.identities).toEqual({ 'slack:U024BE7LH': 'bob', 'telegram:42': 'alice' });
    expect(cfg.unknownUsers).toBe('read-only');
  });

  it('chooses Socket Mode with only an app token, and refuses incomplete set-ups', () => {
    const socket = channelsConfigSchema.parse(
      channelsConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-abc' }),
    );
    expect(socket.slack?.mode).toBe('socket');
    expect(() => channelsConfigSchema.parse(channelsConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(
      /SLACK_SIGNING_SECRET/,
    );
    expect(() =>
      channelsConfigSchema.parse(
        channelsConfigFromEnv({
          TELEGRAM_BOT_TOKEN: '1:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
          TELEGRAM_MODE: 'webhook',
        }),
      ),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() =>
      channelsConfigSchema.parse(channelsConfigFromEnv({ DEVOPS_AI_CHANNEL_IDENTITIES: 'slack:U1' })),
    ).toThrow();
  });

  it('is part of the host configuration, off by default', () => {
    const servers = {
      MCP_K8S_URL: 'http://127.0.0.1:1/mcp',
      MCP_K8S_TOKEN: 'x'.repeat(16),
      MCP_METRICS_URL: 'http://127.0.0.1:1/mcp',
      MCP_METRICS_TOKEN: 'x'.repeat(16),
    };
    const cfg = hostConfigSchema.parse(hostConfigFromEnv(servers));
    expect(cfg.channels.slack).toBeUndefined();
    expect(cfg.channels.telegram).toBeUndefined();
    expect(cfg.channels.unknownUsers).toBe('ignore');
  });
});

describe('identity map', () => {
  const users = demoRegistry();
  it('maps verified platform users to host users and checks the map at start-up', () => {
    const map = createIdentityMap(
      { identities: { 'slack:UB': 'bob', 'telegram:7': 'alice' }, unknownUsers: 'ignore' },
      users,
    );
    expect(map.resolve('slack', 'UB')?.id).toBe('bob');
    expect(map.resolve('telegram', 'UB')).toBeUndefined();
    expect(map.mapped('telegram')).toEqual(['7']);
    expect(() =>
      createIdentityMap({ identities: { 'slack:UX': 'mallory' }, unknownUsers: 'ignore' }, users),
    ).toThrow(/not a host user/);
    expect(() =>
      createIdentityMap({ identities: {}, unknownUsers: 'read-only', readOnlyUser: 'bob' }, users),
    ).toThrow(/must be a viewer only/);
  });

  it('gives unmapped users read-only answers under read-only, nothing under ignore; never a decision', async () => {
    const h = await startHarness();
    try {
      const read = createToolReader({ gateway: h.gateway, policy: h.host.policy, audit: h.host.audit });
      const make = (unknownUsers: 'ignore' | 'read-only') =>
        createPipeline({
          host: h.host,
          gateway: h.gateway,
          identity: createIdentityMap({ identities: {}, unknownUsers }, h.host.users),
          graphs: createGraphService({ read }),
        });
      const msg = {
        channel: 'slack' as const,
        platformUser: 'UNOBODY',
        user: undefined,
        conversation: 'C1:1',
      };
      const ignored = await make('ignore').handle({ ...msg, text: '/status' });
      expect(ignored.silent).toBe(true);
      const ro = make('read-only');
      const status = await ro.handle({ ...msg, text: '/status checkout-api' });
      expect(status.text).toMatch(/checkout-api/);
      const change = await ro.handle({ ...msg, conversation: 'C1:2', text: '/scale checkout-api 9' });
      expect(change.approvals).toEqual([]);
      expect(h.host.store.list('pending')).toEqual([]);
      const click = await ro.handle({
        ...msg,
        action: { kind: 'approve', approvalId: 'apr_0123456789abcdef' },
      });
      expect(click.refused?.code).toBe('unknown_user');
      const audited = h.host.audit.list({ limit: 100 }).filter((e) => e.type === 'channel.refused');
      expect(audited.map((e) => e.actor)).toEqual(['slack:UNOBODY', 'slack:UNOBODY']);
    } finally {
      await h.close();
    }
  });
});
