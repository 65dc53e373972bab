import type { IDataObject } from 'n8n-workflow';

/**
 * Remembers delivered event keys in the workflow's static data so Meta's retries (up to 7 days) start
 * nothing twice, with bounded memory: keys older than `maxAgeMs` are forgotten and at most `cap` are kept.
 * Returns true when the key was already seen.
 */
export function seenBefore(
	staticData: IDataObject,
	key: string,
	now: number,
	cap = 5000,
	maxAgeMs = 7 * 24 * 3600 * 1000,
): boolean {
	const seen = (staticData.seenKeys as Record<string, number> | undefined) ?? {};
	if (seen[key] !== undefined && now - seen[key] < maxAgeMs) return true;
	seen[key] = now;
	const keys = Object.keys(seen).filter((k) => now - seen[k] < maxAgeMs);
	// Insertion order is chronological, so dropping from the front forgets the oldest first.
	const kept = keys.slice(Math.max(0, keys.length - cap));
	staticData.seenKeys = Object.fromEntries(kept.map((k) => [k, seen[k]]));
	return false;
}
