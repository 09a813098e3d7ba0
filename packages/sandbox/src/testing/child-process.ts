/**
 * Test helper run in a separate process (node --import tsx): opens the world at argv[2] and
 * performs one action, printing a JSON result. Used to prove that separate processes share
 * one world through the SQLite file.
 */
import { openSandbox } from '../index.js';

const [path, action, ...args] = process.argv.slice(2);
if (!path || !action) {
  process.stderr.write(
    'usage: child-process.ts <path> scale <ns> <name> <replicas> | advance <minutes> | read <ns> <name>\n',
  );
  process.exit(2);
}
const world = openSandbox({ path });
try {
  if (action === 'scale') {
    const [ns = '', name = '', replicas = '0'] = args;
    const r = await world.cluster.scaleDeployment(ns, name, Number(replicas));
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else if (action === 'advance') {
    process.stdout.write(`${JSON.stringify(world.advance(Number(args[0])))}\n`);
  } else if (action === 'read') {
    const [ns = '', name = ''] = args;
    const samples = await world.metrics.instantQuery(
      `kube_deployment_spec_replicas{namespace="${ns}",deployment="${name}"}`,
    );
    process.stdout.write(
      `${JSON.stringify({ clock: world.now(), specReplicas: samples[0]?.value ?? null })}\n`,
    );
  } else {
    process.stderr.write(`unknown action ${action}\n`);
    process.exitCode = 2;
  }
} finally {
  world.close();
}
