/**
 * P5, what exactly-once does NOT cover (README "Scaling out"): the same signed delivery arriving at the same
 * instant at TWO different n8n webhook processes of one queue-mode installation. Each process claims the event in
 * its own memory (layer 1) and enqueues an execution; two workers then check n8n's deduplication store (layer 2),
 * which reads, then writes: when the two checks overlap, both executions run the workflow.
 *
 * N rounds; in each, a new cart order whose first attempt never reached n8n is resent once to webhook process 1
 * and once to webhook process 2, at once. Counted: customers who received two bills. Also, for contrast, the same
 * with both copies sent to ONE webhook process (what routing a trigger's URL to one process gives).
 * Queue mode only, slow (~4 min): `BENCH_ONLY=P5 npm run bench`. BENCH_P5_ROUNDS (default 20).
 */
import type { Delivery, Sandbox } from '../sandbox/sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startQueueStack, stopQueueStack } = require('../scripts/queue-stack.js');

export interface P5Row {
	variant: string;
	rounds: number;
	duplicatedBills: number;
	lostBills: number;
}

const UNREACHABLE = 'http://127.0.0.1:9/webhook-never-reached';

async function bills(sandbox: Sandbox, phone: string, deadline: number): Promise<number> {
	let count = 0;
	while (Date.now() < deadline) {
		count = sandbox.meta.sent.filter((s) => (s.message as { to?: string; interactive?: { type?: string } }).to === phone && (s.message as { interactive?: { type?: string } }).interactive?.type === 'order_details').length;
		if (count > 0) break;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	// Let a second execution, if any, finish too.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return sandbox.meta.sent.filter((s) => (s.message as { to?: string }).to === phone && (s.message as { interactive?: { type?: string } }).interactive?.type === 'order_details').length;
}

export async function runP5(log: (line: string) => void): Promise<P5Row[]> {
	const rounds = Math.max(1, Number(process.env.BENCH_P5_ROUNDS ?? 20));
	log('  P5: starting Postgres, Redis, n8n main + 2 webhook processes + 2 workers ...');
	const stack = await startQueueStack({ webhookProcesses: 2, build: true, log: () => undefined });
	const rows: P5Row[] = [];
	try {
		const sandbox = stack.sandbox as Sandbox;
		const hookPath = new URL(sandbox.metaCallbackUrl()).pathname;
		const urls: string[] = stack.webhookUrls.map((base: string) => `${base}${hookPath}`);
		for (const [variant, targets] of [
			['two webhook processes at once', [urls[0], urls[1]]],
			['one webhook process, two copies at once', [urls[0], urls[0]]],
		] as const) {
			let duplicated = 0;
			let lost = 0;
			for (let r = 0; r < rounds; r++) {
				const phone = `9196${variant.length}${String(r).padStart(6, '0')}`;
				const { delivery } = await sandbox.customerOrder({ from: phone, name: 'Race', url: UNREACHABLE });
				await Promise.all(targets.map(async (url) => await sandbox.redeliver(delivery as Delivery, url)));
				const n = await bills(sandbox, phone, Date.now() + 60000);
				if (n === 0) lost += 1;
				if (n > 1) duplicated += 1;
			}
			rows.push({ variant, rounds, duplicatedBills: duplicated, lostBills: lost });
			log(`  P5 ${variant}: ${duplicated} of ${rounds} orders billed twice, ${lost} lost`);
		}
	} finally {
		await stopQueueStack(stack);
	}
	return rows;
}
