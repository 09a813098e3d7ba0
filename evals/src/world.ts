import { copyWorld, openSandbox, type SandboxWorld } from '@devops-ai/sandbox';

/** Opens a private copy of the seed's template world at `path`. */
export function freshWorld(seed: number, path: string): SandboxWorld {
  return openSandbox({ path: copyWorld(seed, path), seed });
}
