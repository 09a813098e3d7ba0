/**
 * The three patch formats the Kubernetes API server accepts on PATCH, for the fake API server:
 * - application/merge-patch+json            RFC 7386 JSON merge patch
 * - application/strategic-merge-patch+json  Kubernetes strategic merge patch (subset, see below)
 * - application/json-patch+json             RFC 6902 JSON patch (add, remove, replace, test)
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class PatchError extends Error {
  override readonly name = 'PatchError';
}

function isObject(v: unknown): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386: objects merge recursively, null deletes, everything else (arrays too) replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: { [k: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Patch merge keys of the list fields that appear in Deployments, Pods and HPAs
 * (`patchMergeKey` tags in k8s.io/api). Lists not named here are replaced, as in the API server.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
  tolerations: 'key',
  hostAliases: 'ip',
};

/**
 * Strategic merge patch, the subset kubectl's rollout restart, set image and scale use: maps merge
 * like RFC 7386, lists with a patch merge key merge element-wise by that key, `$patch: delete` on a
 * list element removes it. Unsupported directives (`$retainKeys`, `$setElementOrder`, `$patch:
 * replace` on maps) are rejected rather than silently mis-applied.
 */
export function strategicMergePatch(target: Json | undefined, patch: Json, field = ''): Json {
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return patch.filter((e) => !(isObject(e) && e.$patch === 'delete'));
    const out = [...target];
    for (const el of patch) {
      if (!isObject(el) || el[key] === undefined) {
        out.push(el);
        continue;
      }
      const at = out.findIndex((t) => isObject(t) && t[key] === el[key]);
      if (el.$patch === 'delete') {
        if (at >= 0) out.splice(at, 1);
      } else if (at >= 0) {
        out[at] = strategicMergePatch(out[at], el);
      } else {
        out.push(el);
      }
    }
    return out;
  }
  if (!isObject(patch)) return patch;
  const out: { [k: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) throw new PatchError(`unsupported strategic merge patch directive ${k}`);
    if (v === null) delete out[k];
    else out[k] = strategicMergePatch(out[k], v, k);
  }
  return out;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** RFC 6902 with add, remove, replace and test. */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) {
    throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  let doc: Json = structuredClone(target);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new PatchError('invalid JSON patch operation');
    }
    const parts = op.path === '' ? [] : op.path.split('/').slice(1).map(unescapePointer);
    if (parts.length === 0) {
      if (op.op === 'replace' || op.op === 'add') doc = (op.value ?? null) as Json;
      else throw new PatchError(`unsupported operation ${op.op} on the document root`);
      continue;
    }
    let parent: Json = doc;
    for (const p of parts.slice(0, -1)) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[Number(p)]
        : isObject(parent)
          ? parent[p]
          : undefined;
      if (next === undefined) throw new PatchError(`missing path ${op.path}`);
      parent = next;
    }
    const last = parts[parts.length - 1] ?? '';
    const container = parent;
    switch (op.op) {
      case 'add':
      case 'replace': {
        if (Array.isArray(container)) {
          const i = last === '-' ? container.length : Number(last);
          if (op.op === 'add') container.splice(i, 0, op.value as Json);
          else container[i] = op.value as Json;
        } else if (isObject(container)) {
          if (op.op === 'replace' && !(last in container)) throw new PatchError(`missing path ${op.path}`);
          container[last] = op.value as Json;
        } else throw new PatchError(`missing path ${op.path}`);
        break;
      }
      case 'remove':
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else if (isObject(container) && last in container) delete container[last];
        else throw new PatchError(`missing path ${op.path}`);
        break;
      case 'test': {
        const cur = Array.isArray(container)
          ? container[Number(last)]
          : isObject(container)
            ? container[last]
            : undefined;
        if (JSON.stringify(cur) !== JSON.stringify(op.value))
          throw new PatchError(`test failed at ${op.path}`);
        break;
      }
      default:
        throw new PatchError(`unsupported JSON patch operation ${op.op}`);
    }
  }
  return doc;
}
