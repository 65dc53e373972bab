/**
 * The bulk throttle of one node run: per sending number a rate limiter and an in-flight window, per
 * recipient a pair-limit gate, exposed to the transport as an AttemptObserver. State lives per execution
 * (see bulkSending.ts), never in module globals: two workflows sending from the same number each pace
 * themselves, as each execution is its own process in queue mode anyway.
 *
 * Numbers are independent: each has its own limiter (a 130429 pauses and slows that number only), its own
 * window sized from its own round trip, and items of several numbers run side by side, so three numbers at
 * 80 msg/s send about 240 msg/s together. A pair limit (131056) holds that recipient only.
 */
import { sleep } from 'n8n-workflow';

import type { AttemptObserver } from './http';
import { Skipped } from './pool';
import { type Clock, type Grant, RateLimiter, RecipientGate } from './rateLimiter';
import { RoundTripEstimator } from './roundTrip';
import { AUTO_WINDOW_CAP, InFlightWindow } from './window';

export interface ThrottleSettings {
	messagesPerSecond: number;
	/** The user's upper bound on the window of each sender; undefined: sized automatically (window.ts). */
	maxInFlight?: number;
	retryTimeouts: boolean;
	timeoutMs: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
	messagesPerSecond: 80,
	maxInFlight: undefined,
	retryTimeouts: false,
	timeoutMs: 30000,
};

/**
 * Items started ahead of their send are bounded (each holds its built request in memory): this many at
 * most, whatever the windows say.
 */
export const MAX_ITEMS_AHEAD = 2000;

/** A numeric node option as an integer within [min, max]; the fallback when it is not a number. */
export function clampSetting(value: unknown, fallback: number, min: number, max: number): number {
	const n = Number(value);
	if (!Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(n)));
}

/** Same, but undefined when the option is not set (a missing or empty option means "automatic"). */
export function optionalSetting(value: unknown, min: number, max: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? clampSetting(n, min, min, max) : undefined;
}

/** Wall-clock time for the nodes (tests of the limiter itself use a virtual clock). */
export const realClock: Clock = { now: () => Date.now(), sleep: async (ms: number) => await sleep(ms) };

interface Sender {
	limiter: RateLimiter;
	window: InFlightWindow;
}

export class SendThrottle {
	private readonly senders = new Map<string, Sender>();
	readonly recipients: RecipientGate;
	private stopped = false;

	constructor(
		readonly settings: ThrottleSettings,
		private readonly clock: Clock,
	) {
		this.recipients = new RecipientGate(clock);
	}

	private sender(id: string): Sender {
		let sender = this.senders.get(id);
		if (!sender) {
			const limiter = new RateLimiter({ perSecond: this.settings.messagesPerSecond, clock: this.clock });
			const window = new InFlightWindow({ rate: () => limiter.currentRate, roundTrip: limiter.roundTrip, cap: this.settings.maxInFlight ?? AUTO_WINDOW_CAP });
			sender = { limiter, window };
			this.senders.set(id, sender);
		}
		return sender;
	}

	/** The limiter of one sending number (created on first use). */
	limiter(sender: string): RateLimiter {
		return this.sender(sender).limiter;
	}

	/** The in-flight window of one sending number (created on first use). */
	window(sender: string): InFlightWindow {
		return this.sender(sender).window;
	}

	/**
	 * How many items the run may have started at once: every known number's window plus a tenth of a second
	 * of its rate waiting (so its limiter always has the next request ready), plus room for the first items
	 * of a number not seen yet. Kept short: every started item holds its request (and, once sent, n8n's
	 * socket) in memory.
	 */
	itemsAhead(): number {
		const queue = (rate: number) => Math.ceil(rate / 10) + 4;
		let total = queue(this.settings.messagesPerSecond);
		if (this.senders.size === 0) total += this.initialWindow();
		for (const { limiter, window } of this.senders.values()) total += window.size + queue(limiter.currentRate);
		return Math.min(MAX_ITEMS_AHEAD, total);
	}

	private initialWindow(): number {
		const rate = this.settings.messagesPerSecond;
		return new InFlightWindow({ rate: () => rate, roundTrip: new RoundTripEstimator(), cap: this.settings.maxInFlight ?? AUTO_WINDOW_CAP }).size;
	}

	/** The run stopped after a failure: items still waiting for their first attempt give up unsent. */
	stop(): void {
		this.stopped = true;
		for (const { limiter, window } of this.senders.values()) {
			window.cancelWaiting();
			limiter.cancelWaiting(new Skipped());
		}
	}

	/**
	 * Hooks for one message: every attempt waits for the recipient's pair window, a place in the number's
	 * in-flight window and a rate slot; the answer frees the place and measures the round trip.
	 */
	observer(senderId: string, recipient: string): AttemptObserver {
		const { limiter, window } = this.sender(senderId);
		let grant: Grant | undefined;
		return {
			beforeAttempt: async (attempt) => {
				// Only a message never sent may give up: a retry of one that was refused goes on to its end.
				const first = attempt === 1;
				await this.recipients.wait(recipient);
				if (first && this.stopped) throw new Skipped();
				await window.acquire(first);
				// A caller that gave up waiting for its rate slot gives its place in the window back.
				let granted = false;
				try {
					grant = await limiter.acquire(first);
					granted = true;
				} finally {
					if (!granted) window.release();
				}
			},
			afterAttempt: (_attempt, answered) => {
				if (!grant) return;
				limiter.completed(grant, answered);
				grant = undefined;
				window.release();
			},
			onRetry: (outcome, delayMs) => {
				if (outcome.throttled) limiter.throttled(delayMs, outcome.lowerRate === true);
				if (outcome.pairLimited) this.recipients.hold(recipient, delayMs);
			},
			onAccepted: () => limiter.succeeded(),
		};
	}
}
