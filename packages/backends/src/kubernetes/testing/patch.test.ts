/** The fake API server's patch semantics: the wire tests rely on them being the API server's. */
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js';

const deployment = {
  spec: {
    replicas: 3,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }] },
          { name: 'proxy', image: 'envoy:1' },
        ],
      },
    },
  },
};

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces lists', () => {
    const out = mergePatch(deployment, {
      spec: { replicas: null, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
    });
    expect(out).toEqual({
      spec: {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'web:2' }] },
        },
      },
    });
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name instead of replacing the list', () => {
    const out = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'web:2', env: [{ name: 'A', value: '1' }] },
      { name: 'proxy', image: 'envoy:1' },
    ]);
  });

  it('removes an element with $patch: delete and refuses unsupported directives', () => {
    const out = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'proxy', $patch: 'delete' }] } } },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(() => strategicMergePatch(deployment, { spec: { $retainKeys: ['replicas'] } })).toThrow(
      PatchError,
    );
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, replace, remove and test', () => {
    const out = jsonPatch(deployment, [
      { op: 'test', path: '/spec/replicas', value: 3 },
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/spec/template/metadata/labels/tier', value: 'front' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]) as typeof deployment & { spec: { template: { metadata: { labels: Record<string, string> } } } };
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.template.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(out.spec.template.spec.containers).toHaveLength(1);
    expect(deployment.spec.replicas).toBe(3); // input untouched
  });

  it('rejects an object body and failed tests, as the API server does', () => {
    expect(() => jsonPatch(deployment, { spec: { replicas: 1 } })).toThrow(/cannot unmarshal object/);
    expect(() => jsonPatch(deployment, [{ op: 'test', path: '/spec/replicas', value: 4 }])).toThrow(
      PatchError,
    );
    expect(() => jsonPatch(deployment, [{ op: 'replace', path: '/spec/missing', value: 1 }])).toThrow(
      PatchError,
    );
  });
});
