/**
 * Runs async work one at a time per key inside this process (e.g. one refund of a payment, one read-then-write
 * of a trigger's dedupe record). Work on different keys runs concurrently. A failed task does not block the next.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	const run = previous.then(task);
	const tail = run.then(
		() => undefined,
		() => undefined,
	);
	tails.set(key, tail);
	try {
		return await run;
	} finally {
		// The last task of a key removes its entry, so the map holds only keys with work in flight.
		if (tails.get(key) === tail) tails.delete(key);
	}
}
