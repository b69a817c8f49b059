import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pod } from '../api/types.js';
import type { TimelineEntry } from '../store/pod-store.js';
import { renderTimeline } from './timeline/render-timeline.js';
import { getJson, loadKubeconfig } from './client/kube-client.js';
import { defaultDataDir } from './default-data-dir.js';

interface TimelineList {
  items: TimelineEntry[];
  pods?: Pod[];
}

/** Which kubeconfig to use: --kubeconfig, then --data-dir, then $KUBECONFIG, then ~/.hooklet. */
export function kubeconfigPath(opts: { kubeconfig?: string; dataDir?: string }, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.kubeconfig) return resolve(opts.kubeconfig);
  if (opts.dataDir) return join(resolve(opts.dataDir), 'kubeconfig');
  const fromEnv = env['KUBECONFIG']?.split(':').find((p) => p !== '' && existsSync(p));
  if (fromEnv) return fromEnv;
  return join(defaultDataDir(), 'kubeconfig');
}

/** `hooklet timeline POD`: the chart and verdicts of one pod, from the daemon. */
export function timelineCommand(): Command {
  return new Command('timeline')
    .description("Print a pod's lifecycle timeline and verdicts from the hooklet daemon")
    .argument('<pod>', 'pod name')
    .option('-n, --namespace <ns>', 'namespace (default: the kubeconfig context namespace)')
    .option('--uid <uid>', 'one incarnation of the pod (default: the live one, else the latest)')
    .option('--kubeconfig <path>', 'kubeconfig of the daemon')
    .option('--data-dir <dir>', 'data directory of the daemon (its kubeconfig is used)')
    .option('-o, --output <format>', 'chart (default) or json', 'chart')
    .action(async (pod: string, opts: { namespace?: string; uid?: string; kubeconfig?: string; dataDir?: string; output: string }) => {
      try {
        const target = loadKubeconfig(kubeconfigPath(opts));
        const ns = opts.namespace ?? target.namespace;
        const query = opts.uid ? `?uid=${encodeURIComponent(opts.uid)}` : '';
        const list = (await getJson(
          target,
          `/apis/hooklet.dev/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/timeline${query}`,
        )) as TimelineList;
        if (opts.output === 'json') {
          process.stdout.write(JSON.stringify(list.items, null, 2) + '\n');
          return;
        }
        if (list.items.length === 0) {
          process.stdout.write(`No timeline recorded yet for pod "${pod}" in namespace "${ns}".\n`);
          return;
        }
        process.stdout.write(renderTimeline(list.items, list.pods ?? []) + '\n');
      } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}
