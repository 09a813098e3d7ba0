import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, parseScenario, ScenarioError } from './scenario.js';

const ISSUE_EXAMPLE = `
id: scale-needs-approval
description: a scale request waits for an approver, then runs once
tags: [k8s, approval]
world:                      # sandbox set-up, fresh for every scenario
  seed: 7
  advance_minutes: 0
  incidents: [{kind: cpu_burst, service: checkout-api, namespace: prod}]
steps:
  - as: alice               # a configured user
    say: "scale checkout-api in prod to 4 replicas"
    expect:
      approvals_requested: [{tool: k8s_scale_deployment, args: {namespace: prod, name: checkout-api, replicas: 4}}]
      reply_includes: ["approval"]
  - as: bob
    approve: last           # or  reject: last  ·  approve: <n-th request>
    expect:
      executed: [k8s_scale_deployment]
final:
  state:                    # assertions over the GET /api/sandbox document
    - {path: "$.deployments[0].replicas", equals: 4}
  called: [k8s_scale_deployment]
  not_called: [k8s_delete_pod]
`;

function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw err;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario format', () => {
  it('parses the example of the issue as written', () => {
    const s = parseScenario(ISSUE_EXAMPLE, 'example.yaml');
    expect(s.world).toEqual({
      seed: 7,
      advance_minutes: 0,
      settle_minutes: 0,
      incidents: [{ kind: 'cpu_burst', service: 'checkout-api', namespace: 'prod' }],
    });
    expect(s.steps[1]).toEqual({
      as: 'bob',
      approve: 'last',
      expect: { executed: ['k8s_scale_deployment'] },
    });
    expect(s.final?.state[0]).toEqual({ path: '$.deployments[0].replicas', equals: 4 });
  });

  it('accepts an empty approvals_requested list (none) and numbered approvals', () => {
    const s = parseScenario(
      'id: a\ndescription: d\nsteps:\n  - {as: alice, say: hi, expect: {approvals_requested: []}}\n  - {as: bob, reject: 2, reason: no}\n',
      'a.yaml',
    );
    expect(s.steps[0]).toMatchObject({ expect: { approvals_requested: [] } });
    expect(s.steps[1]).toEqual({ as: 'bob', reject: 2, reason: 'no' });
  });

  it('names the file and the path of each problem', () => {
    const e = errorOf(() =>
      parseScenario(
        'id: bad\ndescription: d\nsteps:\n  - as: alice\n    say: hi\n    expect:\n      approvals_requested: [{tool: Scale}]\n      replyIncludes: [x]\n',
        'evals/scenarios/bad.yaml',
      ),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain('evals/scenarios/bad.yaml');
    expect(e.message).toContain('steps.0.expect.approvals_requested.0.tool');
    expect(e.message).toContain('steps.0.expect: Unrecognized key: "replyIncludes"');
    expect(e.message).toContain('replyIncludes');
  });

  it('rejects unknown users, incidents without text and state checks without an assertion', () => {
    expect(
      errorOf(() => parseScenario('id: a\ndescription: d\nsteps: [{as: mallory, say: hi}]\n', 'u.yaml'))
        .message,
    ).toContain('steps.0.as: unknown user "mallory"');
    expect(
      errorOf(() =>
        parseScenario(
          'id: a\ndescription: d\nworld: {incidents: [{kind: log_message, service: cart}]}\nsteps: [{as: alice, say: hi}]\n',
          'i.yaml',
        ),
      ).message,
    ).toContain('world.incidents.0.text: text is required for log_message');
    expect(
      errorOf(() =>
        parseScenario(
          'id: a\ndescription: d\nsteps: [{as: alice, say: hi}]\nfinal: {state: [{path: $.x}]}\n',
          's.yaml',
        ),
      ).message,
    ).toContain('final.state.0');
  });

  it('says which kind a step is missing, or that it mixes two', () => {
    expect(
      errorOf(() => parseScenario('id: a\ndescription: d\nsteps: [{as: alice}]\n', 'k.yaml')).message,
    ).toBe(
      'k.yaml: steps.0: a step has exactly one of say, approve, reject, advance_minutes, inject, tamper',
    );
    expect(
      errorOf(() =>
        parseScenario('id: a\ndescription: d\nsteps: [{as: bob, approve: last, reject: last}]\n', 'k.yaml'),
      ).message,
    ).toContain('(found approve, reject)');
  });

  it('reports invalid YAML and duplicate keys with the file name', () => {
    expect(errorOf(() => parseScenario('id: a\nid: b\n', 'dup.yaml')).message).toMatch(
      /^dup\.yaml: invalid YAML/,
    );
  });

  it('loads folders recursively and refuses two scenarios with one id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evals-load-'));
    mkdirSync(join(dir, 'sub'));
    const one = 'id: same\ndescription: d\nsteps: [{as: alice, say: hi}]\n';
    writeFileSync(join(dir, 'a.yaml'), one);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(loadScenarios([dir]).map((l) => l.scenario.id)).toEqual(['same']);
    writeFileSync(join(dir, 'sub', 'b.yml'), one);
    expect(() => loadScenarios([dir])).toThrow(/id "same" is also used by/);
  });
});
