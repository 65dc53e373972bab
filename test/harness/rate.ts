/** The largest number of timestamps in any half-open window [t, t + windowMs): the peak rate. */
export function peakInWindow(times: number[], windowMs = 1000): number {
	const sorted = [...times].sort((a, b) => a - b);
	let peak = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return peak;
}
