import type { IDataObject } from 'n8n-workflow';

import { runNode, TestCredentialsHelper } from '../harness/engine';
import { testCredential } from '../harness/credentialTest';
import { StripeCounterpart } from '../counterparts/stripe';

describe('Payment Gateway: Stripe through the real engine', () => {
	const stripe = new StripeCounterpart();
	beforeAll(async () => {
		await stripe.start();
	});
	afterAll(async () => {
		await stripe.stop();
	});
	beforeEach(() => stripe.reset());

	const data = (overrides: IDataObject = {}) => ({
		secretKey: stripe.secretKey,
		webhookSigningSecret: 'whsec_test_secret',
		baseUrl: stripe.baseUrl,
		...overrides,
	});
	const run = (parameters: IDataObject, input: IDataObject[] = [{}], options: { continueOnFail?: boolean; credentials?: IDataObject } = {}) =>
		runNode(
			{
				type: 'paymentGateway',
				parameters: { gateway: 'stripe', ...parameters },
				credentials: ['waCommerceStripeApi'],
				...(options.continueOnFail ? { continueOnFail: true } : {}),
			},
			input,
			new TestCredentialsHelper().set('waCommerceStripeApi', data(options.credentials)),
		);
	const createLink = (extra: IDataObject = {}) =>
		run({
			resource: 'paymentLink',
			operation: 'create',
			amount: '19.99',
			currency: 'EUR',
			reference: 'ORD-77',
			description: 'Order ORD-77',
			customer: { email: 'lea@example.com', name: 'Léa Martin' },
			linkOptions: { notes: '{"erp_id": 42}', callbackUrl: 'https://shop.example.com/thanks' },
			...extra,
		});

	it('Payment Link > Create (Checkout Session): bracketed form body in cents with Bearer auth, one output shape', async () => {
		const result = await createLink();
		expect(result.error).toBeUndefined();
		const [request] = stripe.received('POST', '/v1/checkout/sessions');
		expect(request.headers.authorization).toBe(`Bearer ${stripe.secretKey}`);
		expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(request.body).toEqual({
			mode: 'payment',
			'line_items[0][price_data][currency]': 'eur',
			'line_items[0][price_data][unit_amount]': '1999',
			'line_items[0][price_data][product_data][name]': 'Order ORD-77',
			'line_items[0][quantity]': '1',
			client_reference_id: 'ORD-77',
			'metadata[erp_id]': '42',
			'metadata[reference]': 'ORD-77',
			'payment_intent_data[metadata][erp_id]': '42',
			'payment_intent_data[metadata][reference]': 'ORD-77',
			customer_email: 'lea@example.com',
			success_url: 'https://shop.example.com/thanks',
		});
		const session = [...stripe.sessions.values()][0];
		expect(result.items[0].json).toMatchObject({
			gateway: 'stripe',
			linkId: session.id,
			url: session.url,
			status: 'created',
			reference: 'ORD-77',
			amount: { minor: 1999, currency: 'EUR', decimal: '19.99' },
			customer: { email: 'lea@example.com' },
		});
		expect(result.items[0].json.raw).toBeDefined();
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('zero-decimal JPY goes out as whole yen; too many decimals is refused before anything is sent', async () => {
		const yen = await createLink({ amount: '1500', currency: 'JPY', reference: 'JP-1' });
		expect(yen.error).toBeUndefined();
		expect(stripe.received('POST', '/v1/checkout/sessions')[0].body).toMatchObject({ 'line_items[0][price_data][unit_amount]': '1500', 'line_items[0][price_data][currency]': 'jpy' });
		expect(yen.items[0].json.amount).toEqual({ minor: 1500, currency: 'JPY', decimal: '1500' });
		stripe.reset();
		const bad = await createLink({ amount: '1500.5', currency: 'JPY' });
		expect(bad.error?.message).toMatch(/more decimals than JPY allows/);
		expect(stripe.requests).toHaveLength(0);
	});

	it('Stripe\'s special currencies: ISK goes out as 100 x krónur and reads back in krónur; KWD must end in 0', async () => {
		const isk = await createLink({ amount: '4990', currency: 'ISK', reference: 'IS-1' });
		expect(isk.error).toBeUndefined();
		expect(stripe.received('POST', '/v1/checkout/sessions')[0].body).toMatchObject({ 'line_items[0][price_data][unit_amount]': '499000', 'line_items[0][price_data][currency]': 'isk' });
		expect(isk.items[0].json.amount).toEqual({ minor: 4990, currency: 'ISK', decimal: '4990' });
		const paymentId = stripe.markLinkPaid(isk.items[0].json.linkId as string).id as string;
		const refund = await run({ resource: 'refund', operation: 'create', paymentId, refundType: 'partial', amount: '990', currency: 'ISK' });
		expect(stripe.received('POST', '/v1/refunds')[0].body).toMatchObject({ amount: '99000' });
		expect(refund.items[0].json.amount).toEqual({ minor: 990, currency: 'ISK', decimal: '990' });
		const payment = await run({ resource: 'payment', operation: 'get', paymentId });
		expect(payment.items[0].json).toMatchObject({ amount: { minor: 4990 }, amountRefunded: { minor: 990 } });
		stripe.reset();
		const kwd = await createLink({ amount: '12.345', currency: 'KWD', reference: 'KW-1' });
		expect(kwd.error?.message).toMatch(/Amount: Stripe accepts KWD amounts in multiples of 0\.010/);
		expect(stripe.requests).toHaveLength(0);
		const kwdOk = await createLink({ amount: '12.340', currency: 'KWD', reference: 'KW-2' });
		expect(stripe.received('POST', '/v1/checkout/sessions')[0].body).toMatchObject({ 'line_items[0][price_data][unit_amount]': '12340' });
		expect(kwdOk.items[0].json.amount).toEqual({ minor: 12340, currency: 'KWD', decimal: '12.340' });
	});

	it('an expiry outside 30 minutes..24 hours is refused before sending; inside it is sent as epoch seconds', async () => {
		const tooSoon = await createLink({ linkOptions: { expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() } });
		expect(tooSoon.error?.message).toMatch(/30 minutes and 24 hours/);
		expect(stripe.requests).toHaveLength(0);
		const expiresAt = Math.floor(Date.now() / 1000) + 2 * 3600;
		const ok = await createLink({ linkOptions: { expiresAt: new Date(expiresAt * 1000).toISOString(), callbackUrl: 'https://shop.example.com/thanks' } });
		expect(ok.error).toBeUndefined();
		expect(stripe.received('POST', '/v1/checkout/sessions')[0].body).toMatchObject({ expires_at: String(expiresAt) });
		expect(ok.items[0].json.expiresAt).toBe(new Date(expiresAt * 1000).toISOString());
	});

	it('a Checkout Session without a Callback URL is refused before sending (Stripe requires success_url); a Payment Link needs none', async () => {
		const missing = await createLink({ linkOptions: {} });
		expect(missing.error?.message).toMatch(/Options › Callback URL/);
		expect(missing.error?.message).toMatch(/Stripe Checkout needs a Callback URL/);
		expect(missing.error?.description).toMatch(/Stripe Object to Payment Link/);
		expect(stripe.requests).toHaveLength(0);
		const plink = await createLink({ linkOptions: {}, stripeObject: 'paymentLink' });
		expect(plink.error).toBeUndefined();
		expect(stripe.received('POST', '/v1/payment_links')[0].body).not.toHaveProperty('after_completion[type]');
	});

	it('Get shows the session paid with its PaymentIntent; Cancel (expire) of a paid session keeps Stripe\'s message', async () => {
		const created = await createLink();
		const linkId = created.items[0].json.linkId as string;
		const intent = stripe.markLinkPaid(linkId, { name: 'Léa Martin' });
		const got = await run({ resource: 'paymentLink', operation: 'get', linkId });
		expect(got.items[0].json).toMatchObject({ status: 'paid', paymentIds: [intent.id], customer: { name: 'Léa Martin', email: 'lea@example.com' } });
		const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId });
		expect(cancel.error?.message).toContain('Only Checkout Sessions with a status in ["open"] can be expired');
		expect(cancel.error?.message).toContain('checkout_session_not_open');
	});

	it('Cancel expires an open Checkout Session', async () => {
		const created = await createLink();
		const linkId = created.items[0].json.linkId as string;
		const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId });
		expect(stripe.received('POST', `/v1/checkout/sessions/${linkId}/expire`)).toHaveLength(1);
		expect(cancel.items[0].json).toMatchObject({ linkId, status: 'expired' });
	});

	describe('Payment Link object', () => {
		it('creates a link limited to one payment; Get reads the amount from its line items; Cancel deactivates it', async () => {
			const created = await createLink({ stripeObject: 'paymentLink' });
			expect(created.error).toBeUndefined();
			const [request] = stripe.received('POST', '/v1/payment_links');
			expect(request.body).toMatchObject({
				'line_items[0][price_data][unit_amount]': '1999',
				'restrictions[completed_sessions][limit]': '1',
				'after_completion[type]': 'redirect',
				'after_completion[redirect][url]': 'https://shop.example.com/thanks',
				'metadata[reference]': 'ORD-77',
			});
			const linkId = created.items[0].json.linkId as string;
			expect(linkId).toMatch(/^plink_/);
			expect(created.items[0].json).toMatchObject({ status: 'created', reference: 'ORD-77', amount: { minor: 1999, currency: 'EUR', decimal: '19.99' } });
			const got = await run({ resource: 'paymentLink', operation: 'get', linkId });
			expect(got.items[0].json).toMatchObject({ status: 'created', amount: { minor: 1999, currency: 'EUR' } });
			const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId });
			expect(stripe.received('POST', `/v1/payment_links/${linkId}`)[0].body).toEqual({ active: 'false' });
			expect(cancel.items[0].json).toMatchObject({ status: 'cancelled', amount: { minor: 1999 } });
		});

		it('a Payment Link whose one payment completed reads as paid', async () => {
			const created = await createLink({ stripeObject: 'paymentLink' });
			const linkId = created.items[0].json.linkId as string;
			stripe.markLinkPaid(linkId);
			const got = await run({ resource: 'paymentLink', operation: 'get', linkId });
			expect(got.items[0].json.status).toBe('paid');
		});
	});

	describe('Refunds', () => {
		let paymentId: string;
		beforeEach(async () => {
			const created = await createLink();
			paymentId = stripe.markLinkPaid(created.items[0].json.linkId as string).id as string;
		});
		const refund = (extra: IDataObject = {}) => run({ resource: 'refund', operation: 'create', paymentId, ...extra });

		it('a partial refund carries Idempotency-Key; re-running the workflow replays the same refund, never a second one', async () => {
			const first = await refund({ refundType: 'partial', amount: '5.00', currency: 'EUR', reason: 'requested_by_customer' });
			expect(first.error).toBeUndefined();
			const second = await refund({ refundType: 'partial', amount: '5.00', currency: 'EUR', reason: 'requested_by_customer' });
			expect(second.error).toBeUndefined();
			const requests = stripe.received('POST', '/v1/refunds');
			expect(requests).toHaveLength(2);
			expect(requests[0].headers['idempotency-key']).toMatch(/^rf_[0-9a-f]{29}$/);
			expect(requests[1].headers['idempotency-key']).toBe(requests[0].headers['idempotency-key']);
			expect(requests[0].body).toEqual({
				payment_intent: paymentId,
				amount: '500',
				reason: 'requested_by_customer',
				'metadata[reason]': 'requested_by_customer',
			});
			expect(stripe.refunds.size).toBe(1);
			expect(second.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
			expect(first.items[0].json).toMatchObject({ gateway: 'stripe', paymentId, status: 'processed', amount: { minor: 500, currency: 'EUR', decimal: '5.00' } });
			expect(first.items[0].json.replayed).toBe(false);
		});

		it('a free-text reason is kept in metadata only (Stripe accepts three reason codes)', async () => {
			await refund({ refundType: 'partial', amount: '1', currency: 'EUR', reason: 'parcel lost' });
			expect(stripe.received('POST', '/v1/refunds')[0].body).toEqual({ payment_intent: paymentId, amount: '100', 'metadata[reason]': 'parcel lost' });
		});

		it('a different refund key allows a second equal partial refund on purpose', async () => {
			await refund({ refundType: 'partial', amount: '2.00', currency: 'EUR', refundKey: 'CN-1' });
			await refund({ refundType: 'partial', amount: '2.00', currency: 'EUR', refundKey: 'CN-2' });
			expect(stripe.refunds.size).toBe(2);
		});

		it('a partial refund in another currency than the payment is refused; nothing is refunded', async () => {
			const result = await refund({ refundType: 'partial', amount: '5.00', currency: 'USD' });
			expect(result.error?.message).toMatch(/Currency: The payment .* is in EUR, not USD/);
			expect(stripe.received('POST', '/v1/refunds')).toHaveLength(0);
		});

		it('an over-refund keeps Stripe\'s code and message with what to do', async () => {
			const result = await refund({ refundType: 'partial', amount: '25.00', currency: 'EUR' });
			expect(result.error?.message).toContain('amount_too_large');
			expect(result.error?.message).toContain('is greater than unrefunded amount on charge');
			expect(result.error?.description).toMatch(/at most what is left/);
			expect(stripe.refunds.size).toBe(0);
		});

		it('a full refund refunds what is left; then "already refunded" is a clear error', async () => {
			const full = await refund({ refundType: 'full' });
			expect(full.items[0].json.amount).toEqual({ minor: 1999, currency: 'EUR', decimal: '19.99' });
			expect(stripe.received('POST', '/v1/refunds')[0].body).not.toHaveProperty('amount');
			const again = await refund({ refundType: 'full', refundKey: 'another' });
			expect(again.error?.message).toContain('charge_already_refunded');
			expect(again.error?.message).toContain('has already been refunded');
			expect(again.error?.description).toMatch(/Nothing is left to refund/);
		});

		it('Refund > Get and Payment > Get read the state back', async () => {
			const created = await refund({ refundType: 'partial', amount: '4.99', currency: 'EUR' });
			const got = await run({ resource: 'refund', operation: 'get', refundId: created.items[0].json.refundId });
			expect(got.items[0].json).toMatchObject({ refundId: created.items[0].json.refundId, paymentId, status: 'processed', amount: { minor: 499 } });
			const payment = await run({ resource: 'payment', operation: 'get', paymentId });
			expect(stripe.received('GET', `/v1/payment_intents/${paymentId}`)[0].query).toEqual({ 'expand[]': 'latest_charge' });
			expect(payment.items[0].json).toMatchObject({
				gateway: 'stripe',
				paymentId,
				status: 'partially_refunded',
				amount: { minor: 1999, currency: 'EUR', decimal: '19.99' },
				amountRefunded: { minor: 499, decimal: '4.99' },
				reference: 'ORD-77',
				method: 'card',
			});
		});
	});

	it('an unknown id keeps Stripe\'s resource_missing code and a hint', async () => {
		const result = await run({ resource: 'refund', operation: 'get', refundId: 're_missing' });
		expect(result.error?.message).toContain("No such refund: 're_missing'");
		expect(result.error?.message).toContain('resource_missing');
		expect(result.error?.description).toMatch(/same account and mode/);
	});

	it('retries a 429 and a 500, then succeeds with one session', async () => {
		let faults = 0;
		stripe.inject(() => {
			faults += 1;
			if (faults === 1) return { status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } }, headers: { 'Retry-After': '0' } };
			if (faults === 2) return { status: 500, body: { error: { type: 'api_error', message: 'Something went wrong' } } };
			return undefined;
		});
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(stripe.received('POST', '/v1/checkout/sessions')).toHaveLength(3);
		expect(stripe.sessions.size).toBe(1);
	});

	it('a 400 is not retried', async () => {
		const result = await run({ resource: 'refund', operation: 'create', paymentId: 'pi_unknown', refundType: 'full' });
		expect(result.error?.message).toContain("No such payment_intent: 'pi_unknown'");
		expect(stripe.received('POST', '/v1/refunds')).toHaveLength(1);
	});

	it('a wrong secret key is a 401 error that never shows the key', async () => {
		const wrong = 'sk_test_wrongWrongWrongWrong1234';
		const result = await run({ resource: 'payment', operation: 'get', paymentId: 'pi_x' }, [{}], { credentials: { secretKey: wrong } });
		expect(result.error?.message).toContain('Invalid API Key provided');
		expect(JSON.stringify(result.error)).not.toContain(wrong);
		expect(JSON.stringify(result.run.data.resultData)).not.toContain(wrong);
	});

	describe('the counterpart refuses what Stripe refuses', () => {
		const post = (path: string, body: string, headers: Record<string, string> = {}) =>
			fetch(`${stripe.baseUrl}${path}`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${stripe.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
				body,
			}).then(async (response) => ({ status: response.status, headers: response.headers, body: (await response.json()) as { error?: { type?: string; code?: string; message?: string; param?: string } } & IDataObject }));
		const session = 'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][product_data][name]=x&line_items[0][quantity]=1&success_url=https://shop.example.com/thanks';

		it('a JSON body, a decimal amount and a Basic auth header', async () => {
			const json = await post('/v1/checkout/sessions', JSON.stringify({ mode: 'payment' }), { 'Content-Type': 'application/json' });
			expect(json.status).toBe(400);
			expect(json.body.error?.message).toContain('application/x-www-form-urlencoded');
			const decimal = await post('/v1/checkout/sessions', `${session}&line_items[0][price_data][unit_amount]=19.99`);
			expect(decimal.body.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'line_items[0][price_data][unit_amount]' });
			const noSuccessUrl = await post('/v1/checkout/sessions', `${session.replace(/&success_url=[^&]*/, '')}&line_items[0][price_data][unit_amount]=1999`);
			expect(noSuccessUrl.body.error).toMatchObject({ code: 'parameter_missing', param: 'success_url' });
			const basic = await post('/v1/checkout/sessions', `${session}&line_items[0][price_data][unit_amount]=1999`, { Authorization: `Basic ${Buffer.from(`${stripe.secretKey}:`).toString('base64')}` });
			expect(basic.status).toBe(401);
		});

		it('Idempotency-Key: same parameters replay the first answer; other parameters are an idempotency_error', async () => {
			const intent = stripe.createSucceededPayment(1000, 'usd');
			const key = { 'Idempotency-Key': 'key-0001' };
			const first = await post('/v1/refunds', `payment_intent=${String(intent.id)}&amount=300`, key);
			const replay = await post('/v1/refunds', `amount=300&payment_intent=${String(intent.id)}`, key);
			expect(replay.body.id).toBe(first.body.id);
			expect(replay.headers.get('idempotent-replayed')).toBe('true');
			const other = await post('/v1/refunds', `payment_intent=${String(intent.id)}&amount=400`, key);
			expect(other.status).toBe(400);
			expect(other.body.error?.type).toBe('idempotency_error');
			expect(stripe.refunds.size).toBe(1);
		});
	});

	it('credential test: passes with the right key, fails with a wrong one', async () => {
		expect((await testCredential('waCommerceStripeApi', data())).status).toBe('OK');
		expect((await testCredential('waCommerceStripeApi', data({ secretKey: 'sk_test_nope' }))).status).toBe('Error');
	});
});
