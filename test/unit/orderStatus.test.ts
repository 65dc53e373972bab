import { checkTransition, normalizeOrderStatus } from '../../nodes/shared/meta/orderStatus';
import { InputError } from '../../nodes/shared/errors';

describe('normalizeOrderStatus', () => {
	it('accepts the India spelling partially-shipped and sends partially_shipped', () => {
		expect(normalizeOrderStatus('partially-shipped')).toBe('partially_shipped');
		expect(normalizeOrderStatus(' Shipped ')).toBe('shipped');
	});
	it('refuses unknown and empty statuses with the field path', () => {
		expect(() => normalizeOrderStatus('delivered', 'order.status')).toThrow(InputError);
		try {
			normalizeOrderStatus('', 'order.status');
		} catch (e) {
			expect((e as InputError).field).toBe('order.status');
		}
	});
});

describe('checkTransition', () => {
	it('allows pending to anything and in-flight statuses among themselves', () => {
		expect(() => checkTransition('pending', 'shipped')).not.toThrow();
		expect(() => checkTransition('processing', 'partially_shipped')).not.toThrow();
		expect(() => checkTransition('shipped', 'processing')).not.toThrow();
		expect(() => checkTransition('shipped', 'completed')).not.toThrow();
	});
	it('refuses leaving a final status and going back to pending', () => {
		expect(() => checkTransition('completed', 'shipped')).toThrow(/final/);
		expect(() => checkTransition('canceled', 'processing')).toThrow(/final/);
		expect(() => checkTransition('processing', 'pending')).toThrow(/pending/);
	});
	it('refuses canceling when the payment is captured or pending', () => {
		expect(() => checkTransition('pending', 'canceled', { paymentStatus: 'captured' })).toThrow(/Cannot cancel/);
		expect(() => checkTransition('pending', 'canceled', { paymentStatus: 'pending' })).toThrow(InputError);
		expect(() => checkTransition('pending', 'canceled')).not.toThrow();
	});
});
