/**
 * `node -r ./bench/register.js bench/profile.ts [items] [rate] [latency]`: one run of ours against the
 * out-of-process counterpart, for a CPU profile (add --cpu-prof) or a quick CPU-per-message figure.
 */
import '../test/harness/env';

import { runNode } from '../test/harness/engine';
import { RemoteMeta } from './lib';
import { setupNodes, variants } from './p1';

async function main(): Promise<void> {
	const [items = 3000, rate = 1000, latency = 50] = process.argv.slice(2).map(Number);
	const meta = await RemoteMeta.start();
	try {
		const { nodeTypes, credentials, complete } = setupNodes(meta.baseUrl);
		const ours = variants(false, { messagesPerSecond: rate }).map(complete)[0];
		const input = Array.from({ length: items }, (_, i) => ({ to: `9190${String(i).padStart(8, '0')}`, ref: `INV-${i}` }));
		await meta.reset(rate, latency);
		await runNode(ours.node, input.slice(0, 200), credentials(), { nodeTypes });
		await meta.reset(rate, latency);
		const cpu = process.cpuUsage();
		const started = Date.now();
		const result = await runNode(ours.node, input, credentials(), { nodeTypes });
		const used = process.cpuUsage(cpu);
		const seconds = (Date.now() - started) / 1000;
		const stats = await meta.stats();
		process.stdout.write(
			`${result.items.length} items, ${stats.accepted.length} accepted in ${seconds.toFixed(1)} s = ${(stats.accepted.length / seconds).toFixed(1)} msg/s; ` +
				`CPU ${((used.user + used.system) / items).toFixed(0)} µs/msg here, ${(stats.cpuMicros / items).toFixed(0)} µs/msg in the counterpart\n`,
		);
	} finally {
		meta.stop();
	}
	process.exit(0);
}

void main();
