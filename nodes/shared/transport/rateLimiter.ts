/**
 * Per-sending-number rate limiter for bulk sends (Meta allows 80 msg/s per number by default, up to 1,000).
 *
 * Why a FIFO queue with ONE pump instead of "every caller sleeps until its slot": decisions are taken on the
 * real grant times, so a late timer (busy event loop) can never squeeze more than the limit into a window,
 * and only one timer is pending at a time however many requests wait. Pure logic over an injected clock,
 * so unit tests run in virtual time.
 *
 * Guarantees, on grant times: any `rate + 1` consecutive grants span at least window + margin (no burst
 * above the limit in any window), and grants follow an even schedule (window + margin) / rate apart.
 * The margin absorbs jitter between our grant and the request's arrival at Meta, where the limit is counted:
 * by default it follows the measured jitter, between 1 % and 5 % of the window: 4 x the mean deviation of
 * the round trip (as TCP sizes its timeout) or 2 x how late our own timers fired lately (a busy or starved
 * process holds requests back and releases them bunched), whichever is larger; 5 % until answers have been
 * measured. Every point of margin costs a point of throughput, so a steady service from a calm process gets
 * close to its full limit, and a jittery one or a busy process the full 5 % safety.
 *
 * A busy process can hold a granted request back for longer than the margin (n8n still resolves
 * credentials and opens the socket after the grant), and requests released together after such a stall
 * would reach Meta bunched. So each grant also waits a window after the latest moment the request
 * `rate` grants earlier can have arrived: its answer time minus the fastest round trip seen (or, while it
 * is still unanswered, its grant plus `stallCapMs`, or twice how late our timers fired lately when that is more).
 */
import { RoundTripEstimator } from './roundTrip';

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export interface RateLimiterOptions {
	/** Messages per window (per second by default). */
	perSecond: number;
	clock: Clock;
	windowMs?: number;
	/** Fixed extra spacing per window so arrival jitter cannot exceed the limit at the service. Default: adaptive (see the header). */
	marginMs?: number;
	/** Pause applied on a throttling answer without Retry-After. */
	defaultPauseMs?: number;
	/** Longest a granted request is assumed to wait in our process before it leaves. Default 200 ms. */
	stallCapMs?: number;
}

/** One grant; `answeredAt` is set by `completed()` when the attempt got an answer or failed. */
export interface Grant {
	at: number;
	answeredAt?: number;
}

export const MAX_MESSAGES_PER_SECOND = 1000;

const LATENESS_HALF_LIFE_MS = 5000;

export class RateLimiter {
	readonly base: number;
	private rate: number;
	private readonly windowMs: number;
	private readonly fixedMarginMs: number | undefined;
	/** How late the pump's timers fired lately: a decaying maximum (halves every 5 s). */
	private lateness = 0;
	private latenessAt = 0;
	private readonly minMarginMs: number;
	private readonly maxMarginMs: number;
	private readonly defaultPauseMs: number;
	private readonly clock: Clock;
	/** The last `base` grants, oldest first. */
	private readonly grants: Grant[] = [];
	private readonly stallCapMs: number;
	/** Grant-to-answer times: the fastest bounds arrival times (see the header), the jitter sets the margin. */
	readonly roundTrip = new RoundTripEstimator();
	private pausedUntil = 0;
	/** Earliest time of the next grant on the even schedule. */
	private nextSlot = Number.NEGATIVE_INFINITY;
	private lastCutAt = Number.NEGATIVE_INFINITY;
	private successesSinceChange = 0;
	/** Callers waiting for a grant, read from `head` (shift() on a long queue would copy it every time). */
	private readonly waiting: Array<{ resolve: (grant: Grant) => void; reject: (error: unknown) => void; cancellable: boolean }> = [];
	private head = 0;
	private pumping = false;

	constructor(options: RateLimiterOptions) {
		const perSecond = Math.floor(options.perSecond);
		if (!Number.isFinite(perSecond) || perSecond < 1 || perSecond > MAX_MESSAGES_PER_SECOND) {
			throw new RangeError(`messages per second must be between 1 and ${MAX_MESSAGES_PER_SECOND}`);
		}
		this.base = perSecond;
		this.rate = perSecond;
		this.clock = options.clock;
		this.windowMs = options.windowMs ?? 1000;
		this.fixedMarginMs = options.marginMs;
		this.minMarginMs = Math.ceil(this.windowMs * 0.01);
		this.maxMarginMs = Math.ceil(this.windowMs * 0.05);
		this.defaultPauseMs = options.defaultPauseMs ?? 1000;
		this.stallCapMs = options.stallCapMs ?? 200;
	}

	/** The rate currently applied (lowered after throttling answers, climbing back on successes). */
	get currentRate(): number {
		return this.rate;
	}

	/** The spacing added to every window now (fixed, or from the measured jitter). */
	get marginMs(): number {
		if (this.fixedMarginMs !== undefined) return this.fixedMarginMs;
		if (this.roundTrip.meanMs === undefined) return this.maxMarginMs;
		const jitter = Math.max(4 * this.roundTrip.deviationMs, 2 * this.recentLateness(this.clock.now()));
		return Math.min(this.maxMarginMs, Math.max(this.minMarginMs, Math.ceil(jitter)));
	}

	private recentLateness(now: number): number {
		return this.lateness * 2 ** (-(now - this.latenessAt) / LATENESS_HALF_LIFE_MS);
	}

	/** A timer planned for `planned` fired at `now`. */
	private noteLateness(planned: number, now: number): void {
		this.lateness = Math.max(now - planned, this.recentLateness(now));
		this.latenessAt = now;
	}

	/** How long a caller arriving at `now` would wait; 0 = may go now. Pure. */
	waitMs(now: number): number {
		let ready = Math.max(this.pausedUntil, this.nextSlot);
		const count = this.grants.length;
		if (count >= this.rate) {
			const older = this.grants[count - this.rate];
			ready = Math.max(ready, older.at + this.windowMs + this.marginMs, this.latestArrival(older) + this.windowMs);
		}
		return Math.max(0, ready - now);
	}

	/** The latest time the request of `grant` can have reached the service (see the header). */
	private latestArrival(grant: Grant): number {
		// A process starved of CPU holds requests back longer than the usual cap: our timers' lateness shows it.
		const capped = grant.at + Math.max(this.stallCapMs, 2 * this.recentLateness(this.clock.now()));
		if (grant.answeredAt === undefined) return capped;
		const fastest = this.roundTrip.fastest;
		const roundTrip = Number.isFinite(fastest) ? fastest : 0;
		return Math.min(capped, Math.max(grant.at, grant.answeredAt - roundTrip));
	}

	/**
	 * The attempt of `grant` got an answer (or failed without one: `answered` false): refines when it can have
	 * arrived; an answer is also a round-trip sample.
	 */
	completed(grant: Grant, answered = true): void {
		if (grant.answeredAt !== undefined) return;
		grant.answeredAt = this.clock.now();
		const elapsed = grant.answeredAt - grant.at;
		// A failure without an answer (a reset) still bounds the arrival: it can only make the bound later.
		if (answered) this.roundTrip.sample(elapsed);
		else this.roundTrip.bound(elapsed);
	}

	private get interval(): number {
		return (this.windowMs + this.marginMs) / this.rate;
	}

	/**
	 * Resolves when the caller may send one request, with its grant (pass it to `completed()` when the
	 * attempt ends); callers are served first come, first served.
	 */
	acquire(cancellable = false): Promise<Grant> {
		return new Promise<Grant>((resolve, reject) => {
			this.waiting.push({ resolve, reject, cancellable });
			if (!this.pumping) void this.pump();
		});
	}

	/** Callers that asked to be cancellable and still wait give up with `error` (the run stopped). */
	cancelWaiting(error: unknown): void {
		const kept = this.waiting.slice(this.head).filter((waiter) => {
			if (waiter.cancellable) waiter.reject(error);
			return !waiter.cancellable;
		});
		this.waiting.length = 0;
		this.head = 0;
		this.waiting.push(...kept);
	}

	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			while (this.head < this.waiting.length) {
				const wait = this.waitMs(this.clock.now());
				if (wait > 0) {
					const planned = this.clock.now() + Math.ceil(wait);
					await this.clock.sleep(Math.ceil(wait));
					this.noteLateness(planned, this.clock.now());
					continue;
				}
				const grant = this.record(this.clock.now());
				this.waiting[this.head++].resolve(grant);
				if (this.head === this.waiting.length || this.head > 1024) {
					this.waiting.splice(0, this.head);
					this.head = 0;
				}
			}
		} finally {
			this.pumping = false;
		}
	}

	/**
	 * How far behind its ideal schedule the pump may catch up (grant the slots it missed at once) instead of
	 * starting afresh: a twentieth of the window, at least one slot. At 1,000 msg/s slots are 1 ms apart and a
	 * busy event loop wakes the pump several ms late: allowing one slot only gave one grant per wake (bench
	 * P1c: 450 msg/s of 1,000). The window rule in waitMs() bounds every catch-up to the limit.
	 */
	private get catchUpMs(): number {
		return Math.max(this.interval, this.windowMs / 20);
	}

	private record(at: number): Grant {
		// Pace on an ideal schedule: a timer that fires late does not push every later slot back (the slots it
		// missed are granted now, within catchUpMs); after idling or a long stall, start afresh.
		const base = at - this.nextSlot <= this.catchUpMs ? this.nextSlot : at;
		this.nextSlot = base + this.interval;
		const grant: Grant = { at };
		this.grants.push(grant);
		if (this.grants.length > this.base) this.grants.shift();
		return grant;
	}

	/**
	 * A throttling answer (429, 4, 80007, 130429): the whole number pauses for Retry-After (or the default).
	 * With `lowerRate` (130429: above the number's throughput tier) its rate also drops by a quarter, at
	 * most once per window so a volley of answers to requests already in flight counts as one signal.
	 */
	throttled(retryAfterMs?: number, lowerRate = true): void {
		const now = this.clock.now();
		this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? this.defaultPauseMs));
		if (lowerRate && now - this.lastCutAt >= this.windowMs) {
			this.lastCutAt = now;
			this.rate = Math.max(1, Math.floor(this.rate * 0.75));
			this.successesSinceChange = 0;
		}
	}

	/** An accepted request: after a window's worth of successes the rate climbs back by a tenth of the base. */
	succeeded(): void {
		if (this.rate >= this.base) return;
		this.successesSinceChange += 1;
		if (this.successesSinceChange >= this.rate) {
			this.rate = Math.min(this.base, this.rate + Math.max(1, Math.ceil(this.base / 10)));
			this.successesSinceChange = 0;
		}
	}
}

/**
 * Pair rate limit (131056): Meta allows about one message per 6 s to the same customer. Only that
 * recipient waits; other recipients of the same number are not slowed down.
 */
export class RecipientGate {
	private readonly readyAt = new Map<string, number>();

	constructor(private readonly clock: Clock) {}

	waitMs(recipient: string): number {
		const ready = this.readyAt.get(recipient);
		if (ready === undefined) return 0;
		const wait = ready - this.clock.now();
		if (wait <= 0) this.readyAt.delete(recipient);
		return Math.max(0, wait);
	}

	hold(recipient: string, ms: number): void {
		const until = this.clock.now() + ms;
		this.readyAt.set(recipient, Math.max(this.readyAt.get(recipient) ?? 0, until));
	}

	async wait(recipient: string): Promise<void> {
		for (let wait = this.waitMs(recipient); wait > 0; wait = this.waitMs(recipient)) {
			await this.clock.sleep(Math.ceil(wait));
		}
	}
}
