import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultJson } from '@devops-ai/mcp-kit/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'devops-ai-mcp-forecasting.js');

describe('forecasting MCP server over real stdio', () => {
  it('lists its read-only tools and answers a forecast', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, '--stdio'],
      env: { PATH: process.env.PATH ?? '', DEVOPS_AI_METRICS_BACKEND: 'none' },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '0.0.0' });
    await client.connect(transport);
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name)).toContain('forecasting_forecast_series');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const values = Array.from({ length: 24 * 7 }, (_, i) => 10 + (i % 24));
    const r = resultJson(
      await client.callTool({
        name: 'forecasting_forecast_series',
        arguments: { series: { values, stepSeconds: 3600 }, horizon: 12 },
      }),
    ) as { points: unknown[] };
    expect(r.points).toHaveLength(12);
    await client.close();
  });
});
