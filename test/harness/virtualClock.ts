/**
 * A virtual clock for deterministic tests of timed logic: `sleep` registers a timer; `run()` lets all
 * pending promise callbacks settle, then jumps to the earliest timer, until nothing is pending.
 * No real time passes, so tests assert on virtual timestamps without depending on machine speed.
 */
import type { Clock } from '../../nodes/shared/transport/rateLimiter';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
	private t: number;
	private seq = 0;
	private readonly timers: Array<{ at: number; seq: number; resolve: () => void }> = [];

	/** `lateness(n)`: extra ms the n-th timer fires late (a busy event loop), 0 by default. */
	constructor(
		start = 1_000_000,
		private readonly lateness: (n: number) => number = () => 0,
	) {
		this.t = start;
	}

	now(): number {
		return this.t;
	}

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const seq = this.seq++;
			this.timers.push({ at: this.t + Math.max(0, ms) + this.lateness(seq), seq, resolve });
		});
	}

	/** Runs until no timer is pending (and `until` resolved, if given). */
	async run(until?: Promise<unknown>): Promise<void> {
		let done = false;
		void until?.then(() => (done = true));
		for (let guard = 0; guard < 1_000_000; guard++) {
			await settle();
			if (this.timers.length === 0) {
				if (!until || done) return;
				await settle();
				if (this.timers.length === 0 && done) return;
				if (this.timers.length === 0) throw new Error('VirtualClock: waiting on a promise with no timer pending');
				continue;
			}
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const timer = this.timers.shift()!;
			this.t = Math.max(this.t, timer.at);
			timer.resolve();
		}
		throw new Error('VirtualClock: too many steps');
	}
}
