/**
 * The Meta counterpart in its own process for the benchmarks, so its CPU and memory are not counted in
 * the node's run. It enforces Meta's per-number throughput limit (130429 above it) and adds latency.
 * Control routes: POST /__bench/reset?rate=80&latency=50 and GET /__bench/stats.
 * Prints {"baseUrl": ...} on its first stdout line.
 */
import '../test/harness/env';

import { enforceRate, isMessagePost, latency } from '../test/counterparts/faults';
import { MetaCounterpart } from '../test/counterparts/meta';
import type { RecordedRequest, Reply } from '../test/counterparts/server';

async function main(): Promise<void> {
	const meta = new MetaCounterpart();
	let limit = enforceRate(80);
	let cpuAtReset = process.cpuUsage();
	const configure = (rate: number, latencyMs: number) => {
		meta.reset();
		meta.inject(control);
		// A third sending number of the same WABA for P1d (the counterpart knows two).
		if (!meta.state.phoneNumbers.some((p) => p.id === '106540352243001')) meta.state.phoneNumbers.push({ id: '106540352243001', display_phone_number: '+91 98765 00001', verified_name: 'Chai Point 2', quality_rating: 'GREEN' });
		cpuAtReset = process.cpuUsage();
		limit = enforceRate(rate);
		if (latencyMs > 0) meta.inject(latency(latencyMs));
		if (rate > 0) meta.inject(limit);
	};
	// The control paths are answered ahead of the counterpart's own routes (a fault runs before any route, and the
	// counterpart's generic /:version/:id would otherwise take them); re-added after every reset.
	const control = (request: RecordedRequest): Reply | undefined => {
		if (request.method === 'POST' && request.path === '/__bench/reset') {
			configure(Number(request.query.rate ?? 80), Number(request.query.latency ?? 50));
			return { status: 200, body: { ok: true } };
		}
		if (request.method === 'GET' && request.path === '/__bench/stats') {
			const posts = meta.requests.filter(isMessagePost);
			const cpu = process.cpuUsage(cpuAtReset);
			return {
				status: 200,
				body: {
					attempts: posts.map((r) => r.at),
					attemptSenders: posts.map((r) => r.path.split('/')[2] ?? ''),
					accepted: meta.sent.map((s) => s.at),
					acceptedRecipients: meta.sent.map((s) => String(s.message.to)),
					refused: limit.refused,
					cpuMicros: cpu.user + cpu.system,
				},
			};
		}
		return undefined;
	};
	meta.inject(control);
	const baseUrl = await meta.start();
	process.stdout.write(`${JSON.stringify({ baseUrl })}\n`);
	process.on('SIGTERM', () => void meta.stop().then(() => process.exit(0)));
}

void main();
