/**
 * `npm run bench`: P1/P1c/P1d (bulk send), P2 (webhook ingestion CPU), P3 (memory), printed as tables with
 * ratios and a summary of which targets were met, written to bench/results/ (latest and dated, with the
 * machine). Not part of `npm test`. BENCH_RUNS (default 1) sets the runs per variant (medians when more);
 * BENCH_ONLY=P1,P1C,P1D,P2,P3 picks scenarios.
 * P4 (throughput in n8n's queue mode vs one regular n8n) and P5 (the exactly-once limit across webhook
 * processes) start real n8n stacks (minutes): only with BENCH_QUEUE=1 (P4) or when BENCH_ONLY names them.
 */
import '../test/harness/env';

import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { cpus, hostname, loadavg, totalmem } from 'os';
import { join } from 'path';

import { formatTable, median, RemoteMeta } from './lib';
import { type P1Row, runP1 } from './p1';
import { runP2 } from './p2';
import type { P3Row } from './p3';
import { runP4 } from './p4';
import { runP5 } from './p5';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const only = new Set((process.env.BENCH_ONLY ?? `P1,P1C,P1D,P2,P3${process.env.BENCH_QUEUE === '1' ? ',P4' : ''}`).split(',').map((s) => s.trim().toUpperCase()));
const P3_LATENCY_MS = Number(process.env.BENCH_P3_LATENCY ?? 250);
const log = (line: string) => process.stderr.write(`${line}\n`);
const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** P3's two configurations: [rate, latency ms, variants]. */
const P3_CONFIGS: Array<{ rate: number; latencyMs: number; variants: string[] }> = [
	{ rate: 1000, latencyMs: P3_LATENCY_MS, variants: ['ours', 'builtin', 'floor'] },
	{ rate: 80, latencyMs: 800, variants: ['ours', 'floor'] },
];

async function p3(config: (typeof P3_CONFIGS)[number]): Promise<P3Row[]> {
	const meta = await RemoteMeta.start();
	try {
		const rows: P3Row[] = [];
		for (const which of config.variants) {
			const samples: P3Row[] = [];
			for (let run = 0; run < RUNS; run++) {
				await meta.reset(config.rate, config.latencyMs);
				const out = execFileSync(
					process.execPath,
					['--expose-gc', '-r', join(__dirname, 'register.js'), join(__dirname, 'p3.ts'), meta.baseUrl, which, String(config.rate), String(config.latencyMs)],
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

/** One line per target of issue 18: met or not, with the figure. */
type Check = { target: string; met: boolean; figure: string };

function p1Checks(scenario: string, rows: P1Row[]): Check[] {
	const ours = rows[0];
	const limit = ours.limit * ours.senders;
	const checks: Check[] = [];
	const share = (value: number) => `${fixed((100 * value) / limit)} % of ${limit}`;
	if (scenario === 'P1') {
		checks.push({ target: `P1 ${ours.latencyMs} ms: ours >= 95 % of 80 msg/s (delivered / run time)`, met: ours.msgPerSecond >= 0.95 * limit, figure: `${fixed(ours.msgPerSecond)} msg/s = ${share(ours.msgPerSecond)}; at Meta ${fixed(ours.rateAtMeta)}` });
	} else if (scenario === 'P1c') {
		checks.push({ target: 'P1c: ours >= 90 % of 1,000 msg/s (delivered / run time)', met: ours.msgPerSecond >= 0.9 * limit, figure: `${fixed(ours.msgPerSecond)} msg/s = ${share(ours.msgPerSecond)}; at Meta ${fixed(ours.rateAtMeta)}; CPU ${fixed(ours.cpuMicrosPerMessage, 0)} µs/msg -> one-core ceiling ${fixed(1e6 / ours.cpuMicrosPerMessage, 0)} msg/s` });
	} else {
		checks.push({ target: 'P1d: aggregate >= 228 msg/s over 3 numbers (delivered / run time)', met: ours.msgPerSecond >= 228, figure: `${fixed(ours.msgPerSecond)} msg/s; at Meta ${fixed(ours.rateAtMeta)}` });
	}
	checks.push({ target: `${scenario} ${ours.latencyMs} ms: every number <= ${ours.limit} in every 1 s window, nothing lost, no duplicate`, met: ours.peakPerSecond <= ours.limit && ours.lost === 0 && ours.duplicates === 0, figure: `peak ${ours.peakPerSecond}, lost ${ours.lost}, duplicates ${ours.duplicates}` });
	return checks;
}

function p1Table(rows: P1Row[]): string {
	const ours = rows[0];
	return formatTable(
		['variant', 'delivered', 'lost to throttling', 'delivered msg/s', 'msg/s at Meta', 'peak msg in any 1 s (per number)', 'run time s', 'CPU µs/msg', 'msg/s vs ours'],
		rows.map((r) => [
			r.variant,
			r.delivered,
			r.lost,
			fixed(r.msgPerSecond),
			fixed(r.rateAtMeta),
			r.peakPerSecond,
			fixed(r.seconds),
			fixed(r.cpuMicrosPerMessage, 0),
			`${fixed(r.msgPerSecond / ours.msgPerSecond, 2)}x`,
		]),
	);
}

// n8n's RoutingNode fires batched requests without awaiting them during its batch interval: one refused
// while it sleeps (a 130429 at 300 ms latency) is an unhandled rejection in n8n's code. Count it (the item is
// counted as lost by the counterpart's figures) instead of letting it end the benchmark.
let unhandled = 0;
process.on('unhandledRejection', (reason: unknown) => {
	unhandled += 1;
	if (unhandled <= 3) log(`  unhandled rejection in the run (n8n's batching): ${String((reason as Error)?.message ?? reason).slice(0, 120)}`);
});

async function main(): Promise<void> {
	const at = new Date();
	const cpu = cpus();
	const machine = `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${fixed(totalmem() / 2 ** 30)} GB RAM, ${process.platform}, Node ${process.version}, host ${hostname()}`;
	const results: Record<string, unknown> = { runs: RUNS, at: at.toISOString(), machine, node: process.version, cpus: cpu.length, loadAverageAtStart: loadavg() };
	const out: string[] = [
		`Benchmarks ${at.toISOString()} (${RUNS === 1 ? 'one run' : `median of ${RUNS} runs`}; ${machine}; load average at start ${loadavg().map((l) => fixed(l, 2)).join(' ')})`,
	];
	const checks: Check[] = [];

	if (only.has('P1') || only.has('P1C') || only.has('P1D')) {
		log('P1: bulk sends against the counterpart enforcing the per-number limit (130429 above it)');
		const { scenarios, builtin } = await runP1(RUNS, only, log);
		results.p1 = { scenarios: scenarios.map(({ scenario, rows }) => ({ ...scenario, rows })), builtin };
		for (const { scenario, rows } of scenarios) {
			out.push('', scenario.title + (builtin ? '' : ' (n8n-nodes-base not found: ours only)'), p1Table(rows));
			if (rows.some((r) => r.duplicates > 0)) out.push(`duplicates accepted: ${rows.map((r) => `${r.variant}=${r.duplicates}`).join(', ')}`);
			checks.push(...p1Checks(scenario.id, rows));
		}
		if (builtin) out.push('', `n8n-nodes-base from ${builtin}`);
	}

	if (only.has('P2')) {
		log('P2: webhook ingestion CPU time');
		// 15 samples at least: single samples of the same code differ by 10 % on this kind of VM.
		const { rows, builtin } = await runP2(Math.max(RUNS, 15));
		results.p2 = { rows, builtin };
		const ours = rows.find((r) => r.variant.startsWith('ours: trigger'));
		const theirs = rows.find((r) => r.variant.startsWith('n8n WhatsApp Trigger'));
		const plumbing = rows.find((r) => r.variant.startsWith('n8n webhook plumbing'));
		if (ours && theirs) {
			const own = plumbing
				? `; own work over n8n's plumbing: ours ${fixed(ours.microsPerEvent - plumbing.microsPerEvent, 2)} µs, n8n's ${fixed(theirs.microsPerEvent - plumbing.microsPerEvent, 2)} µs per event`
				: '';
			checks.push({ target: "P2: our trigger webhook() costs no more CPU per event than n8n's WhatsApp Trigger", met: ours.vsRaw <= theirs.vsRaw, figure: `${fixed(ours.vsRaw, 2)}x raw vs ${fixed(theirs.vsRaw, 2)}x${own}` });
		}
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
		results.p3 = [];
		for (const config of P3_CONFIGS) {
			const title = `${config.rate.toLocaleString('en-US')} msg/s and ${config.latencyMs} ms latency`;
			log(`P3: memory of a 10,000-item run at ${title}`);
			const rows = await p3(config);
			(results.p3 as unknown[]).push({ ...config, rows });
			const ours = rows[0];
			const floor = rows.find((r) => r.variant.includes('floor'));
			const floorText = floor ? `; n8n's HTTP helper alone at the same rate and window: ${fixed(floor.rssGrowthMB)} MB` : '';
			checks.push({ target: `P3 ${title}: ours <= 150 MB peak RSS growth for 10,000 items`, met: ours.rssGrowthMB <= 150, figure: `${fixed(ours.rssGrowthMB)} MB (${fixed(ours.seconds)} s)${floorText}` });
			out.push(
				'',
				`P3 memory, 10,000-item run at ${title} (peak growth over a warmed-up baseline; counterpart in another process)`,
				formatTable(
					['variant', 'peak RSS growth MB', 'peak heap growth MB', 'heap retained after GC MB', 'output items', 'run time s', 'RSS vs ours'],
					rows.map((r) => [r.variant, fixed(r.rssGrowthMB), fixed(r.heapGrowthMB), fixed(r.retainedHeapMB), r.outputItems, fixed(r.seconds), `${fixed(r.rssGrowthMB / ours.rssGrowthMB, 2)}x`]),
				),
			);
		}
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

	if (unhandled > 0) out.push('', `${unhandled} unhandled rejections from n8n's batched runs (its RoutingNode does not await requests between batches); the items are counted as lost.`);
	if (checks.length > 0) {
		results.targets = checks;
		out.push('', 'Targets (issue 18; a shared, loaded machine makes single runs noisy):');
		for (const check of checks) out.push(`- [${check.met ? 'met' : 'NOT met'}] ${check.target}: ${check.figure}`);
	}
	const text = out.join('\n');
	process.stdout.write(`${text}\n`);
	const dir = join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	const stamp = at.toISOString().replace(/[:.]/g, '-');
	for (const name of ['latest', stamp]) {
		writeFileSync(join(dir, `${name}.json`), JSON.stringify(results, null, 2));
		writeFileSync(join(dir, `${name}.md`), `${text}\n`);
	}
	process.exit(0);
}

main().catch((error: unknown) => {
	log(String((error as Error)?.stack ?? error));
	process.exit(1);
});
