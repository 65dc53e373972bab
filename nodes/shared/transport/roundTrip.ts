/**
 * The measured round trip of one sender (grant of a rate slot to the service's answer), smoothed as TCP
 * does (RFC 6298: gains 1/8 for the mean, 1/4 for the mean deviation). The in-flight window is sized from
 * it (Little's law) and the rate limiter's safety margin from its deviation (the jitter that could bunch
 * arrivals at the service). O(1) per answer.
 */
export class RoundTripEstimator {
	private smoothed: number | undefined;
	private deviation = 0;
	private fastestMs = Number.POSITIVE_INFINITY;

	/** Smoothed mean, or undefined before the first answer. */
	get meanMs(): number | undefined {
		return this.smoothed;
	}

	/** Smoothed mean absolute deviation (0 before the first answer). */
	get deviationMs(): number {
		return this.deviation;
	}

	/** Fastest round trip seen (Infinity before the first answer). */
	get fastest(): number {
		return this.fastestMs;
	}

	/** A failure without an answer after `ms`: only lowers the fastest time (it never makes a bound looser). */
	bound(ms: number): void {
		if (Number.isFinite(ms) && ms >= 0) this.fastestMs = Math.min(this.fastestMs, ms);
	}

	sample(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0) return;
		this.fastestMs = Math.min(this.fastestMs, ms);
		if (this.smoothed === undefined) {
			this.smoothed = ms;
			this.deviation = ms / 2;
			return;
		}
		this.deviation += (Math.abs(this.smoothed - ms) - this.deviation) / 4;
		this.smoothed += (ms - this.smoothed) / 8;
	}
}
