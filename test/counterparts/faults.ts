/**
 * Fault and limit injection for the counterparts (fault tests, sandbox, benchmarks): Meta's
 * per-number throughput limit (130429 above it, counted on arrival), injected latency, and per-recipient
 * attempt counting so a test can script "first attempt fails, second succeeds" deterministically.
 */
import { metaError } from './meta';
import type { AfterFault, Fault, RecordedRequest, Reply } from './server';

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

/**
 * "5xx after commit": the service created the object (the route ran and kept its result, idempotency record
 * included), then the client got a 500 instead of the answer, as when a load balancer or proxy fails on the way
 * back. The first `times` requests matching `method` + `path` are hit; inject with `counterpart.injectAfter`.
 */
export function failAfterCommit(
	method: string,
	path: RegExp,
	options: { times?: number; status?: number; body?: unknown } = {},
): AfterFault & { hits: number } {
	let left = options.times ?? 1;
	const fault = ((request: RecordedRequest, reply: Reply) => {
		if (left <= 0 || request.method !== method.toUpperCase() || !path.test(request.path)) return undefined;
		// Only a committed request counts: a refused one changed nothing on the service.
		if (!committed(reply)) return undefined;
		left -= 1;
		fault.hits += 1;
		return { status: options.status ?? 500, body: options.body ?? { error: { message: 'Internal server error (after commit)' } } };
	}) as AfterFault & { hits: number };
	fault.hits = 0;
	return fault;
}

/** The service accepted the request: 2xx and no business error in the body (Lyra answers errors with HTTP 200). */
export function committed(reply: Reply): boolean {
	const body = (reply.body ?? {}) as { status?: unknown; error_code?: unknown };
	if (reply.status >= 300) return false;
	if (body.status === 'ERROR' || body.status === -1) return false;
	return !(body.status === 0 && body.error_code !== undefined);
}
