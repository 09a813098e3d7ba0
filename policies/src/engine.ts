import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { DevopsAiError } from '@devops-ai/core';

export type Risk = 'low' | 'medium' | 'high';

export interface PolicyUser {
  id: string;
  name: string;
  roles: readonly string[];
}

/** What the policy knows of a tool: from the server's static manifest, never from tools/list. */
export interface PolicyTool {
  server: string;
  name: string;
  readOnly: boolean;
  destructive: boolean;
  risk: Risk;
}

export type CallOutcome = 'allow' | 'deny' | 'needs_approval';

export interface CallDecision {
  outcome: CallOutcome;
  risk: Risk;
  /** Ids of the policies that determined the outcome (for the audit trail and the user). */
  policies: string[];
  reason: string;
}

export interface ApprovalDecision {
  allowed: boolean;
  policies: string[];
  reason: string;
}

export interface PolicyEngine {
  readonly policyIds: readonly string[];
  decideCall(input: { user: PolicyUser; tool: PolicyTool; args: Record<string, unknown> }): CallDecision;
  decideApproval(input: {
    approver: PolicyUser;
    requester: PolicyUser;
    tool: PolicyTool;
    args: Record<string, unknown>;
    risk: Risk;
  }): ApprovalDecision;
}

export class PolicyError extends DevopsAiError {
  override readonly name = 'PolicyError';
  constructor(message: string) {
    super('config_error', message);
  }
}

export interface LoadedPolicies {
  policies: Record<string, string>;
  schema: string;
}

/** Reads every *.cedar file and the schema from a directory; policy ids come from @id("..."). */
export function loadPolicyDir(dir: string): LoadedPolicies {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cedar'))
    .sort();
  const policies: Record<string, string> = {};
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') {
      throw new PolicyError(`${file}: ${parts.errors.map((e) => e.message).join('; ')}`);
    }
    parts.policies.forEach((p, i) => {
      const id = /@id\("([^"]+)"\)/.exec(p)?.[1] ?? `${file}#${i}`;
      if (policies[id]) throw new PolicyError(`duplicate policy id ${id} in ${file}`);
      policies[id] = p;
    });
  }
  const schema = readFileSync(join(dir, 'schema.cedarschema'), 'utf8');
  return { policies, schema };
}

/** Strict validation of the policies against the schema. Returns the error messages (empty: valid). */
export function validatePolicies(loaded: LoadedPolicies): string[] {
  const r = cedar.validate({ schema: loaded.schema, policies: { staticPolicies: loaded.policies } });
  if (r.type === 'failure') return r.errors.map((e) => e.message);
  return r.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`);
}

const ARG_KEYS = ['replicas', 'minReplicas', 'maxReplicas', 'name'] as const;

function contextFor(requester: PolicyUser, args: Record<string, unknown>, risk: Risk) {
  const picked: Record<string, string | number> = {};
  for (const k of ARG_KEYS) {
    const v = args[k];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) picked[k] = v;
  }
  return {
    namespace: typeof args.namespace === 'string' ? args.namespace : '',
    args: picked,
    risk,
    requester: { __entity: { type: 'User', id: requester.id } },
  };
}

export function createPolicyEngine(
  loaded: LoadedPolicies,
  opts: { users: readonly PolicyUser[] },
): PolicyEngine {
  const errors = validatePolicies(loaded);
  if (errors.length > 0) throw new PolicyError(`invalid policies: ${errors.join('; ')}`);
  const policySet = { staticPolicies: loaded.policies };
  const roleIds = [...new Set(opts.users.flatMap((u) => u.roles))];

  function entities(tool: PolicyTool) {
    return [
      ...roleIds.map((id) => ({ uid: { type: 'Role', id }, attrs: {}, parents: [] })),
      ...opts.users.map((u) => ({
        uid: { type: 'User', id: u.id },
        attrs: { name: u.name },
        parents: u.roles.map((r) => ({ type: 'Role', id: r })),
      })),
      { uid: { type: 'Server', id: tool.server }, attrs: {}, parents: [] },
      {
        uid: { type: 'Tool', id: `${tool.server}/${tool.name}` },
        attrs: {
          server: tool.server,
          name: tool.name,
          readOnly: tool.readOnly,
          destructive: tool.destructive,
          risk: tool.risk,
        },
        parents: [{ type: 'Server', id: tool.server }],
      },
    ];
  }

  function authorize(
    principal: PolicyUser,
    action: string,
    tool: PolicyTool,
    context: ReturnType<typeof contextFor>,
  ): { allow: boolean; policies: string[] } {
    const r = cedar.isAuthorized({
      principal: { type: 'User', id: principal.id },
      action: { type: 'Action', id: action },
      resource: { type: 'Tool', id: `${tool.server}/${tool.name}` },
      context,
      policies: policySet,
      entities: entities(tool),
    });
    if (r.type === 'failure')
      throw new PolicyError(`policy evaluation failed: ${r.errors.map((e) => e.message).join('; ')}`);
    if (r.response.diagnostics.errors.length > 0) {
      // A policy that errors is skipped by Cedar; we fail closed and say which.
      const failed = r.response.diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ');
      throw new PolicyError(`policy evaluation error: ${failed}`);
    }
    return { allow: r.response.decision === 'allow', policies: r.response.diagnostics.reason };
  }

  function classify(user: PolicyUser, tool: PolicyTool, args: Record<string, unknown>): Risk {
    const high = authorize(user, 'classify_high_risk', tool, contextFor(user, args, tool.risk));
    return high.allow ? 'high' : tool.risk;
  }

  return {
    policyIds: Object.keys(loaded.policies),
    decideCall({ user, tool, args }) {
      const risk = tool.readOnly ? 'low' : classify(user, tool, args);
      const ctx = contextFor(user, args, risk);
      if (tool.readOnly) {
        const r = authorize(user, 'read', tool, ctx);
        return r.allow
          ? { outcome: 'allow', risk, policies: r.policies, reason: 'read-only tool' }
          : { outcome: 'deny', risk, policies: r.policies, reason: denyReason(r.policies, user, 'read') };
      }
      const req = authorize(user, 'request', tool, ctx);
      if (!req.allow) {
        return {
          outcome: 'deny',
          risk,
          policies: req.policies,
          reason: denyReason(req.policies, user, 'request'),
        };
      }
      const auto = authorize(user, 'execute_unapproved', tool, ctx);
      if (auto.allow)
        return { outcome: 'allow', risk, policies: auto.policies, reason: 'permitted without approval' };
      return {
        outcome: 'needs_approval',
        risk,
        policies: req.policies,
        reason: `${tool.name} changes state: a human approver must approve this exact call`,
      };
    },
    decideApproval({ approver, requester, tool, args, risk }) {
      const r = authorize(approver, 'approve', tool, contextFor(requester, args, risk));
      if (r.allow) return { allowed: true, policies: r.policies, reason: 'approver role' };
      const self = approver.id === requester.id && risk === 'high';
      return {
        allowed: false,
        policies: r.policies,
        reason: self
          ? 'a high-risk call cannot be approved by the user who requested it'
          : denyReason(r.policies, approver, 'approve'),
      };
    },
  };
}

function denyReason(policies: string[], user: PolicyUser, action: string): string {
  if (policies.length > 0) return `denied by policy ${policies.join(', ')}`;
  return `no policy permits ${user.id} (roles: ${user.roles.join(', ') || 'none'}) to ${action} this tool`;
}
