import fc from 'fast-check';

import { isoFromUnixSeconds } from '../../nodes/shared/time';

describe('isoFromUnixSeconds', () => {
	it('writes what Date#toISOString writes, for any whole second from 1970 to 9999', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 253402300799 }), (seconds) => {
				expect(isoFromUnixSeconds(seconds)).toBe(new Date(seconds * 1000).toISOString());
			}),
			{ numRuns: 20000, seed: 20261122 },
		);
	});

	it('gets leap days, year ends and the edges right', () => {
		for (const text of ['1970-01-01T00:00:00.000Z', '2000-02-29T23:59:59.000Z', '2024-02-29T12:00:00.000Z', '2100-03-01T00:00:00.000Z', '2025-12-31T23:59:59.000Z', '9999-12-31T23:59:59.000Z']) {
			expect(isoFromUnixSeconds(Date.parse(text) / 1000)).toBe(text);
		}
	});

	it('falls back to Date for fractions and out-of-range values', () => {
		expect(isoFromUnixSeconds(1.5)).toBe('1970-01-01T00:00:01.500Z');
		expect(isoFromUnixSeconds(-1)).toBe('1969-12-31T23:59:59.000Z');
	});
});
