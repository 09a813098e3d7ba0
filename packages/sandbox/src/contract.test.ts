import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeClusterContract, describeMetricsContract } from '@devops-ai/core/testing';
import { openSandbox } from './index.js';

function freshWorld() {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-contract-'));
  const world = openSandbox({ path: join(dir, 'world.db') });
  return {
    world,
    cleanup: async () => {
      world.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeClusterContract('sandbox', async () => {
  const { world, cleanup } = freshWorld();
  return {
    port: world.cluster,
    fixture: { namespace: 'prod', deployment: 'checkout-api', hpa: 'checkout-api' },
    cleanup,
  };
});

describeMetricsContract('sandbox', async () => {
  const { world, cleanup } = freshWorld();
  return {
    port: world.metrics,
    fixture: {
      namespace: 'prod',
      service: 'checkout-api',
      instantQuery: 'sum by (service) (service:requests_per_second{namespace="prod"})',
    },
    cleanup,
  };
});
