import { describeError } from '@devops-ai/core';
import type { ToolManifest, ToolManifestEntry } from '@devops-ai/mcp-kit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { z } from 'zod';

/** One tool as the graph sees it: its policy facts come from the static manifest, never from tools/list. */
export interface ToolSpec {
  server: string;
  name: string;
  description: string;
  /** JSON Schema of the input, as the server published it (for binding tools to a model). */
  inputSchema: Record<string, unknown>;
  manifest: ToolManifestEntry;
}

export interface ToolCallOutcome {
  ok: boolean;
  /** The text the model reads (tool output is data). */
  text: string;
  /** Parsed JSON of the text, when it is JSON. */
  data: unknown;
  error?: { code: string; message: string };
}

export type ValidationResult = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

/** The only way the graph reaches tools. */
export interface ToolGateway {
  tools(): ToolSpec[];
  find(name: string): ToolSpec | undefined;
  /** Validates arguments with the tool's own zod schema (the same the server uses). */
  validate(name: string, args: unknown): ValidationResult;
  call(name: string, args: Record<string, unknown>): Promise<ToolCallOutcome>;
  close(): Promise<void>;
}

export type ServerTransportConfig =
  | { kind: 'http'; url: string; token: string }
  | { kind: 'stdio'; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
  | { kind: 'transport'; transport: Transport };

export interface ServerConnectionConfig {
  manifest: ToolManifest;
  inputSchemas: Record<string, z.ZodObject>;
  transport: ServerTransportConfig;
  /** Per-call timeout. */
  timeoutMs?: number;
}

function makeTransport(cfg: ServerTransportConfig): Transport {
  switch (cfg.kind) {
    case 'http':
      return new StreamableHTTPClientTransport(new URL(cfg.url), {
        requestInit: { headers: { Authorization: `Bearer ${cfg.token}` } },
      });
    case 'stdio':
      return new StdioClientTransport({
        command: cfg.command,
        args: cfg.args,
        stderr: 'inherit',
        ...(cfg.env ? { env: cfg.env } : {}),
        ...(cfg.cwd ? { cwd: cfg.cwd } : {}),
      });
    case 'transport':
      return cfg.transport;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface Connected {
  cfg: ServerConnectionConfig;
  client: Client;
}

/**
 * Connects MCP clients to each configured server. A tool is offered only if it is both in the server's
 * static manifest and in its tools/list (a read-only server does not list its mutating tools).
 */
export async function connectMcpGateway(servers: ServerConnectionConfig[]): Promise<ToolGateway> {
  const connected: Connected[] = [];
  const specs = new Map<string, { spec: ToolSpec; conn: Connected }>();
  for (const cfg of servers) {
    const client = new Client({ name: 'devops-ai-host', version: '0.1.0' });
    await client.connect(makeTransport(cfg.transport));
    const conn = { cfg, client };
    connected.push(conn);
    const listed = await client.listTools();
    for (const t of listed.tools) {
      const entry = cfg.manifest.tools.find((m) => m.name === t.name);
      if (!entry) continue; // not in the static manifest: never offered, whatever the server says
      if (specs.has(t.name)) throw new Error(`tool ${t.name} offered by two servers`);
      specs.set(t.name, {
        conn,
        spec: {
          server: cfg.manifest.server,
          name: t.name,
          description: t.description ?? entry.title,
          inputSchema: t.inputSchema as Record<string, unknown>,
          manifest: entry,
        },
      });
    }
  }

  return {
    tools: () => [...specs.values()].map((s) => s.spec),
    find: (name) => specs.get(name)?.spec,
    validate(name, args) {
      const found = specs.get(name);
      const schema = found?.conn.cfg.inputSchemas[name];
      if (!found || !schema) return { ok: false, message: `unknown tool ${name}` };
      const r = schema.safeParse(args ?? {});
      if (!r.success) {
        const issues = r.error.issues
          .map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`)
          .join('; ');
        return { ok: false, message: `invalid arguments for ${name}: ${issues}` };
      }
      return { ok: true, args: r.data as Record<string, unknown> };
    },
    async call(name, args) {
      const found = specs.get(name);
      if (!found) {
        return {
          ok: false,
          text: `unknown tool ${name}`,
          data: undefined,
          error: { code: 'unknown_tool', message: `unknown tool ${name}` },
        };
      }
      try {
        const res = await found.conn.client.callTool({ name, arguments: args }, undefined, {
          timeout: found.conn.cfg.timeoutMs ?? 30_000,
        });
        const content = (res.content ?? []) as Array<{ type: string; text?: string }>;
        const text = content
          .filter((c) => c.type === 'text')
          .map((c) => c.text ?? '')
          .join('\n');
        const data = parseJson(text);
        if (res.isError) {
          const err = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
          return {
            ok: false,
            text,
            data,
            error: { code: err?.code ?? 'tool_error', message: err?.message ?? text },
          };
        }
        return { ok: true, text, data };
      } catch (err) {
        const { code, message } = describeError(err);
        return { ok: false, text: message, data: undefined, error: { code, message } };
      }
    },
    async close() {
      await Promise.allSettled(connected.map((c) => c.client.close()));
    },
  };
}
