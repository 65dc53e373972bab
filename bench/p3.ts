/**
 * P3 memory: peak growth of the process during a 10,000-item run, measured in a fresh child process per
 * variant (the counterpart runs in yet another process). Sampling every 20 ms, after a 100-item warm-up run, from the same event loop.
 * Two configurations (bench/run.ts): an upgraded number (1,000 msg/s, 250 ms: the largest window, about 300) and
 * the default limit with a slow Meta (80 msg/s, 800 ms). Ours, n8n's node with its defaults (1,000 msg/s only:
 * it does not pace), and the floor (bench/httpFloor.ts): n8n's HTTP helper alone at the same rate and window.
 * Run as a script: `p3.ts <baseUrl> ours|builtin|floor [rate] [latency ms]`; prints one JSON line.
 */
import '../test/harness/env';

import { runNode } from '../test/harness/engine';
import { setupNodes, variants } from './p1';

const ITEMS = Number(process.env.BENCH_P3_ITEMS ?? 10000);

export interface P3Row {
	variant: string;
	rssGrowthMB: number;
	/** Heap still used after the run and a full GC (the output items and the run data). */
	retainedHeapMB: number;
	heapGrowthMB: number;
	outputItems: number;
	seconds: number;
}

async function main(): Promise<void> {
	const [baseUrl, which, rateText = '1000', latencyText = '250'] = process.argv.slice(2);
	const rate = Number(rateText);
	const gc = (globalThis as { gc?: () => void }).gc;
	const inFlight = Math.ceil((rate * Number(latencyText) * 1.2) / 1000);
	const { nodeTypes, credentials, complete } = setupNodes(baseUrl, { rate, inFlight });
	const all = variants(true, rate === 80 ? {} : { messagesPerSecond: rate }).map(complete);
	const floor = {
		name: `n8n's HTTP helper alone (floor, ${rate.toLocaleString('en-US')} msg/s, ${inFlight} in flight)`,
		node: { type: 'httpFloor', parameters: {}, credentials: ['waCommerceMetaApi'] },
	};
	const variant = which === 'ours' ? all[0] : which === 'floor' ? floor : all[1];
	const input = Array.from({ length: ITEMS }, (_, i) => ({ to: `9190${String(i).padStart(8, '0')}`, ref: `INV-${i}` }));
	// Warm up (module loading, JIT, sockets) so the growth is the run's, not the first request's.
	await runNode(variant.node, input.slice(0, 100), credentials(), { nodeTypes });
	gc?.();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	}, 20);
	const started = Date.now();
	const result = await runNode(variant.node, input, credentials(), { nodeTypes });
	const seconds = (Date.now() - started) / 1000;
	const end = process.memoryUsage();
	clearInterval(sampler);
	peakRss = Math.max(peakRss, end.rss);
	peakHeap = Math.max(peakHeap, end.heapUsed);
	gc?.();
	const retainedMB = (process.memoryUsage().heapUsed - before.heapUsed) / 2 ** 20;
	const row: P3Row = {
		retainedHeapMB: retainedMB,
		variant: variant.name,
		rssGrowthMB: (peakRss - before.rss) / 2 ** 20,
		heapGrowthMB: (peakHeap - before.heapUsed) / 2 ** 20,
		outputItems: result.items.length,
		seconds,
	};
	process.stdout.write(`${JSON.stringify(row)}\n`);
	process.exit(0);
}

if (require.main === module) void main();
