import { MetaCounterpart } from '../counterparts/meta';
import { TestCredentialsHelper } from '../harness/engine';
import { TriggerUnderTest } from '../harness/webhook';
import { signMetaBody } from '../../nodes/shared/signatures';

const APP_SECRET = 'meta-app-secret';
const PHONE = '106540352242922';

function envelope(value: Record<string, unknown>, field = 'messages', phone = PHONE): string {
	return JSON.stringify({
		object: 'whatsapp_business_account',
		entry: [{
			id: '102290129340398',
			changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '919876500000', phone_number_id: phone }, ...value } }],
		}],
	});
}

const order = envelope({
	contacts: [{ profile: { name: 'Asha' }, wa_id: '16505551234' }],
	messages: [{
		from: '16505551234', id: 'wamid.ORDER1', timestamp: '1739321024', type: 'order',
		order: { catalog_id: '194836987003835', text: 'Love these!', product_items: [
			{ product_retailer_id: 'di9ozbzfi4', quantity: 3, item_price: 7.99, currency: 'USD' },
			{ product_retailer_id: 'tea-1', quantity: 1, item_price: 0.1, currency: 'USD' },
		] },
	}],
});

const paymentStatus = envelope({
	statuses: [{
		id: 'gBGGpay', recipient_id: '919800000000', type: 'payment', status: 'captured', timestamp: '1772129215',
		payment: {
			reference_id: 'A1-1', amount: { value: 21000, offset: 100 }, currency: 'INR',
			transaction: { id: 'order_1', pg_transaction_id: 'pay_1', type: 'razorpay', status: 'success', method: { type: 'upi' } },
			receipt: 'A1', notes: { crm: '42' },
			refunds: [{ id: 'rfnd_1', amount: { value: 100, offset: 100 }, speed_processed: 'instant', status: 'success' }],
		},
	}],
});

const failedStatus = envelope({
	statuses: [{
		id: 'wamid.OS1', status: 'failed', timestamp: '1772129215', recipient_id: '919800000000',
		errors: [{ code: 2046, title: 'Invalid status transition', message: 'bad', error_data: { details: 'from completed' } }],
	}],
});

const buttonReply = envelope({
	contacts: [{ profile: { name: 'Asha' }, wa_id: '16505551234' }],
	messages: [{
		from: '16505551234', id: 'wamid.BTN1', timestamp: '1739321024', type: 'interactive',
		context: { from: '919876500000', id: 'wamid.ASK' },
		interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Confirm' } },
	}],
});

const configUpdate = envelope(
	{ configuration_name: 'rzp-prod', provider_name: 'razorpay', provider_mid: 'mid-1', status: 'Needs Testing', created_timestamp: 1700000000, updated_timestamp: 1700000100 },
	'payment_configuration_update',
);

describe('WhatsApp Commerce Trigger through n8n-core WebhookContext/HookContext', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => meta.start());
	afterAll(async () => meta.stop());
	beforeEach(() => {
		meta.reset();
		meta.subscribedApps.clear();
		meta.phoneOverrides.clear();
		meta.appSubscriptions.clear();
	});

	const credentials = (extra: Record<string, string> = {}) =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: meta.state.token,
			businessAccountId: meta.state.wabaId,
			appSecret: APP_SECRET,
			apiVersion: 'v25.0',
			baseUrl: meta.baseUrl,
			...extra,
		});

	const trigger = (parameters: Record<string, unknown> = {}, creds = credentials()) =>
		new TriggerUnderTest(
			'whatsAppCommerceTrigger',
			{
				verifyToken: 'my-verify-token',
				events: ['order', 'paymentStatus', 'messageStatus', 'interactiveReply', 'paymentConfigurationUpdate'],
				...parameters,
			},
			creds,
			['waCommerceMetaApi'],
		);

	const signed = (body: string, secret = APP_SECRET) => ({
		rawBody: body,
		headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, secret) },
	});

	it('answers the verify handshake with the raw challenge only for the right token', async () => {
		const node = trigger();
		const ok = await node.deliver({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1158201444' } });
		expect(ok.response.statusCode).toBe(200);
		expect(ok.response.body).toBe('1158201444');
		expect(ok.items).toEqual([]);
		const bad = await node.deliver({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' } });
		expect(bad.response.statusCode).toBe(403);
	});

	it('emits an order with exact minor-unit prices and totals', async () => {
		const { items, result } = await trigger().deliver(signed(order));
		expect(result.noWebhookResponse).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			event: 'order', phoneNumberId: PHONE, messageId: 'wamid.ORDER1', from: '16505551234', customerName: 'Asha',
			catalogId: '194836987003835', text: 'Love these!', currency: 'USD', itemCount: 2,
			items: [
				{ retailerId: 'di9ozbzfi4', quantity: 3, unitPrice: { minor: 799, currency: 'USD', decimal: '7.99' }, lineTotal: { minor: 2397, decimal: '23.97' } },
				{ retailerId: 'tea-1', quantity: 1, unitPrice: { minor: 10 }, lineTotal: { minor: 10 } },
			],
			total: { minor: 2407, currency: 'USD', decimal: '24.07' },
		});
	});

	it('emits payment status with amount and refunds in minor units', async () => {
		const { items } = await trigger().deliver(signed(paymentStatus));
		expect(items[0]).toMatchObject({
			event: 'paymentStatus', status: 'captured', referenceId: 'A1-1', amount: { minor: 21000, currency: 'INR', decimal: '210.00' },
			transactionId: 'order_1', pgTransactionId: 'pay_1', gateway: 'razorpay', transactionStatus: 'success', method: 'upi',
			refunds: [{ refundId: 'rfnd_1', amount: { minor: 100 }, status: 'success', speed: 'instant' }],
		});
	});

	it('flags asynchronous order_status failures on message statuses', async () => {
		const { items } = await trigger().deliver(signed(failedStatus));
		expect(items[0]).toMatchObject({ event: 'messageStatus', status: 'failed', orderStatusFailure: true, errors: [{ code: 2046, details: 'from completed' }] });
		expect(items[0].hint).toEqual(expect.any(String));
	});

	it('emits interactive replies with context and normalizes payment configuration statuses', async () => {
		const node = trigger();
		const reply = await node.deliver(signed(buttonReply));
		expect(reply.items[0]).toMatchObject({ event: 'interactiveReply', replyType: 'button', replyId: 'confirm', title: 'Confirm', context: { id: 'wamid.ASK' } });
		const config = await node.deliver(signed(configUpdate));
		expect(config.items[0]).toMatchObject({ event: 'paymentConfigurationUpdate', status: 'needs_testing', rawStatus: 'Needs Testing', configurationName: 'rzp-prod' });
	});

	it('refuses missing, wrong and tampered signatures with 401 and starts nothing', async () => {
		const node = trigger();
		const missing = await node.deliver({ rawBody: order, headers: { 'content-type': 'application/json' } });
		const wrong = await node.deliver(signed(order, 'other-secret'));
		const tampered = await node.deliver({ ...signed(order), rawBody: order.replace('"quantity":3', '"quantity":4') });
		for (const call of [missing, wrong, tampered]) {
			expect(call.response.statusCode).toBe(401);
			expect(call.result.noWebhookResponse).toBe(true);
			expect(call.items).toEqual([]);
		}
		expect(JSON.stringify([missing, wrong, tampered])).not.toContain(APP_SECRET);
	});

	it('refuses a signed but malformed body with 400', async () => {
		const call = await trigger().deliver(signed('{"entry": [', APP_SECRET));
		expect(call.response.statusCode).toBe(400);
		expect(call.items).toEqual([]);
	});

	it('drops duplicate deliveries and filters by event and phone number id', async () => {
		const node = trigger({ events: ['order'], phoneNumberIds: `${PHONE}, 999` });
		expect((await node.deliver(signed(order))).items).toHaveLength(1);
		const again = await node.deliver(signed(order));
		expect(again.items).toEqual([]);
		expect(again.result.workflowData).toBeUndefined();
		expect((await node.deliver(signed(paymentStatus))).items).toEqual([]);
		const other = trigger({ phoneNumberIds: '111' });
		expect((await other.deliver(signed(order))).items).toEqual([]);
	});

	it('app-scope registration sets the app callback (app token in the header) and subscribes nothing else; delete removes it', async () => {
		const node = trigger({ registrationScope: 'app' }, credentials({ appId: meta.appId, appSecret: meta.appSecret }));
		meta.verifyCallback = async (_url, query) => {
			const { response } = await node.deliver({ method: 'GET', query });
			return { status: response.statusCode ?? 0, body: String(response.body ?? '') };
		};
		expect(await node.checkExists()).toBe(false);
		expect(await node.create()).toBe(true);
		expect(meta.appSubscriptions.get('whatsapp_business_account')).toEqual({
			callback_url: node.webhookUrl(),
			verify_token: 'my-verify-token',
			fields: 'messages,message_template_status_update,payment_configuration_update,user_id_update',
		});
		expect(meta.requests.every((r) => r.query.access_token === undefined)).toBe(true);
		expect(await node.checkExists()).toBe(true);
		expect(await node.delete()).toBe(true);
		expect(await node.checkExists()).toBe(false);
		expect(meta.appSubscriptions.size).toBe(0);
	});

	it('manual registration calls nothing', async () => {
		const node = trigger({ registration: 'manual' });
		expect(await node.checkExists()).toBe(true);
		expect(await node.create()).toBe(true);
		expect(await node.delete()).toBe(true);
		expect(meta.requests).toHaveLength(0);
	});

	it('keeps a new payment attempt under the same pending status', async () => {
		const node = trigger({ events: ['paymentStatus'] });
		const attempt = (id: string) => paymentStatus.replace('"captured"', '"pending"').replace('"order_1"', `"${id}"`).replace('"success"', '"failed"');
		expect((await node.deliver(signed(attempt('order_1')))).items).toHaveLength(1);
		expect((await node.deliver(signed(attempt('order_2')))).items).toHaveLength(1);
		expect((await node.deliver(signed(attempt('order_2')))).items).toEqual([]);
	});
});
