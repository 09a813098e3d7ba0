import { readFileSync } from 'node:fs';
import { sha256Hex } from '@devops-ai/core';
import type { UserDirectory } from '@devops-ai/graphs';
import type { PolicyUser } from '@devops-ai/policies';
import { z } from 'zod';

export interface HostUser extends PolicyUser {
  /** sha256 of the API token (tokens themselves are never stored or logged) */
  tokenSha256: string;
}

/** Demo users of the embedded default. Their tokens are public: loopback only. */
export const DEMO_USERS: ReadonlyArray<PolicyUser & { token: string; description: string }> = [
  {
    id: 'alice',
    name: 'Alice',
    roles: ['engineer'],
    token: 'demo-alice',
    description: 'engineer: chats and requests changes',
  },
  {
    id: 'bob',
    name: 'Bob',
    roles: ['engineer', 'approver'],
    token: 'demo-bob',
    description: 'SRE lead: approves',
  },
  { id: 'carol', name: 'Carol', roles: ['viewer'], token: 'demo-carol', description: 'viewer: read-only' },
];

const usersFileSchema = z.object({
  users: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/),
        name: z.string().min(1),
        roles: z.array(z.enum(['viewer', 'engineer', 'approver'])),
        tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 hex of the token'),
      }),
    )
    .min(1),
});

export interface UserRegistry extends UserDirectory {
  readonly demo: boolean;
  authenticate(token: string | undefined): HostUser | undefined;
  all(): HostUser[];
}

export function createUserRegistry(users: HostUser[], demo: boolean): UserRegistry {
  const byId = new Map(users.map((u) => [u.id, u]));
  const byToken = new Map(users.map((u) => [u.tokenSha256, u]));
  return {
    demo,
    get: (id) => byId.get(id),
    authenticate(token) {
      if (!token || token.length > 512) return undefined;
      return byToken.get(sha256Hex(token));
    },
    all: () => [...byId.values()],
  };
}

export function demoRegistry(): UserRegistry {
  return createUserRegistry(
    DEMO_USERS.map((u) => ({ id: u.id, name: u.name, roles: u.roles, tokenSha256: sha256Hex(u.token) })),
    true,
  );
}

/** Users from a JSON file `{ "users": [{ "id", "name", "roles", "tokenSha256" }] }`. */
export function fileRegistry(path: string): UserRegistry {
  const parsed = usersFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  return createUserRegistry(parsed.users, false);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
