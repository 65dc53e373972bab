/**
 * P4 throughput in queue mode, side by side with one regular n8n on the same machine: N signed WhatsApp cart orders
 * (example 1, order to cash) delivered at once by the sandbox -> the time until every delivery was answered and
 * until every execution finished; none lost (each customer got its order_details bill), none duplicated (no customer
 * got two; executions = N). The same workflow, sandbox and measurement for both stacks, run one after the other:
 * - regular: scripts/stack.js (one `n8n start`, SQLite);
 * - queue: scripts/queue-stack.js (main + one webhook process + two workers at concurrency 10, Postgres, Redis).
 * Executions are counted through main's REST API in both. Slow (two n8n stacks start: ~5 min): `npm run bench`
 * runs it only with BENCH_QUEUE=1 (or BENCH_ONLY=P4). BENCH_QUEUE_ORDERS (default 200) and BENCH_QUEUE_ROUNDS
 * (default 2; the median is reported) size it.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../sandbox/sandbox';
import { median } from './lib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../scripts/stack.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startQueueStack, stopQueueStack } = require('../scripts/queue-stack.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../scripts/queue-services.js');

const WORKFLOW = 'sbxOrderToCash01';
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

export interface P4Row {
	variant: string;
	orders: number;
	answered2xx: number;
	answeredSeconds: number;
	finishedSeconds: number;
	executions: number;
	succeeded: number;
	lost: number;
	duplicated: number;
	ordersPerSecond: number;
	/** Queue mode: executions per worker, from the workers' logs. */
	split?: string;
}

interface Rest {
	rest: (method: string, path: string) => Promise<{ count: number }>;
}

async function count(n8n: Rest, status?: string[]): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify(status ? { workflowId: WORKFLOW, status } : { workflowId: WORKFLOW }));
	return (await n8n.rest('GET', `/executions?filter=${filter}&limit=1`)).count;
}

/** One round: N orders from N distinct customers at once; bounded wait for all executions to finish. */
async function round(variant: string, n8n: Rest, sandbox: Sandbox, orders: number, roundNo: number): Promise<P4Row> {
	const before = await count(n8n);
	const finishedBefore = await count(n8n, FINISHED);
	const succeededBefore = await count(n8n, ['success']);
	const sentBefore = sandbox.meta.sent.length;
	const phones = Array.from({ length: orders }, (_, i) => `9197${String(roundNo).padStart(2, '0')}${String(i).padStart(6, '0')}`);
	const started = performance.now();
	const deliveries = await Promise.all(phones.map((from) => sandbox.customerOrder({ from, name: 'Bench' }).then((r) => r.delivery)));
	const answeredSeconds = (performance.now() - started) / 1000;
	const deadline = Date.now() + 15 * 60 * 1000;
	let finished = 0;
	while (Date.now() < deadline) {
		finished = (await count(n8n, FINISHED)) - finishedBefore;
		if (finished >= orders) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const finishedSeconds = (performance.now() - started) / 1000;
	// Anything still arriving late would show up as a duplicate here.
	const executions = (await count(n8n)) - before;
	const bills = new Map<string, number>();
	for (const sent of sandbox.meta.sent.slice(sentBefore)) {
		const message = sent.message as { to?: string; interactive?: { type?: string } };
		if (message.interactive?.type === 'order_details' && message.to) bills.set(message.to, (bills.get(message.to) ?? 0) + 1);
	}
	return {
		variant,
		orders,
		answered2xx: deliveries.filter((d) => d.status >= 200 && d.status < 300).length,
		answeredSeconds,
		finishedSeconds,
		executions,
		succeeded: (await count(n8n, ['success'])) - succeededBefore,
		lost: phones.filter((p) => !bills.has(p)).length,
		duplicated: [...bills.values()].filter((n) => n > 1).length + Math.max(0, executions - orders),
		ordersPerSecond: orders / finishedSeconds,
	};
}

function summarize(rows: P4Row[]): P4Row {
	const worst = (key: 'lost' | 'duplicated') => Math.max(...rows.map((r) => r[key]));
	return {
		...rows[0],
		answered2xx: Math.min(...rows.map((r) => r.answered2xx)),
		answeredSeconds: median(rows.map((r) => r.answeredSeconds)),
		finishedSeconds: median(rows.map((r) => r.finishedSeconds)),
		executions: Math.max(...rows.map((r) => r.executions)),
		succeeded: Math.min(...rows.map((r) => r.succeeded)),
		lost: worst('lost'),
		duplicated: worst('duplicated'),
		ordersPerSecond: median(rows.map((r) => r.ordersPerSecond)),
		split: rows.map((r) => r.split).filter(Boolean).join('; ') || undefined,
	};
}

export async function runP4(log: (line: string) => void): Promise<P4Row[]> {
	const orders = Math.max(1, Number(process.env.BENCH_QUEUE_ORDERS ?? 200));
	const rounds = Math.max(1, Number(process.env.BENCH_QUEUE_ROUNDS ?? 2));
	const quiet = () => undefined;
	const rows: P4Row[] = [];

	log(`  P4 regular: starting one n8n (SQLite) ...`);
	const folder = mkdtempSync(join(tmpdir(), 'wa-commerce-bench-p4-'));
	const regular = await startStack({ userFolder: folder, port: await freePort({ pair: true }), build: true, log: quiet });
	try {
		const samples: P4Row[] = [];
		for (let r = 0; r < rounds; r++) {
			samples.push(await round('regular (1 process)', regular.n8n, regular.sandbox, orders, r));
			log(`  P4 regular round ${r + 1}: ${JSON.stringify(samples[r])}`);
		}
		rows.push(summarize(samples));
	} finally {
		await stopStack(regular);
		rmSync(folder, { recursive: true, force: true });
	}

	log(`  P4 queue: starting Postgres, Redis, n8n main + webhook process + 2 workers ...`);
	const queue = await startQueueStack({ build: false, log: quiet });
	try {
		const samples: P4Row[] = [];
		for (let r = 0; r < rounds; r++) {
			const before = queue.executionsByWorker() as Record<string, string[]>;
			const row = await round('queue (main + webhook + 2 workers x 10)', queue.main, queue.sandbox, orders, 50 + r);
			const after = queue.executionsByWorker() as Record<string, string[]>;
			row.split = Object.keys(after).map((w) => after[w].length - before[w].length).join('/');
			samples.push(row);
			log(`  P4 queue round ${r + 1}: ${JSON.stringify(row)}`);
		}
		rows.push(summarize(samples));
	} finally {
		await stopQueueStack(queue);
	}
	return rows;
}
