import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { openSandbox } from '@devops-ai/sandbox';
import { hostConfigFromEnv, hostConfigSchema } from './config.js';
import { type ChildService, spawnMcpServer } from './processes.js';
import { startHost } from './serve.js';
import { DEMO_USERS } from './users.js';

/**
 * `npm start`: the embedded default. Sandbox world + offline model, the k8s and metrics MCP servers as
 * separate processes over streamable HTTP, the host's API and web console, and a terminal chat on a TTY.
 */
async function main() {
  const env = process.env;
  const dataDir = resolve(env.DEVOPS_AI_DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  const sandboxPath = env.SANDBOX_PATH ?? join(dataDir, 'sandbox.db');
  // Create the world once here, so the servers open an existing one.
  openSandbox({ path: sandboxPath, seed: Number(env.SANDBOX_SEED ?? 42) }).close();

  const children: ChildService[] = [];
  const shutdown = async (code: number) => {
    await Promise.allSettled(children.map((c) => c.stop()));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const serverEnv = { ...env, DEVOPS_AI_BACKEND: 'sandbox', SANDBOX_PATH: sandboxPath };
  const [k8s, metrics, forecasting] = await Promise.all([
    spawnMcpServer('k8s', serverEnv),
    spawnMcpServer('metrics', serverEnv),
    spawnMcpServer('forecasting', serverEnv),
  ]);
  children.push(k8s, metrics, forecasting);

  const config = hostConfigSchema.parse({
    ...hostConfigFromEnv(env),
    dataDir,
    sandboxPath,
    servers: {
      k8s: { url: k8s.url, token: k8s.token },
      metrics: { url: metrics.url, token: metrics.token },
      forecasting: { url: forecasting.url, token: forecasting.token },
    },
  });
  const running = await startHost(config, env);
  const demo = running.host.modelLabel && !config.usersFile;
  const lines = [
    '',
    `devops-ai is up: ${running.url}  (model: ${running.host.modelLabel}, sandbox world: ${sandboxPath})`,
    `  web console   ${running.url}/`,
    `  MCP servers   k8s ${k8s.url} · metrics ${metrics.url} · forecasting ${forecasting.url} (separate processes, bearer tokens)`,
    `  metrics       ${running.url}/metrics`,
    `  channels      ${running.channels.describe().join(' · ')}`,
  ];
  if (demo) {
    lines.push('  demo users (token → role):');
    for (const u of DEMO_USERS) lines.push(`    ${u.id.padEnd(6)} ${u.token.padEnd(11)} ${u.description}`);
    lines.push(
      `  try: curl -s -H 'Authorization: Bearer demo-alice' -H 'Content-Type: application/json' \\`,
      `         -d '{"text":"why is checkout-api slow?"}' ${running.url}/api/chat`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  if (process.stdin.isTTY) await terminalChat(running);
}

/** The terminal is one more thin channel: lines go through the same pipeline as Slack and Telegram. */
async function terminalChat(running: Awaited<ReturnType<typeof startHost>>) {
  const host = running.host;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const users = new Map(DEMO_USERS.map((u) => [u.id, u]));
  let as = 'alice';
  // One conversation per user: conversations are private to the user who started them.
  const conversations = new Map<string, string>();
  const conversationOf = (user: string) => {
    const c = conversations.get(user) ?? `term_${user}_${Date.now()}`;
    conversations.set(user, c);
    return c;
  };
  process.stdout.write(
    'Terminal chat as alice. /as <user> switches user, /new, /quit; /help lists the commands (/status, /approve <id>, /graph …).\n',
  );
  for (;;) {
    const line = (await rl.question(`${as}> `)).trim();
    if (!line) continue;
    if (line === '/quit' || line === '/exit') {
      rl.close();
      process.kill(process.pid, 'SIGTERM');
      return;
    }
    // The terminal is a local channel: it acts as a demo user, authenticated by that user's token.
    const demoUser = users.get(as);
    const hostUser = demoUser ? host.users.authenticate(demoUser.token) : undefined;
    if (!hostUser) {
      process.stdout.write(`${as} is not a user of this host\n`);
      continue;
    }
    try {
      const [cmd, arg] = line.split(/\s+/);
      if (cmd === '/as' && arg && users.has(arg)) {
        as = arg;
        process.stdout.write(`now ${as}\n`);
      } else if (cmd === '/new') {
        conversations.delete(as);
        process.stdout.write('new conversation\n');
      } else {
        const r = await running.channels.say('terminal', hostUser, conversationOf(as), line);
        const lines = [r.text];
        for (const a of r.approvals)
          if (a.status === 'pending')
            lines.push(`  → approve with: /approve ${a.id}   (or /reject ${a.id} <reason>)`);
        if (r.image) {
          const file = join(tmpdir(), r.image.filename);
          writeFileSync(file, r.image.png);
          lines.push(`  chart written to ${file}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }
    } catch (err) {
      process.stdout.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`devops-ai: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
