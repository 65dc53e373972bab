import { runNode, TestCredentialsHelper } from '../harness/engine';
import { failAfterCommit } from '../counterparts/faults';
import { MetaCounterpart, metaError } from '../counterparts/meta';

describe('WhatsApp Commerce: Order resource through the real engine', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());

	const credentials = () =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: meta.state.token,
			businessAccountId: meta.state.wabaId,
			apiVersion: 'v25.0',
			baseUrl: meta.baseUrl,
		});
	const phone = '106540352242922';
	const run = (parameters: Record<string, unknown>, continueOnFail = false) =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					phoneNumberId: { __rl: true, mode: 'id', value: phone },
					to: '919876543210',
					...parameters,
				},
				credentials: ['waCommerceMetaApi'],
				...(continueOnFail ? { continueOnFail: true } : {}),
			},
			[{}],
			credentials(),
		);

	describe('Send Order Status', () => {
		it('sends partially-shipped as partially_shipped with the exact request', async () => {
			const result = await run({
				operation: 'sendOrderStatus',
				referenceId: 'ORD-1001',
				orderStatus: 'partially-shipped',
				bodyText: 'Part of your order is on its way',
				statusOptions: { description: 'Two of three items shipped' },
			});
			expect(result.error).toBeUndefined();
			const [request] = meta.received('POST');
			expect(request.path).toBe(`/v25.0/${phone}/messages`);
			expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
			expect(request.body).toEqual({
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '919876543210',
				type: 'interactive',
				interactive: {
					type: 'order_status',
					body: { text: 'Part of your order is on its way' },
					action: {
						name: 'review_order',
						parameters: {
							reference_id: 'ORD-1001',
							order: { status: 'partially_shipped', description: 'Two of three items shipped' },
						},
					},
				},
			});
			expect(result.items[0].json).toMatchObject({
				messageId: meta.sent[meta.sent.length - 1].id,
				waId: '919876543210',
				referenceId: 'ORD-1001',
				status: 'partially_shipped',
			});
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
		});

		it('refuses a transition out of a final status before sending anything', async () => {
			const result = await run({
				operation: 'sendOrderStatus',
				referenceId: 'ORD-1001',
				orderStatus: 'shipped',
				statusOptions: { previousStatus: 'completed' },
			});
			expect(result.error?.message).toContain('final');
			expect(meta.received()).toHaveLength(0);
		});

		it('gives an error item with pairedItem under continueOnFail', async () => {
			const result = await run(
				{ operation: 'sendOrderStatus', referenceId: 'ORD-1', orderStatus: 'delivered' },
				true,
			);
			expect(result.error).toBeUndefined();
			expect(String(result.items[0].json.error)).toContain('delivered');
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
			expect(meta.received()).toHaveLength(0);
		});
	});
	describe('Send Order Status Template', () => {
		it('sends the order_status component with the normalised status', async () => {
			const result = await run({
				operation: 'sendOrderStatusTemplate',
				templateName: 'order_update',
				languageCode: 'en_US',
				referenceId: 'ORD-7',
				orderStatus: 'shipped',
				statusOptions: { description: 'On its way' },
			});
			expect(result.error).toBeUndefined();
			const [request] = meta.received('POST');
			expect(request.path).toBe(`/v25.0/${phone}/messages`);
			expect(request.body).toEqual({
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '919876543210',
				type: 'template',
				template: {
					name: 'order_update',
					language: { policy: 'deterministic', code: 'en_US' },
					components: [
						{
							type: 'order_status',
							parameters: [
								{
									type: 'order_status',
									order_status: { reference_id: 'ORD-7', order: { status: 'shipped', description: 'On its way' } },
								},
							],
						},
					],
				},
			});
			expect(result.items[0].json).toMatchObject({ messageId: meta.sent[meta.sent.length - 1].id, referenceId: 'ORD-7', status: 'shipped' });
		});

		it('refuses a missing template name before sending', async () => {
			const result = await run({ operation: 'sendOrderStatusTemplate', templateName: '={{ "  " }}', languageCode: 'en_US', referenceId: 'ORD-7', orderStatus: 'shipped' });
			expect(result.error?.message).toMatch(/template name/i);
			expect(meta.received()).toHaveLength(0);
		});
	});
});

describe('WhatsApp Commerce: Get Payment Status', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());
	const phone = '106540352242922';

	it('looks the payment up and gives amounts in minor units and decimal', async () => {
		meta.state.payments.set('rzp-prod/ORD-9', {
			reference_id: 'ORD-9',
			status: 'captured',
			currency: 'INR',
			amount: { value: 19999, offset: 100 },
			transactions: [{ id: 'txn1', type: 'razorpay', status: 'success', amount: { value: 19999, offset: 100 } }],
		});
		const result = await runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					operation: 'getPaymentStatus',
					phoneNumberId: { __rl: true, mode: 'id', value: phone },
					configurationName: 'rzp-prod',
					referenceId: 'ORD-9',
				},
				credentials: ['waCommerceMetaApi'],
			},
			[{}],
			new TestCredentialsHelper().set('waCommerceMetaApi', {
				accessToken: meta.state.token,
				businessAccountId: meta.state.wabaId,
				apiVersion: 'v25.0',
				baseUrl: meta.baseUrl,
			}),
		);
		expect(result.error).toBeUndefined();
		const [request] = meta.received('GET');
		expect(request.path).toBe(`/v25.0/${phone}/payments/rzp-prod/ORD-9`);
		expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
		expect(result.items[0].json).toMatchObject({
			status: 'captured',
			amount: { minor: 19999, currency: 'INR', decimal: '199.99' },
			transactions: [{ id: 'txn1', status: 'success', amount: { minor: 19999, decimal: '199.99' }, refunds: [] }],
		});
	});
});

describe('WhatsApp Commerce: Refund Payment', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => {
		meta.reset();
		meta.state.payments.set('rzp-prod/ORD-9', {
			reference_id: 'ORD-9',
			status: 'captured',
			currency: 'INR',
			amount: { value: 19999, offset: 100 },
		});
	});
	const phone = '106540352242922';
	const refund = (amount: string) =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					operation: 'refundPayment',
					phoneNumberId: { __rl: true, mode: 'id', value: phone },
					configurationName: 'rzp-prod',
					referenceId: 'ORD-9',
					amount,
					currency: 'INR',
					speed: 'instant',
				},
				credentials: ['waCommerceMetaApi'],
			},
			[{}],
			new TestCredentialsHelper().set('waCommerceMetaApi', {
				accessToken: meta.state.token,
				businessAccountId: meta.state.wabaId,
				apiVersion: 'v25.0',
				baseUrl: meta.baseUrl,
			}),
		);

	it('sends a partial refund with string amount fields', async () => {
		const result = await refund('50.50');
		expect(result.error).toBeUndefined();
		const [request] = meta.received('POST');
		expect(request.path).toBe(`/v25.0/${phone}/payments_refund`);
		expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
		expect(request.body).toEqual({
			reference_id: 'ORD-9',
			speed: 'instant',
			payment_config_id: 'rzp-prod',
			amount: { currency: 'INR', value: '5050', offset: '100' },
		});
		expect(result.items[0].json).toMatchObject({
			status: 'pending',
			referenceId: 'ORD-9',
			amount: { minor: 5050, currency: 'INR', decimal: '50.50' },
		});
	});

	it('keeps Meta\'s refusal of an over-refund', async () => {
		const result = await refund('300.00');
		expect(result.error?.message).toContain('100');
	});

	it('refuses a bad amount before sending anything', async () => {
		const result = await refund('1,50');
		expect(result.error?.message).toBeDefined();
		expect(meta.received()).toHaveLength(0);
	});

	it('re-running the same refund finds it on the order (Meta has no key): replayed true, one refund', async () => {
		const first = await refund('50.50');
		expect(first.items[0].json.replayed).toBe(false);
		const again = await refund('50.50');
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true });
		expect(meta.received('POST')).toHaveLength(1);
	});

	it('a 500 after Meta refunded is looked up, never sent again: one refund, replayed false', async () => {
		meta.injectAfter(failAfterCommit('POST', /payments_refund$/));
		const result = await refund('50.50');
		expect(result.error).toBeUndefined();
		expect(meta.received('POST')).toHaveLength(1);
		expect(meta.state.payments.get('rzp-prod/ORD-9')?.refunded).toBe(5050);
		expect(result.items[0].json.replayed).toBe(false);
	});
});

describe('WhatsApp Commerce: order sends and Meta errors', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => {
		meta.reset();
		meta.clearFaults();
	});
	const send = () =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					operation: 'sendOrderStatus',
					phoneNumberId: { __rl: true, mode: 'id', value: '106540352242922' },
					to: '919876543210',
					referenceId: 'ORD-5',
					orderStatus: 'shipped',
				},
				credentials: ['waCommerceMetaApi'],
			},
			[{}],
			new TestCredentialsHelper().set('waCommerceMetaApi', {
				accessToken: meta.state.token,
				businessAccountId: meta.state.wabaId,
				apiVersion: 'v25.0',
				baseUrl: meta.baseUrl,
			}),
		);

	it('retries once after a 130429 throttle and sends one message', async () => {
		let thrown = false;
		meta.inject(() => {
			if (thrown) return undefined;
			thrown = true;
			return metaError(400, 130429, '(#130429) Rate limit hit');
		});
		const result = await send();
		expect(result.error).toBeUndefined();
		expect(meta.received('POST')).toHaveLength(2);
		expect(result.items[0].json.messageId).toBe(meta.sent[meta.sent.length - 1].id);
	});

	it('does not retry a 131009 and keeps the code', async () => {
		meta.inject(() => metaError(400, 131009, '(#131009) Parameter value is not valid'));
		const result = await send();
		expect(result.error?.message).toContain('131009');
		expect(meta.received('POST')).toHaveLength(1);
	});

	it('says to send a template on 131047 (24-hour window closed)', async () => {
		meta.state.openWindows = new Set();
		const result = await send();
		expect(result.error?.message).toContain('131047');
		expect(String(result.error?.description)).toMatch(/template/i);
	});
});
