/**
 * Effects happen once (issue 14, items 2-5): a 500 returned after the gateway committed, the ERP sending the same
 * invoice twice, a workflow re-run and concurrent refunds of one payment never create a second object, and every
 * create and refund output says `replayed: true|false`.
 *
 * "5xx after commit" = the counterpart runs the request (the object exists, Stripe keeps the idempotent result),
 * then answers 500 (test/counterparts/faults.ts failAfterCommit), as a failing proxy or load balancer does.
 */
import type { IDataObject } from 'n8n-workflow';

import { heldKeys } from '../../nodes/shared/effects/serialize';
import { failAfterCommit } from '../counterparts/faults';
import { LyraCounterpart } from '../counterparts/lyra';
import { PayUCounterpart } from '../counterparts/payu';
import { RazorpayCounterpart } from '../counterparts/razorpay';
import { StripeCounterpart } from '../counterparts/stripe';
import { runNode, TestCredentialsHelper } from '../harness/engine';

const node = (gateway: string, credential: string, parameters: IDataObject, helper: TestCredentialsHelper) =>
	runNode({ type: 'paymentGateway', parameters: { gateway, ...parameters }, credentials: [credential] }, [{}], helper);

describe('Effects once: Stripe', () => {
	const stripe = new StripeCounterpart();
	beforeAll(async () => {
		await stripe.start();
	});
	afterAll(async () => {
		await stripe.stop();
	});
	beforeEach(() => stripe.reset());

	const run = (parameters: IDataObject) =>
		node('stripe', 'waCommerceStripeApi', parameters, new TestCredentialsHelper().set('waCommerceStripeApi', { secretKey: stripe.secretKey, webhookSigningSecret: 'whsec_x', baseUrl: stripe.baseUrl }));
	const createLink = (extra: IDataObject = {}) =>
		run({
			resource: 'paymentLink',
			operation: 'create',
			amount: '19.99',
			currency: 'EUR',
			reference: 'INV-5001',
			linkOptions: { callbackUrl: 'https://shop.example.com/thanks' },
			...extra,
		});

	it('Checkout Session: a 500 after Stripe created it is retried with the same Idempotency-Key: one session, replayed false', async () => {
		const fault = failAfterCommit('POST', /^\/v1\/checkout\/sessions$/);
		stripe.injectAfter(fault);
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(fault.hits).toBe(1);
		const posts = stripe.received('POST', '/v1/checkout/sessions');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers['idempotency-key']).toMatch(/^wa_[0-9a-f]{40}$/);
		expect(posts[1].headers['idempotency-key']).toBe(posts[0].headers['idempotency-key']);
		expect(stripe.sessions.size).toBe(1);
		expect(result.items[0].json).toMatchObject({ linkId: [...stripe.sessions.keys()][0], replayed: false });
	});

	it('the ERP sending the same invoice again gets the same session back, replayed true', async () => {
		const first = await createLink();
		const second = await createLink();
		expect(stripe.sessions.size).toBe(1);
		expect(first.items[0].json.replayed).toBe(false);
		expect(second.items[0].json).toMatchObject({ linkId: first.items[0].json.linkId, url: first.items[0].json.url, replayed: true });
	});

	it('the same invoice with another amount is another order: a new session; the same key with other details is a clear error', async () => {
		await createLink();
		const corrected = await createLink({ amount: '21.00' });
		expect(corrected.items[0].json.replayed).toBe(false);
		expect(stripe.sessions.size).toBe(2);
		const changed = await createLink({ description: 'Another text' });
		expect(changed.error?.message).toMatch(/idempotency_error|same parameters/);
		expect(changed.error?.description).toMatch(/INV-5001/);
		expect(stripe.sessions.size).toBe(2);
	});

	it('Payment Link object: same invoice twice and a 500 after commit still make one link', async () => {
		stripe.injectAfter(failAfterCommit('POST', /^\/v1\/payment_links$/));
		const first = await createLink({ stripeObject: 'paymentLink' });
		const second = await createLink({ stripeObject: 'paymentLink' });
		expect(stripe.paymentLinks.size).toBe(1);
		expect(first.items[0].json.replayed).toBe(false);
		expect(second.items[0].json).toMatchObject({ linkId: first.items[0].json.linkId, replayed: true });
	});

	it('refund: a 500 after Stripe refunded is retried with the same key: one refund, replayed false; a re-run says replayed true', async () => {
		const paymentId = stripe.createSucceededPayment(10000, 'eur').id as string;
		stripe.injectAfter(failAfterCommit('POST', /^\/v1\/refunds$/));
		const first = await run({ resource: 'refund', operation: 'create', paymentId, refundType: 'partial', amount: '30.00', currency: 'EUR' });
		expect(first.error).toBeUndefined();
		expect(stripe.refunds.size).toBe(1);
		expect(first.items[0].json).toMatchObject({ amount: { minor: 3000 }, replayed: false });
		const again = await run({ resource: 'refund', operation: 'create', paymentId, refundType: 'partial', amount: '30.00', currency: 'EUR' });
		expect(again.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
		expect(stripe.refunds.size).toBe(1);
	});

	it('cancel (expire) carries an Idempotency-Key too', async () => {
		const created = await createLink();
		await run({ resource: 'paymentLink', operation: 'cancel', linkId: created.items[0].json.linkId });
		const [expire] = stripe.received('POST', /\/expire$/);
		expect(expire.headers['idempotency-key']).toMatch(/^wa_[0-9a-f]{40}$/);
	});
});

describe('Effects once: Razorpay', () => {
	const razorpay = new RazorpayCounterpart();
	beforeAll(async () => {
		await razorpay.start();
	});
	afterAll(async () => {
		await razorpay.stop();
	});
	beforeEach(() => razorpay.reset());

	const run = (parameters: IDataObject) =>
		node('razorpay', 'waCommerceRazorpayApi', parameters, new TestCredentialsHelper().set('waCommerceRazorpayApi', { keyId: razorpay.keyId, keySecret: razorpay.keySecret, webhookSecret: 'x', baseUrl: razorpay.baseUrl }));
	const createLink = (extra: IDataObject = {}) =>
		run({ resource: 'paymentLink', operation: 'create', amount: '1499.00', currency: 'INR', reference: 'INV-6001', ...extra });

	it('link: a 500 after Razorpay created it finds the link by reference_id instead of failing with "already attempted"', async () => {
		const fault = failAfterCommit('POST', /^\/v1\/payment_links$/);
		razorpay.injectAfter(fault);
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(fault.hits).toBe(1);
		expect(razorpay.links.size).toBe(1);
		const link = [...razorpay.links.values()][0];
		expect(result.items[0].json).toMatchObject({ linkId: link.id, url: link.short_url, replayed: false });
		// Looked up before the POST and again before sending it a second time: never a blind retry.
		expect(razorpay.received('POST', '/v1/payment_links')).toHaveLength(1);
		expect(razorpay.received('GET', '/v1/payment_links').map((r) => r.query)).toEqual([{ reference_id: 'INV-6001' }, { reference_id: 'INV-6001' }]);
	});

	it('link: the same reference again returns the existing link, replayed true, without a second POST', async () => {
		const first = await createLink();
		const second = await createLink();
		expect(second.error).toBeUndefined();
		expect(second.items[0].json).toMatchObject({ linkId: first.items[0].json.linkId, replayed: true });
		expect(first.items[0].json.replayed).toBe(false);
		expect(razorpay.received('POST', '/v1/payment_links')).toHaveLength(1);
	});

	it('link: "reference ID already attempted" (created by someone else between look-up and POST) returns that link, replayed true', async () => {
		let raced = false;
		razorpay.inject((r) => {
			if (r.method === 'POST' && r.path === '/v1/payment_links' && !raced) {
				raced = true;
				// Another execution created the link just before this POST arrived.
				(razorpay as unknown as { createLink(body: IDataObject): unknown }).createLink({ ...(r.body as IDataObject) });
			}
			return undefined;
		});
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(razorpay.links.size).toBe(1);
		expect(result.items[0].json).toMatchObject({ linkId: [...razorpay.links.keys()][0], replayed: true });
	});

	it('link: a reference used for another amount is refused, naming the reference; nothing is created', async () => {
		await createLink();
		const other = await createLink({ amount: '10.00' });
		expect(other.error?.message).toMatch(/reference/i);
		expect(other.error?.message).toContain('INV-6001');
		expect(razorpay.links.size).toBe(1);
	});

	it('refund: a re-run is looked up first and says replayed true; a 500 after commit is one refund, replayed false', async () => {
		const payment = razorpay.markLinkPaid(String((await createLink()).items[0].json.linkId));
		razorpay.injectAfter(failAfterCommit('POST', /\/refund$/));
		const refund = () => run({ resource: 'refund', operation: 'create', paymentId: String(payment.id), refundType: 'partial', amount: '100.00', currency: 'INR' });
		const first = await refund();
		expect(first.error).toBeUndefined();
		expect(razorpay.refunds.size).toBe(1);
		expect(first.items[0].json).toMatchObject({ amount: { minor: 10000 }, replayed: false });
		const again = await refund();
		expect(again.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
		expect(razorpay.refunds.size).toBe(1);
		const [post] = razorpay.received('POST', /\/refund$/);
		expect(post.headers['x-refund-idempotency']).toMatch(/^rf_[0-9a-f]{29}$/);
	});
});

describe('Effects once: Lyra (no idempotency key)', () => {
	const lyra = new LyraCounterpart();
	beforeAll(async () => {
		await lyra.start();
	});
	afterAll(async () => {
		await lyra.stop();
	});
	let uuid: string;
	beforeEach(() => {
		lyra.reset();
		uuid = lyra.addTransaction({ amount: 10000, currency: 'EUR', orderId: 'ORD-7001' }).uuid as string;
	});

	const run = (parameters: IDataObject) => node('lyra', 'waCommerceLyraApi', parameters, new TestCredentialsHelper().set('waCommerceLyraApi', lyra.credentials()));
	const refund = (amount: string, refundKey = '') => run({ resource: 'refund', operation: 'create', paymentId: uuid, refundType: 'partial', amount, currency: 'EUR', refundKey });
	const refunds = () => [...lyra.transactions.values()].filter((t) => t.operationType === 'CREDIT');
	const posts = () => lyra.received('POST', '/api-payment/V4/Transaction/CancelOrRefund');

	it('the counterpart has no key: a second identical POST makes a second refund', async () => {
		const body = { uuid, amount: 1000, currency: 'EUR', resolutionMode: 'REFUND_ONLY' };
		const auth = `Basic ${Buffer.from(`${lyra.shopId}:${lyra.password}`).toString('base64')}`;
		for (let i = 0; i < 2; i++) {
			await fetch(`${lyra.baseUrl}/api-payment/V4/Transaction/CancelOrRefund`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
		}
		expect(refunds()).toHaveLength(2);
	});

	it('30.00 refunded, then a 500: the refund is looked up, not sent again: 30.00, never 60.00', async () => {
		lyra.injectAfter(failAfterCommit('POST', /CancelOrRefund$/));
		const result = await refund('30.00');
		expect(result.error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(lyra.refundedOf(uuid)).toBe(3000);
		expect(refunds()).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ refundId: refunds()[0].uuid, amount: { minor: 3000 }, replayed: false });
	});

	it('a 500 before Lyra did anything: nothing found, so the refund is sent once more (one refund)', async () => {
		let failed = false;
		lyra.inject((r) => {
			if (!failed && r.path.endsWith('CancelOrRefund')) {
				failed = true;
				return { status: 500, body: 'upstream error' };
			}
			return undefined;
		});
		const result = await refund('30.00');
		expect(result.error).toBeUndefined();
		expect(posts()).toHaveLength(2);
		expect(refunds()).toHaveLength(1);
		expect(result.items[0].json.replayed).toBe(false);
	});

	it('two concurrent runs of the same refund (50.00 on 100.00): one refund, the other replayed', async () => {
		const [a, b] = await Promise.all([refund('50.00'), refund('50.00')]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(refunds()).toHaveLength(1);
		expect(posts()).toHaveLength(1);
		expect([a.items[0].json.replayed, b.items[0].json.replayed].sort()).toEqual([false, true]);
		expect(heldKeys()).toBe(0);
	});

	it('three concurrent partial refunds of 50.00 with different keys on 100.00: two refunds, the third refused before sending', async () => {
		const results = await Promise.all([refund('50.00', 'CN-1'), refund('50.00', 'CN-2'), refund('50.00', 'CN-3')]);
		expect(refunds()).toHaveLength(2);
		expect(posts()).toHaveLength(2);
		expect(lyra.refundedOf(uuid)).toBe(10000);
		const errors = results.filter((result) => result.error);
		expect(errors).toHaveLength(1);
		expect(errors[0].error?.message).toMatch(/fully refunded already|above what is left/);
		expect(heldKeys()).toBe(0);
	});

	it('payment order create: a 500 after Lyra created it is not sent again blindly (Lyra has no key, no look-up by orderId)', async () => {
		lyra.injectAfter(failAfterCommit('POST', /CreatePaymentOrder$/));
		const result = await run({ resource: 'paymentLink', operation: 'create', amount: '19.99', currency: 'EUR', reference: 'ORD-7002' });
		expect(lyra.paymentOrders.size).toBe(1);
		expect(lyra.received('POST', '/api-payment/V4/Charge/CreatePaymentOrder')).toHaveLength(1);
		expect(result.error?.message).toMatch(/may have been processed/);
		expect(result.error?.description).toMatch(/Back Office/);
	});

	it('a first create says replayed false', async () => {
		const result = await run({ resource: 'paymentLink', operation: 'create', amount: '19.99', currency: 'EUR', reference: 'ORD-7003' });
		expect(result.items[0].json.replayed).toBe(false);
	});
});

describe('Effects once: PayU', () => {
	const payu = new PayUCounterpart();
	beforeAll(async () => {
		await payu.start();
	});
	afterAll(async () => {
		await payu.stop();
	});
	beforeEach(() => payu.reset());

	const run = (parameters: IDataObject) => node('payu', 'waCommercePayUApi', parameters, new TestCredentialsHelper().set('waCommercePayUApi', payu.credentials()));
	const createLink = () => run({ resource: 'paymentLink', operation: 'create', amount: '1499.00', currency: 'INR', reference: 'INV-8001', description: 'Invoice INV-8001' });

	it('link: a 500 after PayU created it finds the link by invoice number: one link, replayed false', async () => {
		payu.injectAfter(failAfterCommit('POST', /^\/payment-links$/));
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(payu.links.size).toBe(1);
		expect(payu.received('POST', '/payment-links')).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ linkId: 'INV-8001', replayed: false });
	});

	it('link: the same invoice again returns the existing link, replayed true', async () => {
		await createLink();
		const again = await createLink();
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ linkId: 'INV-8001', replayed: true });
		expect(payu.received('POST', '/payment-links')).toHaveLength(1);
	});

	it('a full refund run twice: the second is the first refund replayed, not "fully refunded"', async () => {
		await createLink();
		const txn = payu.payLink('INV-8001');
		const first = await run({ resource: 'refund', operation: 'create', paymentId: txn.mihpayid, refundType: 'full' });
		expect(first.items[0].json.replayed).toBe(false);
		const again = await run({ resource: 'refund', operation: 'create', paymentId: txn.mihpayid, refundType: 'full' });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
		expect(payu.refunds.size).toBe(1);
	});
});
