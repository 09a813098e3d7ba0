import type { z } from 'zod';

/** How bad a mistaken call would be. The host's policy reads this from the static manifest. */
export type Risk = 'low' | 'medium' | 'high';

export interface ToolAnnotations {
  /** true: the tool never changes anything. Every gate (read-only mode, approvals) derives from this. */
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * A tool, defined once: its name, input schema, annotations and handler. The MCP registration,
 * the read-only gate and the manifest the host's policy reads are all derived from this object.
 */
export interface ToolDefinition<Deps, Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: Input;
  annotations: ToolAnnotations;
  risk: Risk;
  handler: (args: z.output<Input>, deps: Deps) => Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tools over one Deps type
export type AnyToolDefinition<Deps> = ToolDefinition<Deps, any>;

export function defineTool<Deps>() {
  return <Input extends z.ZodObject>(def: ToolDefinition<Deps, Input>): ToolDefinition<Deps, Input> => {
    if (def.annotations.readOnlyHint && def.annotations.destructiveHint) {
      throw new Error(`tool ${def.name}: a read-only tool cannot be destructive`);
    }
    if (def.annotations.readOnlyHint && def.risk !== 'low') {
      throw new Error(`tool ${def.name}: a read-only tool is low risk`);
    }
    return def;
  };
}

export function isMutating(def: { annotations: ToolAnnotations }): boolean {
  return def.annotations.readOnlyHint !== true;
}

export interface ToolManifestEntry {
  name: string;
  title: string;
  readOnly: boolean;
  destructive: boolean;
  risk: Risk;
}

/** The static manifest a server exports for the host's policy (never learned at run time). */
export interface ToolManifest {
  server: string;
  tools: ToolManifestEntry[];
}

export function buildManifest<Deps>(server: string, tools: readonly AnyToolDefinition<Deps>[]): ToolManifest {
  return {
    server,
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      readOnly: t.annotations.readOnlyHint === true,
      destructive: t.annotations.destructiveHint === true,
      risk: t.risk,
    })),
  };
}

/** The zod input schema of each tool, by name: the host validates arguments with the same schema as the server. */
export function inputSchemasOf<Deps>(tools: readonly AnyToolDefinition<Deps>[]): Record<string, z.ZodObject> {
  return Object.fromEntries(tools.map((t) => [t.name, t.input as z.ZodObject]));
}
