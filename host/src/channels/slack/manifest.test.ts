import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommand } from '../commands.js';
import { APPROVE_ACTION, REJECT_ACTION } from './blocks.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string; description: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

describe('Slack app manifest', () => {
  const m = parse(readFileSync(join(import.meta.dirname, 'manifest.yaml'), 'utf8')) as Manifest;

  it('registers only commands the pipeline understands, all at the one events URL', () => {
    for (const c of m.features.slash_commands) {
      expect(
        parseCommand(c.command === '/devops' ? '/devops help' : `${c.command} x`),
        c.command,
      ).not.toBeNull();
      expect(new URL(c.url).pathname).toBe('/slack/events');
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
    // Slack's built-in /status cannot be taken by an app.
    expect(m.features.slash_commands.map((c) => c.command)).not.toContain('/status');
  });

  it('subscribes to what the adapter listens to, with the scopes its Web API calls need', () => {
    expect(m.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
    expect(new URL(m.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
    expect(m.settings.interactivity.is_enabled).toBe(true);
    for (const s of ['chat:write', 'commands', 'files:write', 'app_mentions:read', 'im:history'])
      expect(m.oauth_config.scopes.bot).toContain(s);
    expect([APPROVE_ACTION, REJECT_ACTION]).toEqual(['approval_approve', 'approval_reject']);
  });
});
