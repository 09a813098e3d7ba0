import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { DevopsAiError } from '@devops-ai/core';
import { INCIDENT_KINDS } from '@devops-ai/sandbox';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/**
 * The scenario file format (one scenario per YAML file). Outside suites use it: keep it stable,
 * extend it only with optional fields. Documented in evals/README.md.
 */

export class ScenarioError extends DevopsAiError {
  override readonly name = 'ScenarioError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super('invalid_argument', message, { file });
  }
}

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'ids use a-z, 0-9, . _ - (at most 100)');
const userId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'user ids use a-z, 0-9, . _ -');
const toolName = z.string().regex(/^[a-z0-9]+_[a-z0-9_]+$/, 'a tool name such as k8s_scale_deployment');

export const incidentSchema = z
  .object({
    kind: z.enum(INCIDENT_KINDS),
    namespace: z.string().min(1).max(63).default('prod'),
    service: z.string().min(1).max(63),
    text: z.string().min(1).max(4000).optional(),
    multiplier: z.number().positive().max(50).optional(),
    duration_minutes: z
      .number()
      .int()
      .positive()
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const needsText = v.kind === 'log_message' || v.kind === 'event_message' || v.kind === 'alert_annotation';
    if (needsText && v.text === undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: `text is required for ${v.kind}` });
  });

const expectedApproval = z
  .object({
    tool: toolName,
    /** Compared key by key: every key given must be equal; keys not given are not compared. */
    args: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const expectSchema = z
  .object({
    /** The approvals this step created, exactly (`[]`: none). */
    approvals_requested: z.array(expectedApproval).optional(),
    /** The mutating tools that ran at a server during this step, exactly (`[]`: none). */
    executed: z.array(toolName).optional(),
    /** Tools that must have reached a server during this step. */
    called: z.array(toolName).optional(),
    /** Tools that must not have reached a server during this step. */
    not_called: z.array(toolName).optional(),
    /** Case-insensitive substrings the reply must contain; a list inside the list means any one of them. */
    reply_includes: z.array(z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])).optional(),
    /** Case-insensitive substrings the reply must not contain. */
    reply_excludes: z.array(z.string().min(1)).optional(),
    /** HTTP status of the step's request. */
    status: z.number().int().min(100).max(599).optional(),
  })
  .strict();

const approvalRef = z.union([z.literal('last'), z.number().int().min(1)]);

const base = { expect: expectSchema.optional() };

const sayStep = z
  .object({
    as: userId,
    say: z.string().min(1).max(4000),
    /** Conversation name inside the scenario (default `main`). */
    conversation: id.optional(),
    ...base,
  })
  .strict();
const approveStep = z
  .object({ as: userId, approve: approvalRef, reason: z.string().max(1000).optional(), ...base })
  .strict();
const rejectStep = z
  .object({ as: userId, reject: approvalRef, reason: z.string().max(1000).optional(), ...base })
  .strict();
/** Moves the host clock and the sandbox world forward (approval expiry, HPA reactions). */
const advanceStep = z
  .object({
    advance_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    ...base,
  })
  .strict();
/** Injects incidents into the world mid-scenario. */
const injectStep = z.object({ inject: z.array(incidentSchema).min(1), ...base }).strict();
/**
 * Rewrites a stored approval in the host database, as an attacker with write access to it would:
 * new arguments, and the digest either recomputed for them or kept.
 */
const tamperStep = z
  .object({
    tamper: approvalRef,
    args: z.record(z.string(), z.unknown()),
    digest: z.enum(['recompute', 'keep']).default('recompute'),
    ...base,
  })
  .strict();

const STEP_KINDS = ['say', 'approve', 'reject', 'advance_minutes', 'inject', 'tamper'] as const;

const STEP_SCHEMAS = {
  say: sayStep,
  approve: approveStep,
  reject: rejectStep,
  advance_minutes: advanceStep,
  inject: injectStep,
  tamper: tamperStep,
} as const;

export const stepSchema = z.union([sayStep, approveStep, rejectStep, advanceStep, injectStep, tamperStep]);

const stateAssertion = z
  .object({
    /** JSONPath (jsonpath-plus syntax) into the GET /api/sandbox document. */
    path: z.string().min(2).startsWith('$'),
    equals: z.unknown().optional(),
    not_equals: z.unknown().optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
    /** The path matches at least one value (true) or none (false). */
    exists: z.boolean().optional(),
  })
  .strict()
  .refine(
    (a) =>
      ['equals', 'not_equals', 'gte', 'lte', 'exists'].some(
        (k) => k in a && (a as Record<string, unknown>)[k] !== undefined,
      ),
    { message: 'give one of equals, not_equals, gte, lte, exists' },
  );

const userSchema = z
  .object({
    id: userId,
    name: z.string().min(1).max(100).optional(),
    roles: z.array(z.enum(['viewer', 'engineer', 'approver'])),
  })
  .strict();

export const scenarioSchema = z
  .object({
    id,
    description: z.string().min(1),
    tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/)).default([]),
    /** Users of this scenario; default: alice (engineer), bob (engineer, approver), carol (viewer). */
    users: z.array(userSchema).min(1).optional(),
    /** Policies of this scenario: the shipped foundation set (unless `extend: false`) plus these files. */
    policies: z
      .object({
        extend: z.boolean().default(true),
        files: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*\.cedar$/), z.string().min(1)),
      })
      .strict()
      .optional(),
    /** Approval lifetime in minutes (default 30). */
    approval_ttl_minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
    world: z
      .object({
        seed: z.number().int().min(0).max(0xffffffff).default(42),
        advance_minutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60)
          .default(0),
        incidents: z.array(incidentSchema).default([]),
        /** Minutes the world runs after the incidents are injected (so they show in metrics). */
        settle_minutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .default(0),
      })
      .strict()
      .default({ seed: 42, advance_minutes: 0, incidents: [], settle_minutes: 0 }),
    steps: z.array(stepSchema).min(1),
    final: z
      .object({
        state: z.array(stateAssertion).default([]),
        called: z.array(toolName).default([]),
        not_called: z.array(toolName).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type Step = z.output<typeof stepSchema>;
export type Expect = z.output<typeof expectSchema>;
export type IncidentSpec = z.output<typeof incidentSchema>;
export type StateAssertion = z.output<typeof stateAssertion>;

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

/** Parses and validates one scenario from YAML text; errors name the file and the path inside it. */
export function parseScenario(text: string, file: string): Scenario {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(`${file}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`, file);
  }
  const raw = doc.toJS() as unknown;
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (Array.isArray(steps)) {
    steps.forEach((step, i) => {
      const kinds = STEP_KINDS.filter((k) => step !== null && typeof step === 'object' && k in step);
      if (kinds.length !== 1)
        throw new ScenarioError(
          `${file}: steps.${i}: a step has exactly one of ${STEP_KINDS.join(', ')}${kinds.length ? ` (found ${kinds.join(', ')})` : ''}`,
          file,
        );
      // Validate against that kind's schema, so errors point inside the step (a union says only "Invalid input").
      const one = STEP_SCHEMAS[kinds[0] as (typeof STEP_KINDS)[number]].safeParse(step);
      if (!one.success)
        throw new ScenarioError(
          `${file}: ${one.error.issues.map((issue) => describeIssue({ ...issue, path: ['steps', i, ...issue.path] })).join('; ')}`,
          file,
        );
    });
  }
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    throw new ScenarioError(`${file}: ${result.error.issues.map(describeIssue).join('; ')}`, file);
  }
  const s = result.data;
  const users = new Set((s.users ?? DEFAULT_USERS).map((u) => u.id));
  s.steps.forEach((step, i) => {
    if ('as' in step && !users.has(step.as)) {
      throw new ScenarioError(
        `${file}: steps.${i}.as: unknown user "${step.as}" (users: ${[...users].join(', ')})`,
        file,
      );
    }
  });
  return s;
}

export function loadScenarioFile(file: string): LoadedScenario {
  return { file, scenario: parseScenario(readFileSync(file, 'utf8'), file) };
}

/** Every *.yaml / *.yml file under the given files and folders, sorted, as scenarios. Ids must be unique. */
export function loadScenarios(paths: string[], cwd = process.cwd()): LoadedScenario[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (['.yaml', '.yml'].includes(extname(p))) files.push(p);
  };
  for (const p of paths) walk(resolve(cwd, p));
  const loaded = files.sort().map((f) => {
    const l = loadScenarioFile(f);
    return { ...l, file: relative(cwd, f) || f };
  });
  const seen = new Map<string, string>();
  for (const l of loaded) {
    const other = seen.get(l.scenario.id);
    if (other) throw new ScenarioError(`${l.file}: id "${l.scenario.id}" is also used by ${other}`, l.file);
    seen.set(l.scenario.id, l.file);
  }
  return loaded;
}

export const DEFAULT_USERS: Array<{
  id: string;
  name: string;
  roles: Array<'viewer' | 'engineer' | 'approver'>;
}> = [
  { id: 'alice', name: 'Alice', roles: ['engineer'] },
  { id: 'bob', name: 'Bob', roles: ['engineer', 'approver'] },
  { id: 'carol', name: 'Carol', roles: ['viewer'] },
];

export function isAdversarial(s: Scenario): boolean {
  return s.tags.includes('adversarial');
}
