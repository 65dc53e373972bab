/**
 * The bulk throttle of one node run: a rate limiter per sending number and a pair-limit gate per
 * recipient, exposed to the transport as an AttemptObserver. State lives per execution (see
 * bulkSending.ts), never in module globals: two workflows sending from the same number each pace
 * themselves, as each execution is its own process in queue mode anyway.
 */
import { sleep } from 'n8n-workflow';

import type { AttemptObserver } from './http';
import { type Clock, type Grant, RateLimiter, RecipientGate } from './rateLimiter';

export interface ThrottleSettings {
	messagesPerSecond: number;
	maxInFlight: number;
	retryTimeouts: boolean;
	timeoutMs: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
	messagesPerSecond: 80,
	maxInFlight: 20,
	retryTimeouts: false,
	timeoutMs: 30000,
};

/** A numeric node option as an integer within [min, max]; the fallback when it is not a number. */
export function clampSetting(value: unknown, fallback: number, min: number, max: number): number {
	const n = Number(value);
	if (!Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(n)));
}

/** Wall-clock time for the nodes (tests of the limiter itself use a virtual clock). */
export const realClock: Clock = { now: () => Date.now(), sleep: async (ms: number) => await sleep(ms) };

export class SendThrottle {
	private readonly limiters = new Map<string, RateLimiter>();
	readonly recipients: RecipientGate;

	constructor(
		readonly settings: ThrottleSettings,
		private readonly clock: Clock,
	) {
		this.recipients = new RecipientGate(clock);
	}

	/** The limiter of one sending number (created on first use). */
	limiter(sender: string): RateLimiter {
		let limiter = this.limiters.get(sender);
		if (!limiter) {
			limiter = new RateLimiter({ perSecond: this.settings.messagesPerSecond, clock: this.clock });
			this.limiters.set(sender, limiter);
		}
		return limiter;
	}

	/** Hooks for one message: every attempt waits for the recipient's pair window and a rate slot. */
	observer(sender: string, recipient: string): AttemptObserver {
		const limiter = this.limiter(sender);
		let grant: Grant | undefined;
		return {
			beforeAttempt: async () => {
				await this.recipients.wait(recipient);
				grant = await limiter.acquire();
			},
			afterAttempt: () => {
				if (grant) limiter.completed(grant);
			},
			onRetry: (outcome, delayMs) => {
				if (outcome.throttled) limiter.throttled(delayMs, outcome.lowerRate === true);
				if (outcome.pairLimited) this.recipients.hold(recipient, delayMs);
			},
			onAccepted: () => limiter.succeeded(),
		};
	}
}
