import type { IDataObject } from 'n8n-workflow';

import { runNode, TestCredentialsHelper } from '../harness/engine';
import { testCredential } from '../harness/credentialTest';
import { LyraCounterpart } from '../counterparts/lyra';

describe('Payment Gateway: Lyra / PayZen through the real engine', () => {
	const lyra = new LyraCounterpart();
	beforeAll(async () => {
		await lyra.start();
	});
	afterAll(async () => {
		await lyra.stop();
	});
	beforeEach(() => lyra.reset());

	const run = (parameters: IDataObject, options: { credentials?: Record<string, string>; input?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		runNode(
			{
				type: 'paymentGateway',
				parameters: { gateway: 'lyra', ...parameters },
				credentials: ['waCommerceLyraApi'],
				...(options.continueOnFail ? { continueOnFail: true } : {}),
			},
			options.input ?? [{}],
			new TestCredentialsHelper().set('waCommerceLyraApi', lyra.credentials(options.credentials)),
		);
	const basic = () => `Basic ${Buffer.from(`${lyra.shopId}:${lyra.password}`).toString('base64')}`;
	const createLink = (extra: IDataObject = {}, options: { credentials?: Record<string, string> } = {}) =>
		run(
			{
				resource: 'paymentLink',
				operation: 'create',
				amount: '19.99',
				currency: 'EUR',
				reference: 'ORD-77',
				description: 'Order ORD-77',
				customer: { email: 'lea@example.com', phone: '+33 6 12 34 56 78' },
				linkOptions: { notes: '{"erp_id": 42}' },
				...extra,
			},
			options,
		);
	const service = (name: string) => lyra.received('POST', `/api-payment/V4/${name}`);

	it('Payment Link > Create: Charge/CreatePaymentOrder with Basic auth, integer cents, URL channel; one output shape', async () => {
		const result = await createLink();
		expect(result.error).toBeUndefined();
		const [request] = service('Charge/CreatePaymentOrder');
		expect(request.headers.authorization).toBe(basic());
		expect(request.headers['content-type']).toContain('application/json');
		expect(request.body).toEqual({
			amount: 1999,
			currency: 'EUR',
			orderId: 'ORD-77',
			channelOptions: { channelType: 'URL' },
			description: 'Order ORD-77',
			customer: { email: 'lea@example.com' },
			metadata: { erp_id: '42' },
		});
		const order = [...lyra.paymentOrders.values()][0];
		expect(result.items[0].json).toMatchObject({
			gateway: 'lyra',
			linkId: order.paymentOrderId,
			url: order.paymentURL,
			status: 'created',
			reference: 'ORD-77',
			amount: { minor: 1999, currency: 'EUR', decimal: '19.99' },
			deliveredByGateway: false,
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('delivers over WhatsApp by Lyra (channelType WHATSAPP + phone) with an ISO expiry; JPY stays an integer', async () => {
		const expiresAt = Math.floor(Date.now() / 1000) + 3 * 86400;
		const result = await createLink({ amount: '500', currency: 'JPY', deliverOverWhatsApp: true, linkOptions: { expiresAt: String(expiresAt) } });
		expect(result.error).toBeUndefined();
		const [request] = service('Charge/CreatePaymentOrder');
		expect(request.body).toMatchObject({
			amount: 500,
			currency: 'JPY',
			channelOptions: { channelType: 'WHATSAPP', whatsAppOptions: { phoneNumber: '+33612345678' } },
			expirationDate: new Date(expiresAt * 1000).toISOString(),
		});
		expect(result.items[0].json).toMatchObject({ deliveredByGateway: true, amount: { minor: 500, currency: 'JPY', decimal: '500' } });
	});

	it('WhatsApp delivery without a phone is refused before anything is sent', async () => {
		const result = await createLink({ deliverOverWhatsApp: true, customer: { email: 'lea@example.com' } });
		expect(result.error?.message).toMatch(/phone/);
		expect(lyra.requests).toHaveLength(0);
	});

	it('an expiry beyond 90 days is refused before anything is sent', async () => {
		const result = await createLink({ linkOptions: { expiresAt: String(Math.floor(Date.now() / 1000) + 120 * 86400) } });
		expect(result.error?.message).toMatch(/90 days/);
		expect(lyra.requests).toHaveLength(0);
	});

	it('Lyra\'s refusal (HTTP 200 + status ERROR) becomes an error keeping INT_902 and the detail, not retried', async () => {
		const result = await createLink({ deliverOverWhatsApp: true, customer: { phone: '+123456' } });
		expect(result.error?.message).toContain('INT_902');
		expect(result.error?.message).toContain('web-service input data validation error');
		expect(result.error?.description).toContain('international format');
		expect(service('Charge/CreatePaymentOrder')).toHaveLength(1);
	});

	it('Get reads the payment order back, paid with the transaction UUID after the customer pays', async () => {
		const created = await createLink();
		const linkId = created.items[0].json.linkId as string;
		expect((await run({ resource: 'paymentLink', operation: 'get', linkId })).items[0].json).toMatchObject({ status: 'created', paymentIds: [] });
		const transaction = lyra.payOrder(linkId);
		const got = await run({ resource: 'paymentLink', operation: 'get', linkId });
		expect(service('Charge/PaymentOrder/Get').at(-1)!.body).toEqual({ paymentOrderId: linkId });
		expect(got.items[0].json).toMatchObject({ linkId, status: 'paid', reference: 'ORD-77', paymentIds: [transaction.uuid] });
	});

	it('Get reads an expired payment order as expired', async () => {
		const created = await createLink();
		lyra.expireOrder(created.items[0].json.linkId as string);
		expect((await run({ resource: 'paymentLink', operation: 'get', linkId: created.items[0].json.linkId })).items[0].json.status).toBe('expired');
	});

	it('Cancel is refused before anything is sent: Lyra has no cancel, and the error says what to do instead', async () => {
		const result = await run({ resource: 'paymentLink', operation: 'cancel', linkId: 'abc' });
		expect(result.error?.message).toMatch(/no API to cancel/);
		expect(result.error?.description).toMatch(/expire|refund/);
		expect(lyra.requests).toHaveLength(0);
	});

	describe('Refunds (no idempotency at Lyra: existing refunds are looked up first)', () => {
		let uuid: string;
		beforeEach(async () => {
			const created = await createLink();
			uuid = lyra.payOrder(created.items[0].json.linkId as string).uuid as string;
		});
		const refund = (extra: IDataObject = {}) => run({ resource: 'refund', operation: 'create', paymentId: uuid, ...extra });
		const refundsAtLyra = () => [...lyra.transactions.values()].filter((t) => t.operationType === 'CREDIT');

		it('a partial refund checks the transaction and its order, then sends Transaction/CancelOrRefund once', async () => {
			const result = await refund({ refundType: 'partial', amount: '5.50', currency: 'EUR', reason: 'damaged' });
			expect(result.error).toBeUndefined();
			expect(service('Transaction/Get')[0].body).toEqual({ uuid });
			expect(service('Order/Get')[0].body).toEqual({ orderId: 'ORD-77' });
			const [request] = service('Transaction/CancelOrRefund');
			expect(request.body).toEqual({
				uuid,
				amount: 550,
				currency: 'EUR',
				resolutionMode: 'REFUND_ONLY',
				comment: expect.stringMatching(/^\[rf_[0-9a-f]{29}\] damaged$/),
			});
			const created = refundsAtLyra()[0];
			expect(result.items[0].json).toMatchObject({
				gateway: 'lyra',
				refundId: created.uuid,
				paymentId: uuid,
				status: 'pending',
				amount: { minor: 550, currency: 'EUR', decimal: '5.50' },
			});
		});

		it('re-running the same refund finds the first one and returns it (replayed) without a second CancelOrRefund', async () => {
			const first = await refund({ refundType: 'partial', amount: '5.50', currency: 'EUR' });
			const second = await refund({ refundType: 'partial', amount: '5.50', currency: 'EUR' });
			expect(second.error).toBeUndefined();
			expect(second.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
			expect(service('Transaction/CancelOrRefund')).toHaveLength(1);
			expect(refundsAtLyra()).toHaveLength(1);
		});

		it('a different refund key allows a second equal partial refund on purpose', async () => {
			await refund({ refundType: 'partial', amount: '5', currency: 'EUR', refundKey: 'CN-1' });
			await refund({ refundType: 'partial', amount: '5', currency: 'EUR', refundKey: 'CN-2' });
			expect(refundsAtLyra()).toHaveLength(2);
		});

		it('an over-refund is refused before anything is sent, with what is left', async () => {
			await refund({ refundType: 'partial', amount: '15', currency: 'EUR' });
			const result = await refund({ refundType: 'partial', amount: '5', currency: 'EUR' });
			expect(result.error?.message).toContain('above what is left');
			expect(result.error?.message).toContain('4.99');
			expect(service('Transaction/CancelOrRefund')).toHaveLength(1);
		});

		it('Lyra\'s own over-refund answer (HTTP 200, status ERROR) is an error keeping its code', async () => {
			// Another client refunded in between: the look-up saw 19.99 left, Lyra knows better.
			lyra.inject((r) => {
				if (r.path.endsWith('/Order/Get')) return { status: 200, body: { webService: 'Order/Get', version: 'V4', status: 'SUCCESS', answer: { orderId: 'ORD-77', transactions: [] } } };
				return undefined;
			});
			await refund({ refundType: 'partial', amount: '19', currency: 'EUR', refundKey: 'a' });
			const result = await refund({ refundType: 'partial', amount: '19', currency: 'EUR', refundKey: 'b' });
			expect(result.error?.message).toContain('INT_902');
			expect(result.error?.description).toContain('greater than the refundable amount');
		});

		it('a full refund of an untouched payment refunds all of it', async () => {
			const full = await refund({ refundType: 'full' });
			expect(full.error).toBeUndefined();
			expect(full.items[0].json).toMatchObject({ status: 'pending', amount: { minor: 1999, decimal: '19.99' } });
		});

		it('a full refund refunds what is left; then "fully refunded" is refused before sending', async () => {
			await refund({ refundType: 'partial', amount: '4.99', currency: 'EUR' });
			const full = await refund({ refundType: 'full' });
			expect(full.items[0].json.amount).toEqual({ minor: 1500, currency: 'EUR', decimal: '15.00' });
			const again = await refund({ refundType: 'full', refundKey: 'again' });
			expect(again.error?.message).toMatch(/fully refunded already/);
			expect(service('Transaction/CancelOrRefund')).toHaveLength(2);
		});

		it('Refund > Get follows the refund to processed; Payment > Get shows partially refunded', async () => {
			const created = await refund({ refundType: 'partial', amount: '0.99', currency: 'EUR' });
			const refundId = created.items[0].json.refundId as string;
			lyra.settleRefunds();
			const got = await run({ resource: 'refund', operation: 'get', refundId });
			expect(got.items[0].json).toMatchObject({ refundId, paymentId: uuid, status: 'processed', amount: { minor: 99, decimal: '0.99' } });
			const payment = await run({ resource: 'payment', operation: 'get', paymentId: uuid });
			expect(payment.items[0].json).toMatchObject({
				gateway: 'lyra',
				paymentId: uuid,
				status: 'partially_refunded',
				amount: { minor: 1999, currency: 'EUR' },
				amountRefunded: { minor: 99, decimal: '0.99' },
				reference: 'ORD-77',
				method: 'card',
			});
		});

		it('a refund typed in another currency than the payment is refused before sending', async () => {
			const result = await refund({ refundType: 'partial', amount: '5', currency: 'USD' });
			expect(result.error?.message).toMatch(/payment is in EUR/);
			expect(service('Transaction/CancelOrRefund')).toHaveLength(0);
		});

		it('a partial refund of a payment without an order ID is refused (its refunds could not be looked up)', async () => {
			const bare = lyra.addTransaction({ amount: 1000, currency: 'EUR', orderId: '' });
			const result = await run({ resource: 'refund', operation: 'create', paymentId: bare.uuid as string, refundType: 'partial', amount: '1', currency: 'EUR' });
			expect(result.error?.message).toMatch(/no order ID/);
			expect(service('Transaction/CancelOrRefund')).toHaveLength(0);
		});

		it('an unknown transaction keeps Lyra\'s PSP_010', async () => {
			const result = await run({ resource: 'payment', operation: 'get', paymentId: 'ffffffffffffffffffffffffffffffff' });
			expect(result.error?.message).toContain('PSP_010');
			expect(result.error?.message).toContain('transaction not found');
		});
	});

	describe('a payment not captured yet (same day)', () => {
		let uuid: string;
		beforeEach(async () => {
			const created = await createLink();
			uuid = lyra.payOrder(created.items[0].json.linkId as string, { captured: false }).uuid as string;
		});

		it('Payment > Get reads it as authorized', async () => {
			expect((await run({ resource: 'payment', operation: 'get', paymentId: uuid })).items[0].json.status).toBe('authorized');
		});

		it('a full refund cancels it (CANCELLATION_ONLY); a re-run is refused, never a second movement', async () => {
			const full = await run({ resource: 'refund', operation: 'create', paymentId: uuid, refundType: 'full' });
			expect(full.error).toBeUndefined();
			expect(service('Transaction/CancelOrRefund')[0].body).toMatchObject({ uuid, amount: 1999, currency: 'EUR', resolutionMode: 'CANCELLATION_ONLY' });
			expect(full.items[0].json).toMatchObject({ refundId: uuid, paymentId: uuid, status: 'processed', amount: { minor: 1999 } });
			expect(lyra.transactions.get(uuid)).toMatchObject({ status: 'UNPAID', detailedStatus: 'CANCELLED' });
			const got = await run({ resource: 'refund', operation: 'get', refundId: uuid });
			expect(got.items[0].json).toMatchObject({ refundId: uuid, status: 'processed' });
			const again = await run({ resource: 'refund', operation: 'create', paymentId: uuid, refundType: 'full' });
			expect(again.error?.message).toMatch(/nothing to refund/);
			expect(service('Transaction/CancelOrRefund')).toHaveLength(1);
		});

		it('a partial refund is refused before sending, saying what to do', async () => {
			const result = await run({ resource: 'refund', operation: 'create', paymentId: uuid, refundType: 'partial', amount: '5', currency: 'EUR' });
			expect(result.error?.message).toMatch(/not captured this payment yet/);
			expect(result.error?.description).toMatch(/full amount now/);
			expect(service('Transaction/CancelOrRefund')).toHaveLength(0);
		});
	});

	it('a wrong password is an error (HTTP 200 + ERROR) that never shows the password', async () => {
		const result = await run({ resource: 'payment', operation: 'get', paymentId: 'x' }, { credentials: { password: 'testpassword_WRONG123' } });
		expect(result.error?.message).toContain('INT_905');
		expect(JSON.stringify(result.error)).not.toContain('testpassword_WRONG123');
		expect(JSON.stringify(result.error)).not.toContain(Buffer.from(`${lyra.shopId}:testpassword_WRONG123`).toString('base64'));
	});

	it('retries a 429 and a 503 (not processed), then succeeds with one payment order', async () => {
		let faults = 0;
		lyra.inject(() => (faults++ < 2 ? (faults === 1 ? { status: 429, body: 'slow down', headers: { 'Retry-After': '0' } } : { status: 503, body: 'busy' }) : undefined));
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(service('Charge/CreatePaymentOrder')).toHaveLength(3);
		expect(lyra.paymentOrders.size).toBe(1);
	});

	it('a 502 on create may follow the commit: reported, not sent again (Lyra has no key and no look-up by order ID)', async () => {
		lyra.inject(() => ({ status: 502, body: 'bad gateway' }));
		const result = await createLink();
		expect(result.error?.message).toMatch(/HTTP 502: the request may have been processed/);
		expect(result.error?.description).toMatch(/Back Office/);
		expect(service('Charge/CreatePaymentOrder')).toHaveLength(1);
	});

	it('credential test: SDKTest passes with the right password and fails on the body (HTTP 200 + ERROR) with a wrong one', async () => {
		expect((await testCredential('waCommerceLyraApi', lyra.credentials())).status).toBe('OK');
		const [request] = service('Charge/SDKTest');
		expect(request.body).toEqual({ value: 'n8n' });
		expect(request.headers.authorization).toBe(basic());
		const wrong = await testCredential('waCommerceLyraApi', lyra.credentials({ password: 'testpassword_WRONG123' }));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/Lyra refused the credentials/);
	});
});
