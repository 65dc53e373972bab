/**
 * Bounded concurrency that keeps input order: `limit` workers take indexes in order; results land at
 * their index. Used to keep at most "Max Requests in Flight" sends running while the rate limiter paces them.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PoolOptions {
	limit: number;
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
	const limit = Math.max(1, Math.min(Math.floor(options.limit) || 1, Math.max(1, count)));
	const results: Array<Settled<T> | undefined> = new Array(count);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < count) {
			const index = next++;
			// A task that throws synchronously is a failure of that index, not of the pool.
			const settled = await Promise.resolve()
				.then(() => task(index))
				.then(
					(value): Settled<T> => ({ ok: true, value }),
					(error: unknown): Settled<T> => ({ ok: false, error }),
				);
			results[index] = settled;
			if (!settled.ok && options.stopOnFailure?.(settled.error, index)) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));
	return results;
}
