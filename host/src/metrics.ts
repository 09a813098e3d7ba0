import type { AuditEvent, AuditSink, ToolGateway } from '@devops-ai/graphs';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The host's own Prometheus metrics (names are shared with observability/ rules and dashboards). */
export function createHostMetrics(pendingApprovals: () => number) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'devops_ai_process_' });
  const approvalsPending = new Gauge({
    name: 'devops_ai_approvals_pending',
    help: 'Approvals waiting for a decision',
    registers: [registry],
    collect() {
      this.set(pendingApprovals());
    },
  });
  const approvalsTotal = new Counter({
    name: 'devops_ai_approvals_total',
    help: 'Approval lifecycle events by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: 'devops_ai_tool_calls_total',
    help: 'Tool calls by server, tool and status (ok, error, denied)',
    labelNames: ['server', 'tool', 'status'] as const,
    registers: [registry],
  });
  const toolDuration = new Histogram({
    name: 'devops_ai_tool_call_duration_seconds',
    help: 'Tool call latency',
    labelNames: ['server', 'tool'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'devops_ai_http_request_duration_seconds',
    help: 'HTTP request latency of the host API',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const modelTokens = new Counter({
    name: 'devops_ai_model_tokens_total',
    help: 'Model tokens by provider, model and kind (input, output)',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers: [registry],
  });
  const modelCost = new Counter({
    name: 'devops_ai_model_cost_usd_total',
    help: 'Estimated model cost in USD',
    labelNames: ['provider', 'model'] as const,
    registers: [registry],
  });
  void approvalsPending;

  const outcomeOf: Record<string, string> = {
    'approval.requested': 'requested',
    'approval.approved': 'approved',
    'approval.rejected': 'rejected',
    'approval.expired': 'expired',
    'tool.executed': 'executed',
    'tool.failed': 'failed',
  };

  return {
    registry,
    httpDuration,
    modelTokens,
    modelCost,
    /** Counts approval outcomes and denials as they are audited. */
    instrumentAudit(inner: AuditSink): AuditSink {
      return {
        append(event: AuditEvent) {
          inner.append(event);
          const outcome = outcomeOf[event.type];
          if (outcome) approvalsTotal.inc({ outcome });
          if (
            event.type === 'policy.denied' ||
            (event.type === 'policy.decision' && event.data?.outcome === 'deny')
          ) {
            toolCalls.inc({
              server: String(event.data?.server ?? ''),
              tool: event.subject ?? '',
              status: 'denied',
            });
          }
        },
      };
    },
    instrumentGateway(inner: ToolGateway): ToolGateway {
      return {
        ...inner,
        tools: () => inner.tools(),
        find: (n) => inner.find(n),
        validate: (n, a) => inner.validate(n, a),
        close: () => inner.close(),
        async call(name, args) {
          const server = inner.find(name)?.server ?? 'unknown';
          const end = toolDuration.startTimer({ server, tool: name });
          const r = await inner.call(name, args);
          end();
          toolCalls.inc({ server, tool: name, status: r.ok ? 'ok' : 'error' });
          return r;
        },
      };
    },
  };
}

export type HostMetrics = ReturnType<typeof createHostMetrics>;
