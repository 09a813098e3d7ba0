import { parseArgs } from 'node:util';
import { z } from 'zod';

const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

/** Transport configuration shared by every MCP server's bin. Parsed once, in bin.ts. */
export const serverRuntimeSchema = z
  .object({
    transport: z.enum(['stdio', 'http']).default('stdio'),
    host: z.string().default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(0),
    token: z.string().min(16, 'MCP_TOKEN must be at least 16 characters').optional(),
    allowedHostnames: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .optional(),
    readOnly: boolish.default(false),
  })
  .refine((c) => c.transport !== 'http' || c.token !== undefined, {
    message: 'HTTP transport requires a bearer token (MCP_TOKEN or --token)',
    path: ['token'],
  });

export type ServerRuntime = z.infer<typeof serverRuntimeSchema>;

/** Reads flags (preferred) and env (MCP_TRANSPORT, MCP_HOST, MCP_PORT, MCP_TOKEN, MCP_ALLOWED_HOSTS, MCP_READ_ONLY). */
export function parseServerRuntime(argv: string[], env: Record<string, string | undefined>) {
  const { values } = parseArgs({
    args: argv,
    options: {
      http: { type: 'boolean' },
      stdio: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'read-only': { type: 'boolean' },
      'allowed-hosts': { type: 'string' },
    },
    allowPositionals: false,
    strict: false,
  });
  const transport = values.http ? 'http' : values.stdio ? 'stdio' : env.MCP_TRANSPORT;
  const raw = {
    transport,
    host: values.host ?? env.MCP_HOST,
    port: values.port ?? env.MCP_PORT,
    token: values.token ?? env.MCP_TOKEN,
    allowedHostnames: values['allowed-hosts'] ?? env.MCP_ALLOWED_HOSTS,
    readOnly: values['read-only'] ?? env.MCP_READ_ONLY,
  };
  return serverRuntimeSchema.parse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
}
