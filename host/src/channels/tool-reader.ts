import type { AuditSink, ToolGateway } from '@devops-ai/graphs';
import type { PolicyEngine } from '@devops-ai/policies';
import type { HostUser } from '../users.js';

export type ReadResult = { ok: true; data: unknown } | { ok: false; code: string; message: string };

/**
 * Read-only tool calls made by the channels themselves (charts, status extras), on behalf of a user:
 * validated with the tool's own schema, checked by the same Cedar policy as the graph's reads,
 * audited as `tool.read`. Mutating tools are refused here: changes only go through the copilot.
 */
export function createToolReader(deps: { gateway: ToolGateway; policy: PolicyEngine; audit: AuditSink }) {
  return async function read(
    user: HostUser,
    tool: string,
    args: Record<string, unknown>,
    conversation: string | null = null,
  ): Promise<ReadResult> {
    const spec = deps.gateway.find(tool);
    if (!spec) return { ok: false, code: 'not_available', message: `no connected server offers ${tool}` };
    if (!spec.manifest.readOnly) return { ok: false, code: 'read_only', message: `${tool} is not a read` };
    const v = deps.gateway.validate(tool, args);
    if (!v.ok) return { ok: false, code: 'invalid_argument', message: v.message };
    const decision = deps.policy.decideCall({
      user,
      tool: {
        server: spec.server,
        name: spec.name,
        readOnly: spec.manifest.readOnly,
        destructive: spec.manifest.destructive,
        risk: spec.manifest.risk,
      },
      args: v.args,
    });
    if (decision.outcome !== 'allow') {
      deps.audit.append({
        type: 'policy.denied',
        actor: user.id,
        conversation,
        subject: tool,
        data: { reason: decision.reason, via: 'channels' },
      });
      return { ok: false, code: 'policy_denied', message: decision.reason };
    }
    const r = await deps.gateway.call(tool, v.args);
    deps.audit.append({
      type: 'tool.read',
      actor: user.id,
      conversation,
      subject: tool,
      data: {
        server: spec.server,
        args: v.args,
        ok: r.ok,
        via: 'channels',
        ...(r.error ? { error: r.error } : {}),
      },
    });
    return r.ok
      ? { ok: true, data: r.data }
      : { ok: false, code: r.error?.code ?? 'tool_error', message: r.error?.message ?? r.text };
  };
}

export type ToolReader = ReturnType<typeof createToolReader>;
