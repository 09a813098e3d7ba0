/**
 * The command set, parsed once for every channel. Slack slash commands (`/scale x 3`, or
 * `/devops scale x 3`), Telegram commands (`/scale@bot x 3`) and typed text (`/scale x 3`) all
 * become the same ParsedCommand.
 */

export const COMMANDS = [
  {
    name: 'status',
    usage: '/status [namespace|service]',
    help: 'health, replicas, HPA, alerts and pending approvals',
  },
  { name: 'scale', usage: '/scale <service> <replicas>', help: 'ask to scale a deployment (needs approval)' },
  { name: 'restart', usage: '/restart <service>', help: 'ask to restart a deployment (needs approval)' },
  { name: 'logs', usage: '/logs <pod|service>', help: 'recent log lines' },
  { name: 'alerts', usage: '/alerts', help: 'firing alerts' },
  { name: 'approve', usage: '/approve <approval id>', help: 'approve a pending change (approvers)' },
  { name: 'reject', usage: '/reject <approval id> [reason]', help: 'reject a pending change' },
  {
    name: 'graph',
    usage: '/graph <service> [cpu|replicas|requests|latency|all] [30m|2h|1d]',
    help: 'a chart of metrics (PNG)',
  },
  { name: 'audit', usage: '/audit [n]', help: 'the last n audit entries (default 10)' },
  {
    name: 'agent',
    usage: '/agent status | /agent <name> analyze|optimize',
    help: 'agents and connected servers',
  },
  { name: 'help', usage: '/help', help: 'this list' },
  { name: 'cost', usage: '/cost', help: 'cost breakdown (cost server)' },
  {
    name: 'predict',
    usage: '/predict <service>',
    help: 'traffic and capacity forecast (forecasting server)',
  },
  {
    name: 'bursts',
    usage: '/bursts [service]',
    help: 'traffic spikes expected over the next day; every service without one (forecasting server)',
  },
  {
    name: 'anomaly',
    usage: '/anomaly [service]',
    help: 'anomalies in metrics; every service without one (forecasting server)',
  },
  {
    name: 'capacity',
    usage: '/capacity [service]',
    help: 'replicas needed over the next day, HPA limits hit; every service without one (forecasting server)',
  },
  {
    name: 'autoscale',
    usage: '/autoscale [service]',
    help: 'recommended HPA settings, replayed on history; every service without one (forecasting server)',
  },
  {
    name: 'analysis',
    usage: '/analysis <service>',
    help: 'investigate a service (why is it slow / erroring)',
  },
  { name: 'run', usage: '/run test <service>', help: 'run a service’s tests in CI (github server)' },
] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];

export interface ParsedCommand {
  name: CommandName;
  args: string[];
  /** The text after the command, trimmed. */
  rest: string;
}

const NAMES = new Set<string>(COMMANDS.map((c) => c.name));

/** `/status`, `/status@devops_ai_bot prod`, `/devops status prod` → ParsedCommand; anything else → null. */
export function parseCommand(text: string): ParsedCommand | null {
  const m = /^\/([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m?.[1]) return null;
  let name = m[1].toLowerCase();
  let rest = (m[2] ?? '').trim();
  if (name === 'devops' || name === 'devops_ai') {
    const sub = /^([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(rest);
    if (!sub?.[1]) return { name: 'help', args: [], rest: '' };
    name = sub[1].toLowerCase();
    rest = (sub[2] ?? '').trim();
  }
  if (!NAMES.has(name)) return null;
  return { name: name as CommandName, args: rest ? rest.split(/\s+/) : [], rest };
}

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'Commands (or just ask in plain words, e.g. "why is checkout-api slow?", "scale checkout-api in prod to 4"):',
    ...COMMANDS.map((c) => `${c.usage.padEnd(width)}  ${c.help}`),
    'Every change waits for an approver: click Approve / Reject, or /approve <id>.',
  ].join('\n');
}
