import { DevopsAiError, describeError } from '@devops-ai/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type AnyToolDefinition, isMutating } from './tool.js';

export interface ToolServerOptions<Deps> {
  name: string;
  version: string;
  tools: readonly AnyToolDefinition<Deps>[];
  deps: Deps;
  /** Read-only mode: every tool not annotated readOnlyHint is removed from tools/list and refused on tools/call. */
  readOnly?: boolean;
  instructions?: string;
}

/** Renders a handler's return value as a tool result the model reads as data. */
export function toToolResult(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

export function toErrorResult(err: unknown): CallToolResult {
  const { code, message } = describeError(err);
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: { code, message } }) }] };
}

/**
 * Builds an McpServer from tool definitions. No I/O happens here: connect it to a transport.
 */
export function createToolServer<Deps>(opts: ToolServerOptions<Deps>): McpServer {
  const server = new McpServer(
    { name: opts.name, version: opts.version },
    { capabilities: { tools: {} }, ...(opts.instructions ? { instructions: opts.instructions } : {}) },
  );
  for (const def of opts.tools) {
    const refuse = opts.readOnly === true && isMutating(def);
    const registered = server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: def.input,
        annotations: { title: def.title, ...def.annotations },
      },
      async (args: unknown) => {
        // Defence in depth: a disabled tool never reaches here, but if it did it still refuses.
        if (refuse) {
          return toErrorResult(
            new DevopsAiError(
              'read_only',
              `${def.name} changes state and ${opts.name} runs in read-only mode`,
            ),
          );
        }
        try {
          return toToolResult(await def.handler(args as never, opts.deps));
        } catch (err) {
          return toErrorResult(err);
        }
      },
    );
    // Read-only mode, derived from the annotations: hidden from tools/list and refused on tools/call.
    if (refuse) registered.disable();
  }
  return server;
}
