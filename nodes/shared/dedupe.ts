import type { IDataObject } from 'n8n-workflow';

/**
 * Duplicate deliveries: Meta retries for up to 7 days and gateways redeliver, so both triggers remember
 * the keys of events they already emitted in the workflow's static data, with bounded memory (keys older
 * than `maxAgeMs` are forgotten, at most `cap` are kept).
 *
 * The store is an object whose insertion order is chronological (keys carry a non-numeric prefix, so
 * JavaScript keeps them in insertion order): expiry drops keys from the front until the first fresh one,
 * and the count is kept beside it. A delivery therefore costs O(its events + expired keys), not
 * O(events x stored keys) — a 100-event Meta batch must not rebuild a 5,000-key store 100 times.
 */
export interface DedupeLimits {
	cap: number;
	maxAgeMs: number;
}

export const DEFAULT_DEDUPE_LIMITS: DedupeLimits = { cap: 5000, maxAgeMs: 7 * 24 * 3600 * 1000 };

/** The items whose key was not seen before (nor earlier in the same batch); their keys are remembered. */
export function keepUnseen<T>(
	staticData: IDataObject,
	items: T[],
	keyOf: (item: T) => string,
	now: number,
	limits: DedupeLimits = DEFAULT_DEDUPE_LIMITS,
): T[] {
	const seen = (staticData.seenKeys as Record<string, number> | undefined) ?? {};
	let count = typeof staticData.seenCount === 'number' ? staticData.seenCount : Object.keys(seen).length;
	for (const key in seen) {
		if (now - seen[key] < limits.maxAgeMs) break;
		delete seen[key];
		count--;
	}
	const unseen = items.filter((item) => {
		const key = keyOf(item);
		if (seen[key] !== undefined) return false;
		seen[key] = now;
		count++;
		return true;
	});
	if (count > limits.cap) {
		for (const key of Object.keys(seen).slice(0, count - limits.cap)) delete seen[key];
		count = limits.cap;
	}
	if (unseen.length > 0 || count !== staticData.seenCount) {
		// Assigning marks n8n's observable static data as changed, so it is saved after the execution.
		staticData.seenKeys = seen;
		staticData.seenCount = count;
	}
	return unseen;
}
