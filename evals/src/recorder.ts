import type { ClusterPort, MetricsPort } from '@devops-ai/core';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * Independent evidence of what ran: the runner wraps the ports it hands to the MCP servers and
 * the servers' side of the transport, so it does not have to trust the host's own records.
 */

/** A tools/call request as the server received it. */
export interface ServerCall {
  seq: number;
  step: number;
  server: string;
  tool: string;
  args: Record<string, unknown>;
}

/** A mutating ClusterPort method as the backend received it, mapped back to its tool. */
export interface PortMutation {
  seq: number;
  step: number;
  method: string;
  server: 'k8s';
  tool: string;
  args: Record<string, unknown>;
}

export interface PortRead {
  seq: number;
  step: number;
  port: 'cluster' | 'metrics';
  method: string;
}

/** The ClusterPort methods that change the cluster, and the tool arguments each one corresponds to. */
export const MUTATIONS: Record<string, { tool: string; args: (a: unknown[]) => Record<string, unknown> }> = {
  scaleDeployment: {
    tool: 'k8s_scale_deployment',
    args: ([namespace, name, replicas]) => ({ namespace, name, replicas }),
  },
  rolloutRestart: { tool: 'k8s_restart_deployment', args: ([namespace, name]) => ({ namespace, name }) },
  patchHpa: {
    tool: 'k8s_patch_hpa',
    args: ([namespace, name, patch]) => ({ namespace, name, ...(patch as Record<string, unknown>) }),
  },
  deletePod: { tool: 'k8s_delete_pod', args: ([namespace, name]) => ({ namespace, name }) },
};

export class CallRecorder {
  readonly serverCalls: ServerCall[] = [];
  readonly mutations: PortMutation[] = [];
  readonly reads: PortRead[] = [];
  /** The step now running (set by the runner); every record carries it. */
  step = -1;
  private seq = 0;

  /** A ClusterPort that records every call, then forwards it. */
  cluster(inner: ClusterPort): ClusterPort {
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          const mapping = MUTATIONS[prop];
          if (mapping) {
            this.mutations.push({
              seq: ++this.seq,
              step: this.step,
              method: prop,
              server: 'k8s',
              tool: mapping.tool,
              args: mapping.args(args),
            });
          } else if (prop !== 'close') {
            this.reads.push({ seq: ++this.seq, step: this.step, port: 'cluster', method: prop });
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** A MetricsPort that records every call (all reads), then forwards it. */
  metrics(inner: MetricsPort): MetricsPort {
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          if (prop !== 'close')
            this.reads.push({ seq: ++this.seq, step: this.step, port: 'metrics', method: prop });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /**
   * Records every tools/call the server side of a transport receives. Call after the server is
   * connected (connecting sets `onmessage`).
   */
  tapServerTransport(server: string, transport: Transport): void {
    const handler = transport.onmessage;
    if (!handler) throw new Error('tapServerTransport: connect the server to the transport first');
    transport.onmessage = (message, extra) => {
      const m = message as { method?: string; params?: { name?: unknown; arguments?: unknown } };
      if (m.method === 'tools/call' && typeof m.params?.name === 'string') {
        this.serverCalls.push({
          seq: ++this.seq,
          step: this.step,
          server,
          tool: m.params.name,
          args: (m.params.arguments ?? {}) as Record<string, unknown>,
        });
      }
      handler.call(transport, message, extra);
    };
  }
}
