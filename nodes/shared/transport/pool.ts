/**
 * Bounded concurrency that keeps input order: indexes start in order while fewer than `limit` run;
 * results land at their index. The limit may be a function, read again whenever a task ends, so bulk
 * sending can start more items when the senders' in-flight windows grow (see window.ts).
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Thrown by a task that gave up before doing anything (it was waiting for a slot when the run stopped):
 * its index is left undefined, as if it never started.
 */
export class Skipped extends Error {
	constructor() {
		super('Not started: an earlier item failed');
		this.name = 'Skipped';
	}
}

export interface PoolOptions {
	limit: number | (() => number);
	/**
	 * Called after each failure: true stops taking NEW indexes (running ones finish). Indexes never started
	 * are left undefined in the result.
	 */
	stopOnFailure?: (error: unknown, index: number) => boolean;
}

export async function mapBounded<T>(
	count: number,
	task: (index: number) => Promise<T>,
	options: PoolOptions,
): Promise<Array<Settled<T> | undefined>> {
	const readLimit = typeof options.limit === 'function' ? options.limit : () => options.limit as number;
	const limit = () => Math.max(1, Math.floor(readLimit()) || 1);
	const results: Array<Settled<T> | undefined> = new Array(count);
	if (count === 0) return results;
	let next = 0;
	let running = 0;
	let stopped = false;
	return await new Promise((resolve) => {
		const settle = (index: number, settled: Settled<T>) => {
			running -= 1;
			if (settled.ok || !(settled.error instanceof Skipped)) results[index] = settled;
			if (!settled.ok && !(settled.error instanceof Skipped) && options.stopOnFailure?.(settled.error, index)) stopped = true;
			launch();
		};
		const launch = () => {
			const max = limit();
			while (!stopped && next < count && running < max) {
				const index = next++;
				running += 1;
				// A task that throws synchronously is a failure of that index, not of the pool.
				Promise.resolve()
					.then(async () => await task(index))
					.then(
						(value) => settle(index, { ok: true, value }),
						(error: unknown) => settle(index, { ok: false, error }),
					);
			}
			if (running === 0 && (stopped || next >= count)) resolve(results);
		};
		launch();
	});
}
