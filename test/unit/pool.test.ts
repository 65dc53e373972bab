import { mapBounded } from '../../nodes/shared/transport/pool';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapBounded', () => {
	it('keeps results at their input index and never runs more than the limit at once', async () => {
		let running = 0;
		let peak = 0;
		const results = await mapBounded(
			50,
			async (index) => {
				running++;
				peak = Math.max(peak, running);
				// Later indexes finish first: order must still come from the index.
				for (let i = 0; i < 50 - index; i++) await tick();
				running--;
				return index * 2;
			},
			{ limit: 7 },
		);
		expect(peak).toBe(7);
		expect(results.map((r) => (r && r.ok ? r.value : undefined))).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
	});

	it('turns thrown and rejected tasks into failures of their index', async () => {
		const results = await mapBounded(
			4,
			(index) => {
				if (index === 1) throw new Error('sync');
				if (index === 2) return Promise.reject(new Error('async'));
				return Promise.resolve(index);
			},
			{ limit: 2 },
		);
		expect(results.map((r) => r?.ok)).toEqual([true, false, false, true]);
	});

	it('stops taking new indexes after a failure when asked, letting running ones finish', async () => {
		const started: number[] = [];
		const results = await mapBounded(
			20,
			async (index) => {
				started.push(index);
				await tick();
				if (index === 3) throw new Error('boom');
				return index;
			},
			{ limit: 4, stopOnFailure: () => true },
		);
		expect(results[3]).toEqual({ ok: false, error: new Error('boom') });
		expect(started.length).toBeLessThan(20);
		for (const index of started) expect(results[index]).toBeDefined();
		for (let i = 0; i < 20; i++) if (!started.includes(i)) expect(results[i]).toBeUndefined();
	});

	it('handles empty input and limits above the count', async () => {
		expect(await mapBounded(0, async () => 1, { limit: 5 })).toEqual([]);
		expect(await mapBounded(2, async (i) => i, { limit: 100 })).toEqual([
			{ ok: true, value: 0 },
			{ ok: true, value: 1 },
		]);
	});
});
