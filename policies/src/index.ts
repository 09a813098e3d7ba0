import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export * from './engine.js';

/** The policies/ folder shipped with devops-ai (foundation rules and schema). */
export const DEFAULT_POLICY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
