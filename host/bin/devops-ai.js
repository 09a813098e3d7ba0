#!/usr/bin/env node
// The devops-ai host (HTTP API + web console), run from a checkout through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
