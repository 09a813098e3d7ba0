import { z } from 'zod';
import { channelsConfigFromEnv, channelsConfigSchema } from './channels/config.js';

const serverUrl = z.object({ url: z.url(), token: z.string().min(16) });

/** The host's configuration, parsed once (in bin.ts / start.ts) and passed down. */
export const hostConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  dataDir: z.string().default('.data'),
  /** offline | anthropic:<model> | openai:<model> | openai-compatible:<baseURL>#<model> */
  model: z.string().default('offline'),
  usersFile: z.string().optional(),
  approvalTtlMinutes: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(30),
  /** The sandbox world's database, for /api/sandbox. Absent when running against real backends. */
  sandboxPath: z.string().optional(),
  sandboxSeed: z.coerce.number().int().default(42),
  /** MCP servers: k8s and metrics are required; forecasting is optional (/predict, /anomaly). */
  servers: z.object({ k8s: serverUrl, metrics: serverUrl, forecasting: serverUrl.optional() }),
  alertmanagerToken: z.string().min(16).optional(),
  /** Only SQLite is implemented; a PostgreSQL store is planned (the chart already has the setting). */
  store: z
    .enum(['sqlite', 'postgres'])
    .default('sqlite')
    .refine((s) => s === 'sqlite', {
      message:
        'DEVOPS_AI_STORE=postgres is not implemented yet: run one host replica with sqlite on a persistent volume',
    }),
  /** Slack, Telegram, identity mapping, notifications (host/src/channels/README.md). */
  channels: channelsConfigSchema.prefault({}),
});

export type HostConfig = z.infer<typeof hostConfigSchema>;

/** Reads the host's environment variables into a raw object for hostConfigSchema. */
export function hostConfigFromEnv(env: Record<string, string | undefined>) {
  const pick = <T extends Record<string, unknown>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return pick({
    host: env.DEVOPS_AI_HOST,
    port: env.DEVOPS_AI_PORT,
    dataDir: env.DEVOPS_AI_DATA_DIR,
    model: env.DEVOPS_AI_MODEL,
    usersFile: env.DEVOPS_AI_USERS_FILE,
    approvalTtlMinutes: env.DEVOPS_AI_APPROVAL_TTL_MINUTES,
    sandboxPath: env.SANDBOX_PATH,
    sandboxSeed: env.SANDBOX_SEED,
    alertmanagerToken: env.DEVOPS_AI_ALERTMANAGER_TOKEN,
    store: env.DEVOPS_AI_STORE,
    channels: channelsConfigFromEnv(env),
    servers: {
      k8s: { url: env.MCP_K8S_URL, token: env.MCP_K8S_TOKEN },
      metrics: { url: env.MCP_METRICS_URL, token: env.MCP_METRICS_TOKEN },
      ...(env.MCP_FORECASTING_URL
        ? { forecasting: { url: env.MCP_FORECASTING_URL, token: env.MCP_FORECASTING_TOKEN } }
        : {}),
    },
  });
}
