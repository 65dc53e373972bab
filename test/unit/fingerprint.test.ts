/**
 * The duplicate memory keeps 64-bit fingerprints of event ids (nodes/shared/effects/fingerprint.ts): a false
 * match would drop a new event, so these check the spread of both halves on ids in Meta's real format
 * (wamid. + base64, as in Meta's webhook examples, e.g. wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA)
 * and on near-identical ids, and the two-generation open-addressing table across its growth and turn-overs. Counted, never timed.
 */
import { type Fingerprint, FingerprintGenerations, fingerprintInto, spaceSeed } from '../../nodes/shared/effects/fingerprint';

const MSG = spaceSeed('msg');
const print = (id: string, space = 'msg'): Fingerprint => {
	const out = { high: 0, low: 0 };
	fingerprintInto(out, id, space === 'msg' ? MSG : spaceSeed(space));
	return out;
};

/** A wamid as Meta builds them: base64 of a counter-like inner id (different for every message). */
const wamid = (n: number): string =>
	`wamid.${Buffer.from(`\u0015\u0002\u0000\u0011\u0018\u0012${(n * 2654435761 % 2 ** 32).toString(16).toUpperCase().padStart(20, '0')}${n}`).toString('base64')}`;

/** How many values repeat in a list of numbers. */
function repeats(values: number[]): number {
	const sorted = Float64Array.from(values).sort();
	let count = 0;
	for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) count++;
	return count;
}

describe('fingerprints of event ids', () => {
	it('gives 100,000 real-format wamids 100,000 different fingerprints, each half spread like a random 32-bit number', () => {
		const n = 100000;
		const highs: number[] = [];
		const lows: number[] = [];
		const whole: number[] = [];
		for (let i = 0; i < n; i++) {
			const { high, low } = print(wamid(i));
			highs.push(high);
			lows.push(low);
			// 53 bits of the pair, enough to see a collision of both halves among 100,000 (expected: none).
			whole.push((high >>> 0) * 2 ** 21 + ((low >>> 0) & 0x1fffff));
		}
		expect(repeats(whole)).toBe(0);
		// A random 32-bit value repeats about n^2 / 2^33 = 1.2 times among 100,000; a weak half would repeat far more.
		expect(repeats(highs)).toBeLessThan(12);
		expect(repeats(lows)).toBeLessThan(12);
	});

	it('tells apart ids that differ in one character at any position, by length only, or by swapped halves', () => {
		const base = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA';
		const ids = new Set<string>([base, `${base}=`, base.slice(0, -1), `${base.slice(31)}${base.slice(0, 31)}`, '', 'a', 'a\u0000', '\u{1F600}']);
		for (let i = 0; i < base.length; i++) {
			for (const c of ['A', 'B', '0', '+', '/']) ids.add(`${base.slice(0, i)}${c}${base.slice(i + 1)}`);
		}
		const prints = new Set([...ids].map((id) => `${print(id).high}:${print(id).low}`));
		expect(prints.size).toBe(ids.size);
	});

	it('gives the same id in two spaces two fingerprints, and is the same on every call', () => {
		const id = 'wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
		expect(print(id, 'msg')).not.toEqual(print(id, 'status:read'));
		expect(print(id, 'status:read')).toEqual(print(id, 'status:read'));
		expect(print(id)).not.toEqual({ high: 0, low: 0 });
	});
});

describe('FingerprintGenerations', () => {
	it('finds every fingerprint it was given across its growth, and none it was not', () => {
		const set = new FingerprintGenerations(1);
		let seenBeforeAdded = 0;
		for (let i = 0; i < 20000; i++) {
			const p = print(wamid(i));
			if (set.has(p)) seenBeforeAdded++;
			set.add(p);
		}
		expect(seenBeforeAdded).toBe(0);
		expect(set.currentSize).toBe(20000);
		let found = 0;
		let strangers = 0;
		for (let i = 0; i < 20000; i++) {
			if (set.has(print(wamid(i)))) found++;
			if (set.has(print(wamid(i + 20000)))) strangers++;
		}
		expect(found).toBe(20000);
		expect(strangers).toBe(0);
	});

	it('keeps fingerprints whose slots collide (same low bits of the first half) apart, in both generations', () => {
		const set = new FingerprintGenerations();
		const a = { high: 5, low: 1 };
		const b = { high: 5 + 1024, low: 1 };
		const c = { high: 5, low: 2 };
		set.add(a);
		expect(set.has(b)).toBe(false);
		expect(set.has(c)).toBe(false);
		set.add(b);
		set.turnOver();
		set.add(c);
		expect([set.has(a), set.has(b), set.has(c), set.has({ high: 6, low: 1 })]).toEqual([true, true, true, false]);
	});

	it('forgets the older generation on each turn-over, and one generation on request', () => {
		const set = new FingerprintGenerations();
		const first = { high: 11, low: 1 };
		const second = { high: 12, low: 2 };
		const third = { high: 13, low: 3 };
		set.add(first);
		set.turnOver();
		set.add(second);
		expect([set.previousSize, set.currentSize]).toEqual([1, 1]);
		set.turnOver();
		set.add(third);
		expect([set.has(first), set.has(second), set.has(third)]).toEqual([false, true, true]);
		set.forget('previous');
		expect([set.has(second), set.has(third), set.previousSize]).toEqual([false, true, 0]);
		set.forget('current');
		expect([set.has(third), set.currentSize]).toEqual([false, 0]);
	});
});
