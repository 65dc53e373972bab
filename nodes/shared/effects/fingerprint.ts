/**
 * 64-bit fingerprints of event identities, for the in-process duplicate memory (deliveries.ts).
 *
 * Why not keep the ids themselves in a Set: every new event then retains its id string (V8 copies it out of
 * the young generation twice) and a Set lookup compares against stored strings scattered over the heap. Two
 * 32-bit numbers in a typed array cost less than half of that per new event (microbenchmark on P2's wamids:
 * 0.34 against 0.86 µs; bench/p2Stages.ts measures the check inside the trigger).
 *
 * The two halves come from structurally different functions (a multiply-rotate block hash and FNV-1a over
 * the same 32-bit blocks), each finished with a full avalanche, so a pair of ids that agrees on one half is
 * no more likely to agree on the other. A new event is taken for a seen one only if all 64 bits match one of
 * the at most 20,000 remembered fingerprints: about one chance in 10^15 per event (20,000 / 2^64).
 * Ids come from signed content only (Meta's or a gateway's), so nobody can search for a collision.
 */

/** A fingerprint: two signed 32-bit halves (0, 0 never occurs: the tables use it for "empty"). */
export interface Fingerprint {
	high: number;
	low: number;
}

const rotl = (value: number, bits: number): number => (value << bits) | (value >>> (32 - bits));

/** Murmur3's finalizer: every input bit flips each output bit with probability about 1/2. */
function avalanche(value: number): number {
	let h = value;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h | 0;
}

/**
 * Writes the fingerprint of `text`, continued from `seed` (the fingerprint of the table's space, so equal ids in
 * two spaces differ), into `out`. Writing into a caller's object keeps the hot loop free of allocations.
 */
export function fingerprintInto(out: Fingerprint, text: string, seed: Fingerprint): void {
	let high = seed.high ^ text.length;
	let low = seed.low ^ Math.imul(text.length, 0x9e3779b1);
	const length = text.length;
	let index = 0;
	// Two UTF-16 code units per 32-bit block: half the multiplications of a per-character hash.
	for (; index + 1 < length; index += 2) {
		const block = text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16);
		high = Math.imul(rotl(high ^ Math.imul(block, 0xcc9e2d51), 15), 0x1b873593) + 0xe6546b64;
		low = Math.imul(low ^ block, 0x01000193);
	}
	if (index < length) {
		const block = text.charCodeAt(index);
		high = Math.imul(rotl(high ^ Math.imul(block, 0xcc9e2d51), 15), 0x1b873593);
		low = Math.imul(low ^ block, 0x01000193);
	}
	out.high = avalanche(high);
	out.low = avalanche(low ^ 0x5bd1e995);
	if (out.high === 0 && out.low === 0) out.low = 1;
}

const ZERO: Fingerprint = { high: 0x2545f491, low: 0x68e31da4 };

/** The seed for a space's ids: its own fingerprint. */
export function spaceSeed(space: string): Fingerprint {
	const out = { high: 0, low: 0 };
	fingerprintInto(out, space, ZERO);
	return out;
}

/** Ints per slot: a fingerprint (high, low) of each of the two generations, side by side. */
const SLOT = 4;

/**
 * Two generations of fingerprints (deliveries.ts keeps a trigger's last events in two) in one open-addressing
 * table: slot i holds generation A's and generation B's fingerprint side by side, 16 bytes, so looking an event
 * up in both generations reads one cache line, not two tables' worth. (At a trigger's cap the table is 512 KB;
 * with one table per generation, the second lookup's cache miss was the largest cost of a new event.)
 * Each generation uses at most half the slots (doubling as needed): a lookup reads one or two slots.
 * Turning over (`turnOver`) makes the current generation the previous one and empties the other column.
 */
export class FingerprintGenerations {
	private slots: Int32Array;
	private mask: number;
	/** Column (0 or 1) of the current generation. */
	private column = 0;
	private readonly sizes = [0, 0];

	/** `expected`: how many fingerprints a generation will likely hold (growing rehashes them all). */
	constructor(expected = 512) {
		let slots = 1024;
		while (slots < 2 * expected && slots < 1 << 23) slots *= 2;
		this.slots = new Int32Array(SLOT * slots);
		this.mask = slots - 1;
	}

	get currentSize(): number {
		return this.sizes[this.column];
	}

	get previousSize(): number {
		return this.sizes[1 - this.column];
	}

	/** Whether either generation holds the fingerprint. */
	has(print: Fingerprint): boolean {
		return this.holds(0, print) || this.holds(2, print);
	}

	/** Adds to the current generation a fingerprint that `has` just said is absent. */
	add(print: Fingerprint): void {
		if (2 * (this.sizes[this.column] + 1) > this.mask + 1) this.grow();
		this.place(2 * this.column, print.high, print.low);
		this.sizes[this.column] += 1;
	}

	/** The current generation becomes the previous one; the old previous one is forgotten. */
	turnOver(): void {
		this.column = 1 - this.column;
		this.clear(this.column);
	}

	/** Forgets one generation (past the age limit). */
	forget(which: 'current' | 'previous'): void {
		this.clear(which === 'current' ? this.column : 1 - this.column);
	}

	private clear(column: number): void {
		const slots = this.slots;
		for (let index = 2 * column; index < slots.length; index += SLOT) {
			slots[index] = 0;
			slots[index + 1] = 0;
		}
		this.sizes[column] = 0;
	}

	/** `offset`: 0 or 2, the column's first int in a slot. */
	private holds(offset: number, print: Fingerprint): boolean {
		const slots = this.slots;
		let slot = print.high & this.mask;
		for (;;) {
			const high = slots[SLOT * slot + offset];
			const low = slots[SLOT * slot + offset + 1];
			if (high === print.high && low === print.low) return true;
			if (high === 0 && low === 0) return false;
			slot = (slot + 1) & this.mask;
		}
	}

	private place(offset: number, high: number, low: number): void {
		const slots = this.slots;
		let slot = high & this.mask;
		while (slots[SLOT * slot + offset] !== 0 || slots[SLOT * slot + offset + 1] !== 0) slot = (slot + 1) & this.mask;
		slots[SLOT * slot + offset] = high;
		slots[SLOT * slot + offset + 1] = low;
	}

	private grow(): void {
		const old = this.slots;
		this.slots = new Int32Array(2 * old.length);
		this.mask = 2 * (this.mask + 1) - 1;
		for (let index = 0; index < old.length; index += SLOT) {
			if (old[index] !== 0 || old[index + 1] !== 0) this.place(0, old[index], old[index + 1]);
			if (old[index + 2] !== 0 || old[index + 3] !== 0) this.place(2, old[index + 2], old[index + 3]);
		}
	}
}
