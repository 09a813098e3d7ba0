import { describe, expect, it } from 'vitest';
import { hostConfigSchema } from './config.js';
import { startHost } from './serve.js';
import { isLoopback } from './users.js';

const servers = {
  k8s: { url: 'http://127.0.0.1:1/mcp', token: 'x'.repeat(16) },
  metrics: { url: 'http://127.0.0.1:1/mcp', token: 'x'.repeat(16) },
};

describe('listening address', () => {
  it('refuses a non-loopback address while the public demo tokens are active', async () => {
    for (const host of ['0.0.0.0', '10.0.0.5', '::']) {
      await expect(startHost(hostConfigSchema.parse({ host, servers }), {})).rejects.toThrow(
        /demo users' tokens are public/,
      );
    }
  });

  it('knows the loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.10', 'example.com', '::'].some(isLoopback)).toBe(false);
  });

  it('rejects a configuration without MCP server tokens', () => {
    expect(() =>
      hostConfigSchema.parse({ servers: { k8s: { url: 'http://x' }, metrics: servers.metrics } }),
    ).toThrow();
  });
});

describe('store setting', () => {
  it('refuses the not-yet-implemented PostgreSQL store instead of silently using a local file', () => {
    const r = hostConfigSchema.safeParse({ servers, store: 'postgres' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/not implemented yet/);
    expect(hostConfigSchema.parse({ servers }).store).toBe('sqlite');
  });
});
