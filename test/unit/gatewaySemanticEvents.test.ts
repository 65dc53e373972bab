/**
 * Semantic keys on normalized gateway events (issue 14, item 8): one refund yields the same `semanticKey`
 * whatever event type carries it (Stripe refund.created, refund.updated and charge.refunded), one payment the same
 * key for its success events, so the trigger can emit one refund.processed per refund and one success per payment.
 * Also Stripe's `charge.refunded` normalized into one refund event per refund, amounts exact in minor units, and
 * Stripe's timestamp tolerance as stripe-node applies it.
 *
 * Fixtures: Stripe event, charge and refund objects in the shapes of Stripe's API reference
 * (https://docs.stripe.com/api/events/object, /api/charges/object, /api/refunds/object); Razorpay webhook payloads
 * as in https://razorpay.com/docs/webhooks/payloads/payments/ and /refunds/; Lyra's IPN kr-answer as in the
 * payment-gateways spec; PayU's form fields as in payu-sdk-node's reverse hash vectors.
 */
import { createHmac } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import * as lyra from '../../nodes/shared/gateways/lyra/webhook';
import * as payu from '../../nodes/shared/gateways/payu/webhook';
import * as razorpay from '../../nodes/shared/gateways/razorpay/webhook';
import * as stripe from '../../nodes/shared/gateways/stripe/webhook';
import type { WebhookRequest } from '../../nodes/shared/gateways/types';

const request = (body: IDataObject, headers: Record<string, string> = {}): WebhookRequest => ({
	rawBody: Buffer.from(JSON.stringify(body)),
	headers,
	body,
	query: {},
});

const stripeEvent = (id: string, type: string, object: IDataObject): IDataObject => ({
	id,
	object: 'event',
	api_version: '2024-06-20',
	created: 1732300000,
	data: { object },
	livemode: false,
	pending_webhooks: 1,
	type,
});

const refundA = {
	id: 're_3QOv2bHk7RxBvT0Q1kEw8ZtA',
	object: 'refund',
	amount: 500,
	charge: 'ch_3QOv2bHk7RxBvT0Q1uY9Wq3s',
	created: 1732299900,
	currency: 'eur',
	metadata: {},
	payment_intent: 'pi_3QOv2bHk7RxBvT0Q1aB2cD3e',
	reason: 'requested_by_customer',
	status: 'succeeded',
};
const refundB = { ...refundA, id: 're_3QOv2bHk7RxBvT0Q1mN4pQ5r', amount: 1499, created: 1732299990 };
const charge = {
	id: 'ch_3QOv2bHk7RxBvT0Q1uY9Wq3s',
	object: 'charge',
	amount: 1999,
	amount_captured: 1999,
	amount_refunded: 1999,
	currency: 'eur',
	metadata: { reference: 'ORD-77', erp_id: '42' },
	paid: true,
	payment_intent: 'pi_3QOv2bHk7RxBvT0Q1aB2cD3e',
	refunded: true,
	refunds: { object: 'list', data: [refundB, refundA], has_more: false, total_count: 2, url: '/v1/charges/ch_3QOv2bHk7RxBvT0Q1uY9Wq3s/refunds' },
	status: 'succeeded',
};

describe('Stripe charge.refunded', () => {
	it('becomes one refund.processed per refund listed on the charge, amounts exact, with the refund semantic key', () => {
		const events = stripe.toEvents(request(stripeEvent('evt_3QOv2bHk7RxBvT0Q1xYz0001', 'charge.refunded', charge)));
		expect(events).toHaveLength(2);
		const byId = Object.fromEntries(events.map((event) => [event.refundId, event]));
		expect(byId[refundA.id]).toMatchObject({
			gateway: 'stripe',
			event: 'refund.processed',
			paymentId: 'pi_3QOv2bHk7RxBvT0Q1aB2cD3e',
			amount: { minor: 500, currency: 'EUR', decimal: '5.00' },
			reference: 'ORD-77',
			semanticKey: `refund:stripe:${refundA.id}`,
		});
		expect(byId[refundB.id]).toMatchObject({ amount: { minor: 1499, decimal: '14.99' }, semanticKey: `refund:stripe:${refundB.id}` });
		// Each event of one delivery has its own id (transport dedupe); the semantic key is per refund.
		expect(new Set(events.map((event) => event.eventId)).size).toBe(2);
	});

	it('refund.created, refund.updated and charge.refunded for one refund all carry the same semantic key', () => {
		const created = stripe.toEvents(request(stripeEvent('evt_1', 'refund.created', refundA)));
		const updated = stripe.toEvents(request(stripeEvent('evt_2', 'refund.updated', refundA)));
		const fromCharge = stripe.toEvents(request(stripeEvent('evt_3', 'charge.refunded', { ...charge, refunds: { ...charge.refunds, data: [refundA] } })));
		const keys = [...created, ...updated, ...fromCharge].map((event) => event.semanticKey);
		expect(keys).toEqual([`refund:stripe:${refundA.id}`, `refund:stripe:${refundA.id}`, `refund:stripe:${refundA.id}`]);
	});

	it('a pending refund on the charge yields nothing yet; a failed one a refund.failed with its own key', () => {
		const pending = { ...refundA, status: 'pending' };
		const failed = { ...refundB, status: 'failed' };
		const events = stripe.toEvents(request(stripeEvent('evt_4', 'charge.refunded', { ...charge, refunds: { ...charge.refunds, data: [pending, failed] } })));
		expect(events.map((event) => [event.event, event.refundId, event.semanticKey])).toEqual([['refund.failed', refundB.id, `refund.failed:stripe:${refundB.id}`]]);
	});

	it('a charge.refunded without its refunds list (API versions from 2022-11-15 do not include it) yields nothing, not a guessed amount', () => {
		const { refunds: _refunds, ...bare } = charge;
		expect(stripe.toEvents(request(stripeEvent('evt_5', 'charge.refunded', bare)))).toEqual([]);
	});
});

describe('payment semantic keys', () => {
	it('Stripe: checkout.session.completed and payment_intent.succeeded of one payment share payment:stripe:<pi>', () => {
		const session = { id: 'cs_test_a1B2c3D4e5F6g7H8i9J0', object: 'checkout.session', amount_total: 1999, currency: 'eur', payment_intent: 'pi_3QOv2bHk7RxBvT0Q1aB2cD3e', payment_status: 'paid', status: 'complete', metadata: {} };
		const intent = { id: 'pi_3QOv2bHk7RxBvT0Q1aB2cD3e', object: 'payment_intent', amount: 1999, amount_received: 1999, currency: 'eur', status: 'succeeded', metadata: {} };
		const [completed] = stripe.toEvents(request(stripeEvent('evt_6', 'checkout.session.completed', session)));
		const [succeeded] = stripe.toEvents(request(stripeEvent('evt_7', 'payment_intent.succeeded', intent)));
		expect(completed.semanticKey).toBe('payment:stripe:pi_3QOv2bHk7RxBvT0Q1aB2cD3e');
		expect(succeeded.semanticKey).toBe('payment:stripe:pi_3QOv2bHk7RxBvT0Q1aB2cD3e');
	});

	it('Stripe: failures and expiries carry no semantic key (each delivery is its own fact)', () => {
		const [expired] = stripe.toEvents(request(stripeEvent('evt_8', 'checkout.session.expired', { id: 'cs_test_x', object: 'checkout.session', status: 'expired', metadata: {} })));
		expect(expired.semanticKey).toBeUndefined();
	});

	it('Razorpay: payment_link.paid and payment.captured share payment:razorpay:<pay>; refund.processed is refund:razorpay:<rfnd>', () => {
		const payment = { id: 'pay_29QQoUBi66xm2f', entity: 'payment', amount: 149999, currency: 'INR', status: 'captured', notes: [] };
		const link = { id: 'plink_IH3cNucfVEgV68', entity: 'payment_link', amount: 149999, amount_paid: 149999, currency: 'INR', reference_id: 'INV-1001', status: 'paid' };
		const envelope = (event: string, payload: IDataObject) => request({ entity: 'event', account_id: 'acc_BFQ7uQEaa7j2z7', event, contains: Object.keys(payload), payload, created_at: 1732300000 });
		const [paid] = razorpay.toEvents(envelope('payment_link.paid', { payment_link: { entity: link }, payment: { entity: payment } }));
		const [captured] = razorpay.toEvents(envelope('payment.captured', { payment: { entity: payment } }));
		expect(paid.semanticKey).toBe('payment:razorpay:pay_29QQoUBi66xm2f');
		expect(captured.semanticKey).toBe('payment:razorpay:pay_29QQoUBi66xm2f');
		const refund = { id: 'rfnd_FP8QHiV938haTz', entity: 'refund', amount: 49999, currency: 'INR', payment_id: 'pay_29QQoUBi66xm2f', status: 'processed' };
		const [processed] = razorpay.toEvents(envelope('refund.processed', { refund: { entity: refund }, payment: { entity: payment } }));
		expect(processed).toMatchObject({ event: 'refund.processed', refundId: 'rfnd_FP8QHiV938haTz', semanticKey: 'refund:razorpay:rfnd_FP8QHiV938haTz' });
	});

	it('Lyra: a PAID IPN is payment:lyra:<transaction uuid>', () => {
		const answer = JSON.stringify({
			shopId: '69876357',
			orderStatus: 'PAID',
			serverDate: '2024-11-22T18:26:40+00:00',
			orderDetails: { orderId: 'ORD-77', orderTotalAmount: 1999, orderCurrency: 'EUR', mode: 'TEST' },
			transactions: [{ uuid: '2ac4a5e8b4f449d3a4b7ad3e1a1e5c6d', amount: 1999, currency: 'EUR', status: 'PAID', operationType: 'DEBIT' }],
		});
		const [event] = lyra.toEvents({ rawBody: Buffer.alloc(0), headers: {}, query: {}, body: { 'kr-answer': answer } });
		expect(event.semanticKey).toBe('payment:lyra:2ac4a5e8b4f449d3a4b7ad3e1a1e5c6d');
	});

	it('PayU: a success notification is payment:payu:<mihpayid>', () => {
		const body = { mihpayid: '403993715521937565', status: 'success', txnid: '3123', amount: '1000.00', key: 'bjg$121', addedon: '2024-11-22 18:26:40' };
		const [event] = payu.toEvents({ rawBody: Buffer.alloc(0), headers: {}, query: {}, body });
		expect(event.semanticKey).toBe('payment:payu:403993715521937565');
	});
});

describe('Stripe signature timestamp, as stripe-node\'s Webhooks.constructEvent checks it', () => {
	// stripe-node src/Webhooks.ts, generateTestHeaderString: payloadString = `${timestamp}.${payload}`, signature =
	// hex HMAC-SHA256(secret, payloadString), header = `t=${timestamp},v1=${signature}`.
	const generateTestHeaderString = (payload: string, secret: string, timestamp: number) =>
		`t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`;
	const secret = 'whsec_test_secret';
	const now = 1732300000;
	const signed = (timestamp: number) => {
		const body = stripeEvent('evt_3QOv2bHk7RxBvT0Q1xYz0009', 'payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' });
		const payload = JSON.stringify(body);
		return { rawBody: Buffer.from(payload), body, query: {}, headers: { 'stripe-signature': generateTestHeaderString(payload, secret, timestamp) } } as WebhookRequest;
	};

	it('the spec vector still verifies', () => {
		expect(generateTestHeaderString('{"id":"evt_test_webhook","object":"event"}', 'whsec_test_secret', 1700000000)).toBe('t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990');
	});

	it('accepts a timestamp in the future, even beyond the tolerance (stripe-node refuses only timestampAge > tolerance)', () => {
		expect(stripe.verify(signed(now + 10), { signingSecrets: [secret] }, { now })).toEqual({ ok: true });
		expect(stripe.verify(signed(now + 301), { signingSecrets: [secret] }, { now })).toEqual({ ok: true });
		expect(stripe.verify(signed(now + 3600), { signingSecrets: [secret] }, { now })).toEqual({ ok: true });
	});

	it('accepts up to 300 s old and refuses older (replays)', () => {
		expect(stripe.verify(signed(now - 300), { signingSecrets: [secret] }, { now })).toEqual({ ok: true });
		expect(stripe.verify(signed(now - 301), { signingSecrets: [secret] }, { now })).toMatchObject({ ok: false, status: 401 });
	});
});
