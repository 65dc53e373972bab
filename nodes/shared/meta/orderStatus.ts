import { InputError } from '../errors';

/** Order statuses Meta accepts in order_status messages (spec §2). */
export const ORDER_STATUSES = [
	'pending',
	'processing',
	'partially_shipped',
	'shipped',
	'completed',
	'canceled',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

const FINAL: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['completed', 'canceled']);

/**
 * Meta's India tables spell `partially-shipped` while the API wants `partially_shipped`;
 * accept both (and any case) so ERP values pass straight through.
 */
export function normalizeOrderStatus(value: unknown, field = 'status'): OrderStatus {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new InputError(field, 'Order status is required', `Use one of: ${ORDER_STATUSES.join(', ')}`);
	}
	const normalized = value.trim().toLowerCase().replace(/-/g, '_');
	if (!(ORDER_STATUSES as readonly string[]).includes(normalized)) {
		throw new InputError(
			field,
			`Unknown order status "${value}"`,
			`Use one of: ${ORDER_STATUSES.join(', ')}`,
		);
	}
	return normalized as OrderStatus;
}

/**
 * Meta only reports a bad transition asynchronously (failed status webhook 2046/2047), so when the user
 * knows the previous status we refuse it up front instead. Rules (spec §2): pending -> any; the in-flight
 * statuses move among themselves or to a final one; completed and canceled are final.
 */
export function checkTransition(
	previous: OrderStatus,
	next: OrderStatus,
	options: { paymentStatus?: string } = {},
	field = 'status',
): void {
	if (FINAL.has(previous)) {
		throw new InputError(
			field,
			`Cannot change an order from "${previous}" to "${next}": "${previous}" is final`,
			'Meta would reject this update (error 2046)',
		);
	}
	if (previous !== 'pending' && next === 'pending') {
		throw new InputError(
			field,
			`Cannot change an order from "${previous}" back to "pending"`,
			'Meta would reject this update (error 2046)',
		);
	}
	const payment = options.paymentStatus?.toLowerCase();
	if (next === 'canceled' && (payment === 'captured' || payment === 'pending')) {
		throw new InputError(
			field,
			`Cannot cancel an order whose payment is ${payment}`,
			'Refund the payment instead of canceling (Meta error 2047)',
		);
	}
}
