/**
 * `npm run bench`: P1 (bulk send), P2 (webhook ingestion CPU), P3 (memory), medians of several runs,
 * printed as tables with ratios. Not part of `npm test`. BENCH_RUNS (default 3) sets the runs per variant.
 * P4 (throughput in n8n's queue mode vs one regular n8n, bench/p4.ts) starts two real n8n stacks (~5 min more):
 * only with BENCH_QUEUE=1 or when BENCH_ONLY names it.
 */
import '../test/harness/env';

import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { join } from 'path';

import { formatTable, median, RemoteMeta } from './lib';
import { runP1 } from './p1';
import { runP2 } from './p2';
import type { P3Row } from './p3';
import { runP4 } from './p4';
import { runP5 } from './p5';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const only = new Set((process.env.BENCH_ONLY ?? `P1,P2,P3${process.env.BENCH_QUEUE === '1' ? ',P4' : ''}`).split(',').map((s) => s.trim().toUpperCase()));
const log = (line: string) => process.stderr.write(`${line}\n`);
const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function p3(): Promise<P3Row[]> {
	const meta = await RemoteMeta.start();
	try {
		const rows: P3Row[] = [];
		for (const which of ['ours', 'builtin']) {
			const samples: P3Row[] = [];
			for (let run = 0; run < RUNS; run++) {
				await meta.reset(1000, 50);
				const out = execFileSync(
					process.execPath,
					['--expose-gc', '-r', join(__dirname, 'register.js'), join(__dirname, 'p3.ts'), meta.baseUrl, which],
					{ env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
				);
				const row = JSON.parse(out.toString().trim().split('\n').pop()!) as P3Row;
				log(`  P3 ${row.variant} run ${run + 1}: rss +${fixed(row.rssGrowthMB)} MB, heap +${fixed(row.heapGrowthMB)} MB, ${fixed(row.seconds)} s`);
				samples.push(row);
			}
			rows.push({
				variant: samples[0].variant,
				rssGrowthMB: median(samples.map((s) => s.rssGrowthMB)),
				heapGrowthMB: median(samples.map((s) => s.heapGrowthMB)),
				retainedHeapMB: median(samples.map((s) => s.retainedHeapMB)),
				outputItems: samples[0].outputItems,
				seconds: median(samples.map((s) => s.seconds)),
			});
		}
		return rows;
	} finally {
		meta.stop();
	}
}

async function main(): Promise<void> {
	const results: Record<string, unknown> = { runs: RUNS, node: process.version, cpus: cpus().length, at: new Date().toISOString() };
	const out: string[] = [`Benchmarks (median of ${RUNS} runs; Node ${process.version}, ${cpus().length} CPUs)`];

	if (only.has('P1')) {
		log('P1: 2,000 sends, counterpart enforcing 80 msg/s (130429 above) with 50 ms latency');
		const { rows, builtin } = await runP1(RUNS, log);
		results.p1 = { rows, builtin };
		const ours = rows[0];
		out.push(
			'',
			'P1 bulk send, 2,000 items, limit 80 msg/s, 50 ms latency' + (builtin ? ` (n8n-nodes-base from ${builtin})` : ' (n8n-nodes-base not found: ours only)'),
			formatTable(
				['variant', 'delivered', 'lost to throttling', 'delivered msg/s', 'peak msg in any 1 s', 'run time s', 'msg/s vs ours'],
				rows.map((r) => [r.variant, r.delivered, r.lost, fixed(r.msgPerSecond), r.peakPerSecond, fixed(r.seconds), `${fixed(r.msgPerSecond / ours.msgPerSecond, 2)}x`]),
			),
		);
		if (rows.some((r) => r.duplicates > 0)) out.push(`duplicates accepted: ${rows.map((r) => `${r.variant}=${r.duplicates}`).join(', ')}`);
	}

	if (only.has('P2')) {
		log('P2: webhook ingestion CPU time');
		const { rows, builtin } = await runP2(Math.max(RUNS, 5));
		results.p2 = { rows, builtin };
		out.push(
			'',
			'P2 webhook ingestion, one signed 100-event Meta delivery (CPU time per event; variants interleaved, ratio = median of per-sample ratios)',
			formatTable(
				['variant', 'µs per event', 'vs raw', 'items out'],
				rows.map((r) => [r.variant, fixed(r.microsPerEvent, 2), `${fixed(r.vsRaw, 2)}x`, r.items]),
			),
		);
	}

	if (only.has('P3')) {
		log('P3: memory of a 10,000-item run');
		const rows = await p3();
		results.p3 = rows;
		const ours = rows[0];
		out.push(
			'',
			'P3 memory, 10,000-item run (peak growth over a warmed-up baseline; counterpart in another process)',
			formatTable(
				['variant', 'peak RSS growth MB', 'peak heap growth MB', 'heap retained after GC MB', 'output items', 'run time s', 'RSS vs ours'],
				rows.map((r) => [r.variant, fixed(r.rssGrowthMB), fixed(r.heapGrowthMB), fixed(r.retainedHeapMB), r.outputItems, fixed(r.seconds), `${fixed(r.rssGrowthMB / ours.rssGrowthMB, 2)}x`]),
			),
		);
	}

	if (only.has('P4')) {
		log('P4: queue mode vs one regular n8n, N signed cart orders at once (real n8n 2.41.1 stacks)');
		const rows = await runP4(log);
		results.p4 = rows;
		const regular = rows[0];
		out.push(
			'',
			`P4 throughput, ${regular.orders} signed WhatsApp cart orders at once (example 1; median of ${process.env.BENCH_QUEUE_ROUNDS ?? 2} rounds; same machine, stacks run one after the other)`,
			formatTable(
				['variant', 'answered 2xx', 'all answered s', 'all executions finished s', 'orders/s', 'executions', 'succeeded', 'lost', 'duplicated', 'per worker'],
				rows.map((r) => [r.variant, r.answered2xx, fixed(r.answeredSeconds), fixed(r.finishedSeconds), fixed(r.ordersPerSecond), r.executions, r.succeeded, r.lost, r.duplicated, r.split ?? '-']),
			),
		);
	}

	if (only.has('P5')) {
		log('P5: the same delivery at two webhook processes at once (queue mode; what exactly-once does not cover)');
		const rows = await runP5(log);
		results.p5 = rows;
		out.push(
			'',
			'P5 exactly-once limit in queue mode: one signed order resent to webhook processes at the same instant',
			formatTable(['variant', 'rounds', 'orders billed twice', 'orders lost'], rows.map((r) => [r.variant, r.rounds, r.duplicatedBills, r.lostBills])),
		);
	}

	const text = out.join('\n');
	process.stdout.write(`${text}\n`);
	const dir = join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));
	writeFileSync(join(dir, 'latest.md'), `${text}\n`);
	process.exit(0);
}

main().catch((error: unknown) => {
	log(String((error as Error)?.stack ?? error));
	process.exit(1);
});
