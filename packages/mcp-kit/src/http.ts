import type { AddressInfo } from 'node:net';
import { secretsEqual } from '@devops-ai/core';
import { serve } from '@hono/node-server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono, type MiddlewareHandler } from 'hono';

export interface HttpServeOptions {
  /** Builds a fresh McpServer per request (stateless streamable HTTP). */
  createServer: () => McpServer;
  host: string;
  port: number;
  /** Bearer token every request must carry. Required: an MCP server that changes a cluster is never open. */
  token: string;
  /** Host names (without port) accepted in the Host header: DNS-rebinding protection. */
  allowedHostnames?: string[];
  /** Origins accepted when a browser sends an Origin header. Default: none. */
  allowedOrigins?: string[];
  path?: string;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Parses a Host header into its hostname (brackets kept for IPv6). */
export function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

/** DNS-rebinding protection: the Host header must name this server; a browser Origin must be allowed. */
export function hostGuard(allowedHostnames: string[], allowedOrigins: string[]): MiddlewareHandler {
  const hosts = new Set(allowedHostnames.map((h) => h.toLowerCase()));
  return async (c, next) => {
    const host = c.req.header('host');
    if (!host || !hosts.has(hostnameOf(host).toLowerCase())) {
      return c.json(
        { jsonrpc: '2.0', error: { code: -32000, message: 'Invalid Host header' }, id: null },
        403,
      );
    }
    const origin = c.req.header('origin');
    if (origin && !allowedOrigins.includes(origin)) {
      return c.json(
        { jsonrpc: '2.0', error: { code: -32000, message: 'Invalid Origin header' }, id: null },
        403,
      );
    }
    await next();
  };
}

export function bearerGuard(token: string): MiddlewareHandler {
  if (token.length < 16) throw new Error('MCP HTTP token must be at least 16 characters');
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m?.[1] || !secretsEqual(m[1], token)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized' }, id: null }, 401);
    }
    await next();
  };
}

export function buildHttpApp(opts: Omit<HttpServeOptions, 'host' | 'port'> & { host: string }): Hono {
  const path = opts.path ?? '/mcp';
  const app = new Hono();
  const allowed = opts.allowedHostnames ?? ['localhost', '127.0.0.1', '[::1]', opts.host];
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use(path, hostGuard(allowed, opts.allowedOrigins ?? []), bearerGuard(opts.token));
  app.all(path, async (c) => {
    const server = opts.createServer();
    // No sessionIdGenerator: stateless mode, any replica can answer any request.
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      // Stateless: one server per request. JSON responses are complete once handleRequest returns.
      void server.close();
    }
  });
  return app;
}

export async function serveHttp(opts: HttpServeOptions): Promise<RunningHttpServer> {
  const app = buildHttpApp(opts);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
      const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${hostForUrl}:${info.port}${opts.path ?? '/mcp'}`,
        port: info.port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
