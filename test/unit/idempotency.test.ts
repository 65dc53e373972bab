import { payuRefundToken, refundIdempotencyKey } from '../../nodes/shared/gateways/idempotency';

/** Refund keys: deterministic per (gateway, payment, amount, user key), and valid at every gateway. */
describe('refund idempotency keys', () => {
	const base = { gateway: 'razorpay', paymentId: 'pay_29QQoUBi66xm2f', amountMinor: 49999 };

	it('the same refund always gives the same key (a re-run never refunds twice)', () => {
		expect(refundIdempotencyKey(base)).toBe(refundIdempotencyKey({ ...base }));
		expect(refundIdempotencyKey({ ...base, userKey: ' CN-1 ' })).toBe(refundIdempotencyKey({ ...base, userKey: 'CN-1' }));
	});

	it('a different payment, amount, full refund, user key or gateway gives a different key', () => {
		const keys = new Set([
			refundIdempotencyKey(base),
			refundIdempotencyKey({ ...base, paymentId: 'pay_other' }),
			refundIdempotencyKey({ ...base, amountMinor: 49998 }),
			refundIdempotencyKey({ ...base, amountMinor: undefined }),
			refundIdempotencyKey({ ...base, userKey: 'CN-2' }),
			refundIdempotencyKey({ ...base, gateway: 'stripe' }),
		]);
		expect(keys.size).toBe(6);
	});

	it('fits Razorpay (>= 10 of [A-Za-z0-9_-]) and Stripe (<= 255 chars)', () => {
		const key = refundIdempotencyKey(base);
		expect(key).toMatch(/^[A-Za-z0-9_-]{10,255}$/);
		expect(key).toHaveLength(32);
	});

	it('the PayU token is alphanumeric, 23 characters, and follows the key', () => {
		const key = refundIdempotencyKey(base);
		const token = payuRefundToken(key);
		expect(token).toMatch(/^[a-z0-9]{23}$/);
		expect(payuRefundToken(refundIdempotencyKey({ ...base, amountMinor: 1 }))).not.toBe(token);
	});
});
