/**
 * A loopback Razorpay (payment links, payments, refunds) for tests, the sandbox and benchmarks. It checks
 * what Razorpay checks: Basic auth exactly, JSON bodies, integer paise, unique reference_id (a reuse is refused
 * with "payment link creation with reference ID already attempted", and payment links have no idempotency
 * key), expire_by at
 * least 15 minutes ahead, X-Refund-Idempotency (same key + same body = same refund, different body = 400),
 * over-refunds and fully refunded payments; and answers in Razorpay's shapes and error envelope.
 */
import { createHash, createHmac } from 'crypto';

import { basicAuth, Counterpart } from './server';
import type { RecordedRequest, Reply } from './server';

type Entity = Record<string, unknown>;

const error = (status: number, description: string, field?: string, code = 'BAD_REQUEST_ERROR'): Reply => ({
	status,
	body: { error: { code, description, source: 'business', step: 'payment_initiation', reason: 'input_validation_failed', metadata: {}, ...(field ? { field } : {}) } },
});

export class RazorpayCounterpart extends Counterpart {
	keyId = 'rzp_test_1DP5mmOlF5G5ag';
	keySecret = 'thisisasecretkey';
	/** The secret typed when adding the webhook in the Dashboard (signs deliveries, see `webhook`). */
	webhookSecret = 'rzp_webhook_secret_for_tests';
	readonly links = new Map<string, Entity>();
	readonly payments = new Map<string, Entity>();
	readonly refunds = new Map<string, Entity>();
	private readonly idempotency = new Map<string, { bodyHash: string; refundId: string }>();
	private sequence = 0;

	constructor() {
		super('Razorpay');
		const guard = (handler: (r: RecordedRequest) => Reply) => (r: RecordedRequest): Reply => {
			const auth = basicAuth(r);
			if (!auth || auth.user !== this.keyId || auth.password !== this.keySecret) {
				return error(401, 'The api key provided is invalid', undefined, 'BAD_REQUEST_ERROR');
			}
			if (r.method === 'POST' && r.rawBody.length > 0 && !String(r.headers['content-type'] ?? '').includes('application/json')) {
				return error(400, 'Content-Type must be application/json');
			}
			return handler(r);
		};
		this.route('GET', '/v1/orders', guard(() => ({ status: 200, body: { entity: 'collection', count: 0, items: [] } })));
		this.route('POST', '/v1/payment_links', guard((r) => this.createLink((r.body ?? {}) as Entity)));
		// Fetch all links, filtered by reference_id (https://razorpay.com/docs/api/payments/payment-links/fetch-all-standard).
		this.route('GET', '/v1/payment_links', guard((r) => ({
			status: 200,
			body: { payment_links: [...this.links.values()].filter((link) => r.query.reference_id === undefined || link.reference_id === r.query.reference_id).reverse() },
		})));
		this.route('GET', '/v1/payment_links/:id', guard((r) => this.found(this.links.get(r.params.id), 'payment_link')));
		this.route('POST', '/v1/payment_links/:id/cancel', guard((r) => {
			const link = this.links.get(r.params.id);
			if (!link) return this.found(undefined, 'payment_link');
			if (link.status !== 'created') return error(400, `Payment link cannot be cancelled in ${String(link.status)} status`);
			link.status = 'cancelled';
			return { status: 200, body: link };
		}));
		this.route('GET', '/v1/payments/:id', guard((r) => this.found(this.payments.get(r.params.id), 'payment')));
		this.route('POST', '/v1/payments/:id/refund', guard((r) => this.refund(r)));
		this.route('GET', '/v1/payments/:id/refunds', guard((r) => {
			if (!this.payments.has(r.params.id)) return this.found(undefined, 'payment');
			const items = [...this.refunds.values()].filter((refund) => refund.payment_id === r.params.id).reverse();
			return { status: 200, body: { entity: 'collection', count: items.length, items } };
		}));
		this.route('GET', '/v1/refunds/:id', guard((r) => this.found(this.refunds.get(r.params.id), 'refund')));
	}

	override reset(): void {
		super.reset();
		this.links.clear();
		this.payments.clear();
		this.refunds.clear();
		this.idempotency.clear();
	}

	private id(prefix: string): string {
		this.sequence += 1;
		return `${prefix}_${String(this.sequence).padStart(14, '0')}`;
	}

	private found(entity: Entity | undefined, kind: string): Reply {
		return entity ? { status: 200, body: entity } : error(400, `The ${kind} id provided does not exist`, 'id');
	}

	private createLink(body: Entity): Reply {
		if (!Number.isInteger(body.amount) || (body.amount as number) < 100) return error(400, 'The amount must be atleast INR 1.00', 'amount');
		const currency = String(body.currency ?? 'INR');
		const reference = body.reference_id === undefined ? undefined : String(body.reference_id);
		if (reference !== undefined && reference.length > 40) return error(400, 'The reference id may not be greater than 40 characters.', 'reference_id');
		if (reference && [...this.links.values()].some((link) => link.reference_id === reference)) {
			return error(400, 'payment link creation with reference ID already attempted', 'reference_id');
		}
		const now = Math.floor(Date.now() / 1000);
		if (body.expire_by !== undefined && (!Number.isInteger(body.expire_by) || (body.expire_by as number) < now + 15 * 60)) {
			return error(400, 'expire by time should be at least 15 minutes after current time', 'expire_by');
		}
		const notes = (body.notes ?? {}) as Entity;
		if (Object.keys(notes).length > 15) return error(400, 'Number of notes can not be more than 15', 'notes');
		const id = this.id('plink');
		const link: Entity = {
			id,
			entity: 'payment_link',
			amount: body.amount,
			amount_paid: 0,
			currency,
			accept_partial: Boolean(body.accept_partial),
			reference_id: reference ?? '',
			description: body.description ?? '',
			customer: body.customer ?? {},
			notify: body.notify ?? { sms: true, email: true },
			notes: Object.keys(notes).length ? notes : null,
			expire_by: body.expire_by ?? 0,
			callback_url: body.callback_url ?? '',
			callback_method: body.callback_method ?? '',
			short_url: `https://rzp.io/i/${id.slice(-6)}`,
			status: 'created',
			payments: null,
			created_at: now,
		};
		this.links.set(id, link);
		return { status: 200, body: link };
	}

	/** The customer pays the link: a captured payment appears on it (test and sandbox helper). */
	markLinkPaid(linkId: string, amount?: number): Entity {
		const link = this.links.get(linkId);
		if (!link) throw new Error(`no link ${linkId}`);
		const paid = amount ?? (link.amount as number) - (link.amount_paid as number);
		const payment: Entity = {
			id: this.id('pay'),
			entity: 'payment',
			amount: paid,
			currency: link.currency,
			status: 'captured',
			order_id: this.id('order'),
			method: 'upi',
			amount_refunded: 0,
			refund_status: null,
			captured: true,
			email: (link.customer as Entity).email ?? '',
			contact: (link.customer as Entity).contact ?? '',
			notes: link.notes ?? [],
			created_at: Math.floor(Date.now() / 1000),
		};
		this.payments.set(payment.id as string, payment);
		link.amount_paid = (link.amount_paid as number) + paid;
		link.status = (link.amount_paid as number) >= (link.amount as number) ? 'paid' : 'partially_paid';
		link.payments = [...((link.payments as Entity[] | null) ?? []), { payment_id: payment.id, amount: paid, status: 'captured', method: 'upi' }];
		return payment;
	}

	private refund(r: RecordedRequest): Reply {
		const payment = this.payments.get(r.params.id);
		if (!payment) return this.found(undefined, 'payment');
		const body = (r.body ?? {}) as Entity;
		const key = r.headers['x-refund-idempotency'];
		const bodyHash = createHash('sha256').update(r.rawBody).digest('hex');
		if (key !== undefined) {
			if (!/^[A-Za-z0-9_-]{10,}$/.test(key)) return error(400, 'X-Refund-Idempotency must be at least 10 characters of letters, digits, - or _');
			const seen = this.idempotency.get(key);
			if (seen) {
				if (seen.bodyHash !== bodyHash) return error(400, 'Different request body sent for the same idempotency key');
				return { status: 200, body: this.refunds.get(seen.refundId) };
			}
		}
		if (body.amount !== undefined && (!Number.isInteger(body.amount) || (body.amount as number) <= 0)) {
			return error(400, 'The amount must be an integer greater than 0.', 'amount');
		}
		const left = (payment.amount as number) - (payment.amount_refunded as number);
		if (left <= 0) return error(400, 'The payment has been fully refunded already.');
		const amount = (body.amount as number | undefined) ?? left;
		if (amount > left) return error(400, 'The refund amount provided is greater than amount captured.', 'amount');
		const refund: Entity = {
			id: this.id('rfnd'),
			entity: 'refund',
			amount,
			currency: payment.currency,
			payment_id: payment.id,
			notes: body.notes ?? [],
			receipt: body.receipt ?? null,
			status: 'processed',
			speed_requested: body.speed ?? 'normal',
			speed_processed: 'normal',
			created_at: Math.floor(Date.now() / 1000),
		};
		this.refunds.set(refund.id as string, refund);
		payment.amount_refunded = (payment.amount_refunded as number) + amount;
		payment.refund_status = payment.amount_refunded === payment.amount ? 'full' : 'partial';
		if (payment.refund_status === 'full') payment.status = 'refunded';
		if (key !== undefined) this.idempotency.set(key, { bodyHash, refundId: refund.id as string });
		return { status: 200, body: refund };
	}

	/**
	 * A webhook delivery as Razorpay sends it: the event envelope, X-Razorpay-Signature (hex HMAC-SHA256 of the
	 * raw body with the webhook secret) and x-razorpay-event-id. Hand it to a trigger (test/harness/webhook.ts).
	 */
	webhook(event: string, entities: Record<string, Entity>, eventId = this.id('evt')): { rawBody: string; headers: Record<string, string> } {
		const rawBody = JSON.stringify({
			entity: 'event',
			account_id: 'acc_test_counterpart',
			event,
			contains: Object.keys(entities),
			payload: Object.fromEntries(Object.entries(entities).map(([name, entity]) => [name, { entity }])),
			created_at: Math.floor(Date.now() / 1000),
		});
		return {
			rawBody,
			headers: {
				'content-type': 'application/json',
				'x-razorpay-signature': createHmac('sha256', this.webhookSecret).update(rawBody).digest('hex'),
				'x-razorpay-event-id': eventId,
			},
		};
	}

	/** payment_link.paid for a link paid with `markLinkPaid`, carrying the link and its last payment. */
	linkPaidWebhook(linkId: string): { rawBody: string; headers: Record<string, string> } {
		const link = this.links.get(linkId);
		const payments = (link?.payments as Entity[] | null) ?? [];
		const payment = this.payments.get(String(payments[payments.length - 1]?.payment_id));
		if (!link || !payment) throw new Error(`link ${linkId} has no payment: call markLinkPaid first`);
		return this.webhook(link.status === 'paid' ? 'payment_link.paid' : 'payment_link.partially_paid', { payment_link: link, payment });
	}

	/** refund.processed for a refund made through the API. */
	refundProcessedWebhook(refundId: string): { rawBody: string; headers: Record<string, string> } {
		const refund = this.refunds.get(refundId);
		if (!refund) throw new Error(`no refund ${refundId}`);
		return this.webhook('refund.processed', { refund, payment: this.payments.get(String(refund.payment_id)) ?? {} });
	}
}
