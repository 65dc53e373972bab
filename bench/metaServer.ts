/**
 * The Meta counterpart in its own process for the benchmarks, so its CPU and memory are not counted in
 * the node's run. It enforces Meta's per-number throughput limit (130429 above it) and adds latency.
 * Control routes: POST /__bench/reset?rate=80&latency=50 and GET /__bench/stats.
 * Prints {"baseUrl": ...} on its first stdout line.
 */
import '../test/harness/env';

import { enforceRate, isMessagePost, latency } from '../test/counterparts/faults';
import { MetaCounterpart } from '../test/counterparts/meta';

async function main(): Promise<void> {
	const meta = new MetaCounterpart();
	let limit = enforceRate(80);
	const configure = (rate: number, latencyMs: number) => {
		meta.reset();
		limit = enforceRate(rate);
		if (latencyMs > 0) meta.inject(latency(latencyMs));
		if (rate > 0) meta.inject(limit);
	};
	meta.route('POST', '/__bench/reset', (request) => {
		configure(Number(request.query.rate ?? 80), Number(request.query.latency ?? 50));
		return { status: 200, body: { ok: true } };
	});
	meta.route('GET', '/__bench/stats', () => {
		const posts = meta.requests.filter(isMessagePost);
		return {
			status: 200,
			body: {
				attempts: posts.map((r) => r.at),
				accepted: meta.sent.map((s) => s.at),
				acceptedRecipients: meta.sent.map((s) => String(s.message.to)),
				refused: limit.refused,
			},
		};
	});
	const baseUrl = await meta.start();
	process.stdout.write(`${JSON.stringify({ baseUrl })}\n`);
	process.on('SIGTERM', () => void meta.stop().then(() => process.exit(0)));
}

void main();
