import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningHttpServer, serveHttp } from './http.js';
import { createToolServer } from './server.js';
import { defineTool } from './tool.js';

const echo = defineTool<{ prefix: string }>()({
  name: 'test_echo',
  title: 'Echo',
  description: 'echo',
  input: z.object({ text: z.string().max(10) }),
  annotations: { readOnlyHint: true, destructiveHint: false },
  risk: 'low',
  handler: async ({ text }, { prefix }) => ({ said: `${prefix}${text}` }),
});

const TOKEN = 'test-token-0123456789abcdef';

describe('streamable HTTP transport', () => {
  let server: RunningHttpServer;
  beforeAll(async () => {
    server = await serveHttp({
      createServer: () =>
        createToolServer({ name: 't', version: '0', tools: [echo], deps: { prefix: '> ' } }),
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
    });
  });
  afterAll(() => server.close());

  const initialize = (headers: Record<string, string>) =>
    fetch(server.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '0' } },
      }),
    });

  it('requires the bearer token', async () => {
    expect((await initialize({})).status).toBe(401);
    expect((await initialize({ Authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await initialize({ Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  /** fetch() cannot set Host (a forbidden header), so this goes through node:http. */
  const rawStatus = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            ...headers,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    });

  it('refuses a foreign Host header or browser Origin (DNS-rebinding protection)', async () => {
    const port = new URL(server.url).port;
    expect(await rawStatus({ Authorization: `Bearer ${TOKEN}`, Host: `evil.example:${port}` })).toBe(403);
    expect(await rawStatus({ Authorization: `Bearer ${TOKEN}`, Host: `localhost:${port}` })).not.toBe(403);
    const origin = await initialize({ Authorization: `Bearer ${TOKEN}`, Origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
  });

  it('serves tools to a real MCP client with the token', async () => {
    const client = new Client({ name: 'c', version: '0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const r = await client.callTool({ name: 'test_echo', arguments: { text: 'hi' } });
    expect(JSON.parse((r.content as Array<{ text: string }>)[0]?.text ?? '')).toEqual({ said: '> hi' });
    const bad = await client.callTool({ name: 'test_echo', arguments: { text: 'far too long text' } });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it('refuses to start with a short token', async () => {
    await expect(
      serveHttp({
        createServer: () =>
          createToolServer({ name: 't', version: '0', tools: [echo], deps: { prefix: '' } }),
        host: '127.0.0.1',
        port: 0,
        token: 'short',
      }),
    ).rejects.toThrow(/at least 16/);
  });
});
