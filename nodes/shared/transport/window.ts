/**
 * The in-flight window of one sender: how many of its requests may be under way at once (waiting for their
 * rate slot or for the service's answer).
 *
 * Why adaptive: a fixed window W caps throughput at W / round trip. With 20 in flight and Meta answering in
 * 300 ms a number sends at most 66 msg/s, below its 80 msg/s limit, and an upgraded number (1,000 msg/s)
 * would need hundreds. By Little's law the requests under way at a rate R with a round trip T are R x T, so
 * the window follows both: R is the limiter's current rate, T the round trip measured on every answer
 * (roundTrip.ts: smoothed mean + 4 x deviation, so jitter widens the window), times a headroom
 * that keeps a few requests queued at the rate limiter, ready for their slot. The window never decides the
 * pace (the rate limiter does): it only bounds memory and sockets, up to `cap`.
 */
import { Skipped } from './pool';
import type { RoundTripEstimator } from './roundTrip';

export interface InFlightWindowOptions {
	/** Requests per second the sender is currently allowed. */
	rate: () => number;
	/** The sender's measured round trip (fed by its rate limiter). */
	roundTrip: RoundTripEstimator;
	/** Upper bound: the user's "Max Requests in Flight", or the automatic bound for memory. */
	cap: number;
	/** Round trip assumed before the first answer. Default 1 s: a fast start that is still bounded. */
	initialRoundTripMs?: number;
	/** Multiplier over rate x round trip. Default 1.25. */
	headroom?: number;
	/** Requests always allowed on top, so a short round trip still keeps the rate limiter fed. Default 4. */
	spare?: number;
}

/** Bound of the automatic window per sender: 1,000 msg/s x 1 s of round trip. */
export const AUTO_WINDOW_CAP = 1000;

export class InFlightWindow {
	private active = 0;
	private readonly waiting: Array<{ resolve: () => void; reject: (error: unknown) => void; cancellable: boolean }> = [];
	private head = 0;
	private readonly cap: number;
	private readonly headroom: number;
	private readonly spare: number;
	private readonly initialRoundTripMs: number;

	constructor(private readonly options: InFlightWindowOptions) {
		this.cap = Math.max(1, Math.floor(options.cap));
		this.headroom = options.headroom ?? 1.25;
		this.spare = options.spare ?? 4;
		this.initialRoundTripMs = options.initialRoundTripMs ?? 1000;
	}

	/** Requests under way now. */
	get inFlight(): number {
		return this.active;
	}

	/** The round trip the window is sized for: smoothed mean + 4 deviations (the initial guess before any). */
	get roundTripMs(): number {
		const { meanMs, deviationMs } = this.options.roundTrip;
		return meanMs === undefined ? this.initialRoundTripMs : meanMs + 4 * deviationMs;
	}

	/** Current size: rate x round trip x headroom + spare, within [1, cap]. */
	get size(): number {
		const wanted = Math.ceil((this.options.rate() * this.roundTripMs * this.headroom) / 1000) + this.spare;
		return Math.max(1, Math.min(this.cap, wanted));
	}

	/**
	 * Resolves when the caller may start one request; callers are served first come, first served.
	 * A `cancellable` caller gives up (rejects with Skipped) on cancelWaiting().
	 */
	acquire(cancellable = false): Promise<void> {
		if (this.waiting.length === this.head && this.active < this.size) {
			this.active += 1;
			return Promise.resolve();
		}
		return new Promise<void>((resolve, reject) => {
			this.waiting.push({ resolve, reject, cancellable });
		});
	}

	/** A request of this sender ended (answered or failed): its place goes to the next caller. */
	release(): void {
		this.active = Math.max(0, this.active - 1);
		this.admit();
	}

	/** Lets waiting callers in while the window has room (it may have grown after a sample). */
	admit(): void {
		const size = this.size;
		while (this.head < this.waiting.length && this.active < size) {
			this.active += 1;
			this.waiting[this.head++].resolve();
		}
		this.compact();
	}

	/** Cancellable callers still waiting give up without sending (the run stopped after a failure). */
	cancelWaiting(): void {
		const kept = this.waiting.slice(this.head).filter((waiter) => {
			if (waiter.cancellable) waiter.reject(new Skipped());
			return !waiter.cancellable;
		});
		this.waiting.length = 0;
		this.head = 0;
		this.waiting.push(...kept);
	}

	// The queue is an array read from `head`: shift() on thousands of waiters would copy it each time.
	private compact(): void {
		if (this.head === this.waiting.length) {
			this.waiting.length = 0;
			this.head = 0;
		} else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
			this.waiting.splice(0, this.head);
			this.head = 0;
		}
	}
}
