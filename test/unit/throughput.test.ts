/**
 * Throughput of the bulk throttle in virtual time (issue 18): the adaptive in-flight window, items of several
 * sending numbers paced side by side, and throttling / pair-limit answers that slow only what they concern.
 * A simulated Meta answers every request after a fixed latency; the item loop is the real one (mapBounded
 * with the throttle's itemsAhead()), the hooks the ones the transport calls. No wall clock is involved: the
 * figures below are exact outcomes of the schedule, not timings of this machine.
 */
import type { RetryOutcome } from '../../nodes/shared/transport/http';
import { mapBounded, Skipped } from '../../nodes/shared/transport/pool';
import { RoundTripEstimator } from '../../nodes/shared/transport/roundTrip';
import { DEFAULT_THROTTLE, SendThrottle, type ThrottleSettings } from '../../nodes/shared/transport/throttle';
import { InFlightWindow } from '../../nodes/shared/transport/window';
import { peakInWindow } from '../harness/rate';
import { VirtualClock } from '../harness/virtualClock';

type Answer = 'ok' | RetryOutcome;

interface Item {
	sender: string;
	to: string;
}

interface Simulation {
	/** Arrival (grant) times of every attempt, per sender. */
	arrivals: Map<string, number[]>;
	/** Acceptance times per sender. */
	accepted: Map<string, number[]>;
	/** Attempt arrival times per recipient. */
	byRecipient: Map<string, number[]>;
	peakInFlight: Map<string, number>;
	start: number;
	end: number;
}

const push = (map: Map<string, number[]>, key: string, value: number) => {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
};

/** Runs `items` through the throttle as sendRequest() would, against a Meta answering after `latencyMs`. */
async function simulate(
	items: Item[],
	settings: Partial<ThrottleSettings>,
	latencyMs: number | ((sender: string) => number),
	answer: (item: Item, attempt: number, at: number) => Answer = () => 'ok',
): Promise<Simulation> {
	const clock = new VirtualClock();
	const throttle = new SendThrottle({ ...DEFAULT_THROTTLE, ...settings }, clock);
	const sim: Simulation = { arrivals: new Map(), accepted: new Map(), byRecipient: new Map(), peakInFlight: new Map(), start: clock.now(), end: 0 };
	const inFlight = new Map<string, number>();
	const latency = typeof latencyMs === 'number' ? () => latencyMs : latencyMs;
	const send = async (index: number) => {
		const item = items[index];
		const observer = throttle.observer(item.sender, item.to);
		for (let attempt = 1; attempt <= 5; attempt++) {
			await observer.beforeAttempt!(attempt);
			const at = clock.now();
			push(sim.arrivals, item.sender, at);
			push(sim.byRecipient, item.to, at);
			inFlight.set(item.sender, (inFlight.get(item.sender) ?? 0) + 1);
			sim.peakInFlight.set(item.sender, Math.max(sim.peakInFlight.get(item.sender) ?? 0, inFlight.get(item.sender)!));
			const reply = answer(item, attempt, at);
			await clock.sleep(latency(item.sender));
			inFlight.set(item.sender, inFlight.get(item.sender)! - 1);
			observer.afterAttempt!(attempt, true);
			if (reply === 'ok') {
				observer.onAccepted!();
				push(sim.accepted, item.sender, clock.now());
				return;
			}
			const delay = reply.delayMs ?? 1000;
			observer.onRetry!(reply, delay);
			await clock.sleep(delay);
		}
		throw new Error(`item ${index} never accepted`);
	};
	const done = mapBounded(items.length, send, { limit: () => throttle.itemsAhead() });
	await clock.run(done);
	for (const result of await done) if (!result?.ok) throw (result as { error: unknown } | undefined)?.error ?? new Error('not run');
	sim.end = clock.now();
	return sim;
}

const oneNumber = (count: number, sender = '106540352242922'): Item[] =>
	Array.from({ length: count }, (_, i) => ({ sender, to: `9190${String(i).padStart(8, '0')}` }));

const interleaved = (count: number, senders: string[]): Item[] =>
	Array.from({ length: count }, (_, i) => ({ sender: senders[i % senders.length], to: `9190${String(i).padStart(8, '0')}` }));

/** Messages per second from the first to the last arrival. */
const rateOf = (times: number[]) => (times.length - 1) / ((times[times.length - 1] - times[0]) / 1000);

describe('In-flight window (virtual time)', () => {
	it('is rate x round trip x headroom (+ spare), measured, within its cap', () => {
		const roundTrip = new RoundTripEstimator();
		const window = new InFlightWindow({ rate: () => 80, roundTrip, cap: 1000 });
		// Before any answer: sized for a 1 s round trip, so the first second is never window-bound.
		expect(window.size).toBe(Math.ceil(80 * 1.25) + 4);
		for (let i = 0; i < 100; i++) roundTrip.sample(300);
		// Steady 300 ms: 80 x 0.3 x 1.25 = 30 (31 while a trace of the first sample's deviation remains), + 4 spare.
		expect(window.size).toBeGreaterThanOrEqual(34);
		expect(window.size).toBeLessThanOrEqual(35);
		const capped = new InFlightWindow({ rate: () => 1000, roundTrip, cap: 50 });
		expect(capped.size).toBe(50);
		const one = new InFlightWindow({ rate: () => 80, roundTrip, cap: 1 });
		expect(one.size).toBe(1);
	});

	it('widens with jitter (mean + 4 deviations), as TCP sizes its timeout', () => {
		const steady = new RoundTripEstimator();
		const jittery = new RoundTripEstimator();
		for (let i = 0; i < 200; i++) {
			steady.sample(300);
			jittery.sample(i % 2 ? 200 : 400);
		}
		const size = (roundTrip: RoundTripEstimator) => new InFlightWindow({ rate: () => 80, roundTrip, cap: 1000 }).size;
		expect(size(jittery)).toBeGreaterThan(size(steady));
	});

	it('serves waiting callers in order and lets cancellable ones give up unsent', async () => {
		const roundTrip = new RoundTripEstimator();
		const window = new InFlightWindow({ rate: () => 1, roundTrip, cap: 1 });
		const order: string[] = [];
		await window.acquire();
		const a = window.acquire(false).then(() => order.push('a'));
		const b = window.acquire(true).then(
			() => order.push('b'),
			(error: unknown) => order.push(error instanceof Skipped ? 'b skipped' : 'b failed'),
		);
		const c = window.acquire(false).then(() => order.push('c'));
		window.cancelWaiting();
		await b;
		window.release();
		await a;
		window.release();
		await c;
		expect(order).toEqual(['b skipped', 'a', 'c']);
		expect(window.inFlight).toBe(1);
	});
});

describe('Bulk throughput with defaults (virtual time)', () => {
	it.each([50, 300, 800])('one number at 80 msg/s with Meta answering in %i ms: >= 95 %% of the limit, never above it', async (latency) => {
		const sim = await simulate(oneNumber(1200), {}, latency);
		const arrivals = sim.arrivals.get('106540352242922')!;
		expect(arrivals).toHaveLength(1200);
		expect(peakInWindow(arrivals)).toBeLessThanOrEqual(80);
		expect(rateOf(arrivals)).toBeGreaterThanOrEqual(76);
		// The window followed Little's law: about 80 x latency in flight, never the whole run at once.
		const peak = sim.peakInFlight.get('106540352242922')!;
		expect(peak).toBeGreaterThanOrEqual(Math.floor((80 * latency) / 1000));
		expect(peak).toBeLessThanOrEqual(Math.ceil(80 * 1.25) + 4 + 1);
	});

	it('an upgraded number at 1,000 msg/s with a 250 ms round trip: >= 95 % of the limit, never above it', async () => {
		const sim = await simulate(oneNumber(4000), { messagesPerSecond: 1000 }, 250);
		const arrivals = sim.arrivals.get('106540352242922')!;
		expect(peakInWindow(arrivals)).toBeLessThanOrEqual(1000);
		expect(rateOf(arrivals)).toBeGreaterThanOrEqual(950);
	});

	it('Max Requests in Flight stays an upper bound: 10 in flight at 300 ms cannot pass 33 msg/s', async () => {
		const sim = await simulate(oneNumber(200), { maxInFlight: 10 }, 300);
		expect(sim.peakInFlight.get('106540352242922')).toBe(10);
		// 10 / 0.3 s = 33.3 msg/s (the first 10 leave on the rate schedule, so the measured span is a bit shorter).
		expect(rateOf(sim.arrivals.get('106540352242922')!)).toBeLessThanOrEqual(35);
	});
});

describe('Several sending numbers in one run (virtual time)', () => {
	const numbers = ['106540352242922', '106540352242999', '106540352243001'];

	it('3 numbers x 80 msg/s, items interleaved: about 240 msg/s together, each <= 80 in every second', async () => {
		const sim = await simulate(interleaved(3000, numbers), {}, 300);
		const all = numbers.flatMap((n) => sim.arrivals.get(n)!);
		for (const n of numbers) {
			expect(peakInWindow(sim.arrivals.get(n)!)).toBeLessThanOrEqual(80);
			expect(rateOf(sim.arrivals.get(n)!)).toBeGreaterThanOrEqual(76);
		}
		expect(rateOf(all.sort((a, b) => a - b))).toBeGreaterThanOrEqual(228);
	});

	it('numbers with different round trips each reach their own limit', async () => {
		const latency = (sender: string) => (sender === numbers[0] ? 800 : 50);
		const sim = await simulate(interleaved(2400, numbers), {}, latency);
		for (const n of numbers) {
			expect(peakInWindow(sim.arrivals.get(n)!)).toBeLessThanOrEqual(80);
			expect(rateOf(sim.arrivals.get(n)!)).toBeGreaterThanOrEqual(76);
		}
	});

	it('a 130429 on one number slows only that number', async () => {
		const [slowed, ...others] = numbers;
		let refusedAt = 0;
		// The first request of the first number at or after 3 s into the run is refused with 130429.
		const sim = await simulate(interleaved(2400, numbers), {}, 300, (item, attempt, at) => {
			if (refusedAt === 0 && item.sender === slowed && at >= 1_003_000) {
				refusedAt = at;
				return { kind: 'retry', reason: 'throughput (130429)', throttled: true, lowerRate: true, delayMs: 1000 };
			}
			return 'ok';
		});
		expect(refusedAt).toBeGreaterThan(0);
		const during = (times: number[]) => times.filter((t) => t > refusedAt + 300 && t < refusedAt + 1000).length;
		// The refused number paused for its Retry-After (nothing granted after the answer came back)...
		expect(during(sim.arrivals.get(slowed)!)).toBe(0);
		// ...while the others kept their full pace through that second.
		for (const n of others) expect(during(sim.arrivals.get(n)!)).toBeGreaterThanOrEqual(Math.floor(0.7 * 76) - 1);
		for (const n of numbers) expect(peakInWindow(sim.arrivals.get(n)!)).toBeLessThanOrEqual(80);
	});

	it('the pair limit (131056) delays only that recipient', async () => {
		const items = oneNumber(400);
		const held = items[10].to;
		const sim = await simulate(items, {}, 300, (item, attempt) =>
			item.to === held && attempt === 1 ? { kind: 'retry', reason: 'pair rate limit (131056)', pairLimited: true, delayMs: 6000 } : 'ok',
		);
		const [first, second] = sim.byRecipient.get(held)!;
		expect(second - first).toBeGreaterThanOrEqual(6000);
		const arrivals = sim.arrivals.get(items[0].sender)!;
		// Everyone else went on at the number's pace during those 6 s.
		expect(arrivals.filter((t) => t > first && t < second).length).toBeGreaterThanOrEqual(5 * 76);
		expect(rateOf(arrivals.filter((t) => t < second))).toBeGreaterThanOrEqual(76);
	});
});

describe('Stopping a run (virtual time)', () => {
	it('items waiting for their first attempt give up unsent when the run stops; nothing else is affected', async () => {
		const clock = new VirtualClock();
		const throttle = new SendThrottle({ ...DEFAULT_THROTTLE, maxInFlight: 2 }, clock);
		const sent: number[] = [];
		const outcomes = Promise.all(
			Array.from({ length: 6 }, async (_, i) => {
				const observer = throttle.observer('106540352242922', `9190000000${i}`);
				try {
					await observer.beforeAttempt!(1);
					sent.push(i);
					await clock.sleep(100);
					observer.afterAttempt!(1, true);
					return 'sent';
				} catch (error) {
					return error instanceof Skipped ? 'skipped' : 'failed';
				}
			}),
		);
		// Item 0 got its rate slot at once; item 1 waits for the next slot, items 2-5 for a place in the window.
		await new Promise((resolve) => setImmediate(resolve));
		throttle.stop();
		await clock.run(outcomes);
		expect(await outcomes).toEqual(['sent', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
		expect(sent).toEqual([0]);
	});
});
