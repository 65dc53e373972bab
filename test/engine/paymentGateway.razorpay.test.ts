import type { IDataObject } from 'n8n-workflow';

import { runNode, TestCredentialsHelper } from '../harness/engine';
import { testCredential } from '../harness/credentialTest';
import { RazorpayCounterpart } from '../counterparts/razorpay';

describe('Payment Gateway: Razorpay through the real engine', () => {
	const razorpay = new RazorpayCounterpart();
	beforeAll(async () => {
		await razorpay.start();
	});
	afterAll(async () => {
		await razorpay.stop();
	});
	beforeEach(() => razorpay.reset());

	const data = (overrides: IDataObject = {}) => ({
		keyId: razorpay.keyId,
		keySecret: razorpay.keySecret,
		webhookSecret: 'whsec',
		baseUrl: razorpay.baseUrl,
		...overrides,
	});
	const run = (parameters: IDataObject, input: IDataObject[] = [{}], options: { continueOnFail?: boolean; credentials?: IDataObject } = {}) =>
		runNode(
			{
				type: 'paymentGateway',
				parameters: { gateway: 'razorpay', ...parameters },
				credentials: ['waCommerceRazorpayApi'],
				...(options.continueOnFail ? { continueOnFail: true } : {}),
			},
			input,
			new TestCredentialsHelper().set('waCommerceRazorpayApi', data(options.credentials)),
		);
	const basic = () => `Basic ${Buffer.from(`${razorpay.keyId}:${razorpay.keySecret}`).toString('base64')}`;
	const createLink = (extra: IDataObject = {}) =>
		run({
			resource: 'paymentLink',
			operation: 'create',
			amount: '1499.99',
			currency: 'INR',
			reference: 'INV-1001',
			description: 'Invoice INV-1001',
			customer: { name: 'Asha Rao', email: 'asha@example.com', phone: '+91 98765 43210' },
			linkOptions: { notes: '{"erp_id": 42}' },
			...extra,
		});

	it('Payment Link > Create: exact request in paise with Basic auth, one output shape', async () => {
		const result = await createLink();
		expect(result.error).toBeUndefined();
		const [request] = razorpay.received('POST', '/v1/payment_links');
		expect(request.headers.authorization).toBe(basic());
		expect(request.body).toEqual({
			amount: 149999,
			currency: 'INR',
			reference_id: 'INV-1001',
			description: 'Invoice INV-1001',
			customer: { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' },
			notify: { sms: false, email: false },
			notes: { erp_id: '42' },
		});
		const link = [...razorpay.links.values()][0];
		expect(result.items[0].json).toMatchObject({
			gateway: 'razorpay',
			linkId: link.id,
			url: link.short_url,
			status: 'created',
			reference: 'INV-1001',
			amount: { minor: 149999, currency: 'INR', decimal: '1499.99' },
			customer: { name: 'Asha Rao', email: 'asha@example.com', phone: '+919876543210' },
		});
		expect(result.items[0].json.raw).toBeDefined();
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('sends X-Razorpay-Account only when the credential has an account id', async () => {
		await createLink();
		expect(razorpay.received('POST', '/v1/payment_links')[0].headers).not.toHaveProperty('x-razorpay-account');
		await run({ resource: 'payment', operation: 'get', paymentId: 'pay_x' }, [{}], { credentials: { accountId: 'acc_Ef7ArAsdU5t0XL' } });
		expect(razorpay.received('GET', '/v1/payments/pay_x')[0].headers['x-razorpay-account']).toBe('acc_Ef7ArAsdU5t0XL');
	});

	it('an expiry under 15 minutes is refused before sending; a later one goes out as epoch seconds', async () => {
		const soon = await createLink({ linkOptions: { expiresAt: new Date(Date.now() + 5 * 60_000).toISOString() } });
		expect(soon.error?.message).toMatch(/at least 15 minutes from now/);
		expect(razorpay.requests).toHaveLength(0);
		const expireBy = Math.floor(Date.now() / 1000) + 3600;
		const later = await createLink({ linkOptions: { expiresAt: new Date(expireBy * 1000).toISOString() } });
		expect((razorpay.received('POST', '/v1/payment_links')[0].body as IDataObject).expire_by).toBe(expireBy);
		expect(later.items[0].json.expiresAt).toBe(new Date(expireBy * 1000).toISOString());
	});

	describe('the counterpart refuses what Razorpay refuses', () => {
		const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
			fetch(`${razorpay.baseUrl}${path}`, {
				method: 'POST',
				headers: { Authorization: basic(), 'Content-Type': 'application/json', ...headers },
				body: typeof body === 'string' ? body : JSON.stringify(body),
			}).then(async (response) => ({ status: response.status, body: (await response.json()) as { error?: { description?: string; field?: string } } & IDataObject }));

		it('decimal amounts, early expiry, a form body and a wrong key pair', async () => {
			expect((await post('/v1/payment_links', { amount: 1499.99, currency: 'INR' })).body.error?.field).toBe('amount');
			const early = await post('/v1/payment_links', { amount: 1000, currency: 'INR', expire_by: Math.floor(Date.now() / 1000) + 60 });
			expect(early.body.error?.description).toBe('expire by time should be at least 15 minutes after current time');
			expect((await post('/v1/payment_links', 'amount=1000', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(400);
			const wrong = await post('/v1/payment_links', { amount: 1000 }, { Authorization: `Basic ${Buffer.from(`${razorpay.keyId}:x`).toString('base64')}` });
			expect(wrong.status).toBe(401);
		});

		it('X-Refund-Idempotency: same key + same body = same refund; same key + other body = 400', async () => {
			const created = await createLink();
			const payment = razorpay.markLinkPaid(created.items[0].json.linkId as string);
			const path = `/v1/payments/${String(payment.id)}/refund`;
			const key = { 'X-Refund-Idempotency': 'order-42-refund-1' };
			const first = await post(path, { amount: 100 }, key);
			const again = await post(path, { amount: 100 }, key);
			expect(again.body.id).toBe(first.body.id);
			const other = await post(path, { amount: 200 }, key);
			expect(other.status).toBe(400);
			expect(other.body.error?.description).toMatch(/Different request body/);
			expect((await post(path, { amount: 100 }, { 'X-Refund-Idempotency': 'short' })).status).toBe(400);
			expect(razorpay.refunds.size).toBe(1);
		});
	});

	it('a reused reference returns the existing link (replayed) without a second POST; for another amount it is refused, naming it', async () => {
		const first = await createLink();
		const again = await createLink();
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ linkId: first.items[0].json.linkId, replayed: true });
		const other = await createLink({ amount: '10.00' });
		expect(other.error?.message).toMatch(/Reference: The reference INV-1001 was used for a Razorpay link of 1499\.99 INR/);
		expect(other.error?.description).toMatch(/new reference/);
		expect(razorpay.received('POST', '/v1/payment_links')).toHaveLength(1);
	});

	it('Get shows the link paid after the customer pays; Cancel refuses a paid link with Razorpay\'s message', async () => {
		const created = await createLink();
		const linkId = created.items[0].json.linkId as string;
		const payment = razorpay.markLinkPaid(linkId);
		const got = await run({ resource: 'paymentLink', operation: 'get', linkId });
		expect(got.items[0].json).toMatchObject({ status: 'paid', amountPaid: { minor: 149999 }, paymentIds: [payment.id] });
		const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId });
		expect(cancel.error?.message).toContain('cannot be cancelled');
	});

	it('Cancel cancels an unpaid link', async () => {
		const created = await createLink();
		const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId: created.items[0].json.linkId });
		expect(cancel.items[0].json.status).toBe('cancelled');
	});

	describe('Refunds', () => {
		let paymentId: string;
		beforeEach(async () => {
			const created = await createLink();
			paymentId = razorpay.markLinkPaid(created.items[0].json.linkId as string).id as string;
		});
		const refund = (extra: IDataObject = {}) => run({ resource: 'refund', operation: 'create', paymentId, ...extra });

		it('a partial refund is sent once with X-Refund-Idempotency; re-running the workflow does not refund twice', async () => {
			const first = await refund({ refundType: 'partial', amount: '499.99', currency: 'INR', reason: 'item missing' });
			expect(first.error).toBeUndefined();
			const second = await refund({ refundType: 'partial', amount: '499.99', currency: 'INR', reason: 'item missing' });
			expect(second.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
			expect(first.items[0].json.replayed).toBe(false);
			// The re-run finds the refund by the key kept in its notes: nothing is sent again.
			const requests = razorpay.received('POST', `/v1/payments/${paymentId}/refund`);
			expect(requests).toHaveLength(1);
			expect(requests[0].headers['x-refund-idempotency']).toMatch(/^rf_[0-9a-f]{29}$/);
			expect(requests[0].body).toEqual({ amount: 49999, speed: 'normal', notes: { reason: 'item missing', wa_refund_key: requests[0].headers['x-refund-idempotency'] } });
			expect(razorpay.received('GET', `/v1/payments/${paymentId}/refunds`)).toHaveLength(2);
			expect(razorpay.refunds.size).toBe(1);
			expect(razorpay.payments.get(paymentId)!.amount_refunded).toBe(49999);
			expect(first.items[0].json).toMatchObject({ gateway: 'razorpay', paymentId, status: 'processed', amount: { minor: 49999, currency: 'INR', decimal: '499.99' } });
		});

		it('a different refund key allows a second equal partial refund on purpose', async () => {
			await refund({ refundType: 'partial', amount: '100', currency: 'INR', refundKey: 'CN-1' });
			await refund({ refundType: 'partial', amount: '100', currency: 'INR', refundKey: 'CN-2' });
			expect(razorpay.refunds.size).toBe(2);
		});

		it('a partial refund in another currency than the payment is refused; nothing is refunded', async () => {
			const result = await refund({ refundType: 'partial', amount: '5', currency: 'JPY' });
			expect(result.error?.message).toMatch(/Currency: The payment .* is in INR, not JPY/);
			expect(razorpay.received('POST', `/v1/payments/${paymentId}/refund`)).toHaveLength(0);
		});

		it('an over-refund keeps Razorpay\'s code and message with what to do', async () => {
			const result = await refund({ refundType: 'partial', amount: '2000', currency: 'INR' });
			expect(result.error?.message).toContain('The refund amount provided is greater than amount captured.');
			expect(result.error?.message).toContain('BAD_REQUEST_ERROR');
			expect(result.error?.description).toMatch(/at most what is left/);
		});

		it('a full refund refunds what is left; then "fully refunded" is a clear error', async () => {
			const full = await refund({ refundType: 'full' });
			expect(full.items[0].json.amount).toEqual({ minor: 149999, currency: 'INR', decimal: '1499.99' });
			const again = await refund({ refundType: 'full', refundKey: 'another' });
			expect(again.error?.message).toContain('The payment has been fully refunded already.');
		});

		it('Refund > Get and Payment > Get read the state back', async () => {
			const created = await refund({ refundType: 'partial', amount: '99.99', currency: 'INR' });
			const got = await run({ resource: 'refund', operation: 'get', refundId: created.items[0].json.refundId });
			expect(got.items[0].json).toMatchObject({ refundId: created.items[0].json.refundId, status: 'processed', amount: { minor: 9999 } });
			const payment = await run({ resource: 'payment', operation: 'get', paymentId });
			expect(payment.items[0].json).toMatchObject({ status: 'partially_refunded', amount: { minor: 149999 }, amountRefunded: { minor: 9999, decimal: '99.99' }, method: 'upi' });
		});
	});

	it('retries a 429 and a 503, then succeeds with one link', async () => {
		let faults = 0;
		razorpay.inject((r) => (r.method !== 'POST' ? undefined : faults++ < 2 ? (faults === 1 ? { status: 429, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'Too many requests' } }, headers: { 'Retry-After': '0' } } : { status: 503, body: 'busy' }) : undefined));
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(razorpay.received('POST', '/v1/payment_links')).toHaveLength(3);
		expect(razorpay.links.size).toBe(1);
	});

	it('a wrong secret is a 401 error that never shows the secret', async () => {
		const result = await run({ resource: 'payment', operation: 'get', paymentId: 'pay_x' }, [{}], { credentials: { keySecret: 'wrong-secret-value' } });
		expect(result.error?.message).toContain('The api key provided is invalid');
		expect(JSON.stringify(result.error)).not.toContain('wrong-secret-value');
		expect(JSON.stringify(result.error)).not.toContain(Buffer.from(`${razorpay.keyId}:wrong-secret-value`).toString('base64'));
	});

	it('credential test: passes with the right keys, fails with a wrong secret', async () => {
		expect((await testCredential('waCommerceRazorpayApi', data())).status).toBe('OK');
		expect((await testCredential('waCommerceRazorpayApi', data({ keySecret: 'nope' }))).status).toBe('Error');
	});
});
