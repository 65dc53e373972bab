/**
 * Fault and limit injection for the Meta counterpart (fault tests, sandbox, benchmarks): Meta's
 * per-number throughput limit (130429 above it, counted on arrival), injected latency, and per-recipient
 * attempt counting so a test can script "first attempt fails, second succeeds" deterministically.
 */
import { metaError } from './meta';
import type { Fault, RecordedRequest } from './server';

export const isMessagePost = (request: RecordedRequest) => request.method === 'POST' && /\/messages$/.test(request.path);

/** Meta's throughput limit: more than `perSecond` message posts per number in any second -> 130429. */
export function enforceRate(perSecond: number, windowMs = 1000): Fault & { refused: number } {
	const arrivals = new Map<string, number[]>();
	const fault = ((request: RecordedRequest) => {
		if (!isMessagePost(request)) return undefined;
		const sender = request.path.split('/')[2] ?? '';
		const list = arrivals.get(sender) ?? [];
		arrivals.set(sender, list);
		while (list.length > 0 && request.at - list[0] >= windowMs) list.shift();
		list.push(request.at);
		if (list.length > perSecond) {
			fault.refused += 1;
			return metaError(400, 130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.');
		}
		return undefined;
	}) as Fault & { refused: number };
	fault.refused = 0;
	return fault;
}

/** Delays every message post by `ms`, then lets it through (or on to the next fault). */
export function latency(ms: number): Fault {
	return async (request) => {
		if (!isMessagePost(request)) return undefined;
		await new Promise((resolve) => setTimeout(resolve, ms));
		return undefined;
	};
}

/** Counts message posts per recipient (`to`), so faults can depend on the attempt number. */
export class AttemptCounter {
	private readonly counts = new Map<string, number>();

	/** Call once per request, first among the faults: returns the request's attempt number for its recipient. */
	next(request: RecordedRequest): number {
		const to = String((request.body as { to?: unknown } | undefined)?.to ?? '');
		const count = (this.counts.get(to) ?? 0) + 1;
		this.counts.set(to, count);
		return count;
	}

	get(to: string): number {
		return this.counts.get(to) ?? 0;
	}
}
