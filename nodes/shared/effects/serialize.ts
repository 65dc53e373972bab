/**
 * One effect at a time per key within this n8n process: refunds of one payment run one after the other, so the
 * second sees the first (the look-up of earlier refunds and the "what is left" check happen inside the lock).
 * n8n loads a node's modules once per process, so the map is shared by every execution of every workflow.
 * Across processes (queue mode workers) this gives no guarantee: the gateway's idempotency key or look-up does.
 */
const tails = new Map<string, Promise<void>>();

export async function serialize<T>(key: string, effect: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release: () => void = () => undefined;
	const mine = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => mine);
	tails.set(key, tail);
	await previous;
	try {
		return await effect();
	} finally {
		release();
		// The last one out removes the key: the map holds only payments being refunded right now.
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/** How many keys are held or waited for (tests check that nothing leaks). */
export function heldKeys(): number {
	return tails.size;
}
