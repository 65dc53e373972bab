/**
 * Customers with and without usernames, end to end through n8n-core's real engine: the WhatsApp Commerce
 * Trigger turns Meta's deliveries into items with a ready `replyTo`, and the action node answers that address
 * as Meta requires (`to` for a phone, `recipient` for a BSUID). Payload shapes: Meta's BSUID page and payments
 * pages (see test/unit/metaWebhookEvents.test.ts for the sources); the mixed delivery is issue 14 item 7.
 */
import type { IDataObject } from 'n8n-workflow';

import { metaError, MetaCounterpart } from '../counterparts/meta';
import { runNode, TestCredentialsHelper } from '../harness/engine';
import { TriggerUnderTest } from '../harness/webhook';
import { signMetaBody } from '../../nodes/shared/signatures';

const APP_SECRET = 'meta-app-secret';
const PHONE_ID = '106540352242922';
const ANA = 'BR.8812004471';
const WAMID = 'wamid.HBgNQlIuODgxMjAwNDQ3MRUCABIYFDNBNEE2NTk5QUVFMDM4MTAxNDRGAA==';

function envelope(value: Record<string, unknown>): string {
	return JSON.stringify({
		object: 'whatsapp_business_account',
		entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '919876500000', phone_number_id: PHONE_ID }, ...value } }] }],
	});
}

describe('BSUID customers through the real engine', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => meta.start());
	afterAll(async () => meta.stop());
	beforeEach(() => meta.reset());

	const credentials = () =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: meta.state.token,
			businessAccountId: meta.state.wabaId,
			appSecret: APP_SECRET,
			apiVersion: 'v27.0',
			baseUrl: meta.baseUrl,
		});
	const trigger = () =>
		new TriggerUnderTest(
			'whatsAppCommerceTrigger',
			{ verifyToken: 't', events: ['order', 'paymentStatus', 'messageStatus', 'interactiveReply'] },
			credentials(),
			['waCommerceMetaApi'],
		);
	const signed = (body: string) => ({ rawBody: body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, APP_SECRET) } });
	const send = (parameters: Record<string, unknown>, inputs: IDataObject[] = [{}], continueOnFail = false) =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: { phoneNumberId: { __rl: true, mode: 'id', value: PHONE_ID }, ...parameters },
				credentials: ['waCommerceMetaApi'],
				...(continueOnFail ? { continueOnFail: true } : {}),
			},
			inputs,
			credentials(),
		);

	it('an order from a username adopter (phone withheld) is answered by BSUID in `recipient`, never in `to`', async () => {
		const order = envelope({
			contacts: [{ profile: { name: 'Ana', username: 'ana.shop' }, user_id: ANA }],
			messages: [{ from_user_id: ANA, id: WAMID, timestamp: '1767000000', type: 'order',
				order: { catalog_id: '194836987003835', product_items: [{ product_retailer_id: 'camiseta-azul', quantity: 1, item_price: 129.9, currency: 'BRL' }] } }],
		});
		const delivery = await trigger().deliver(signed(order));
		const items = delivery.items;
		// Accepted: n8n answers 200 with the node's webhookResponse (no direct answer from the node).
		expect(delivery.result).toMatchObject({ webhookResponse: 'OK' });
		expect(delivery.result.noWebhookResponse).toBeUndefined();
		expect(items[0]).toMatchObject({ event: 'order', userId: ANA, waId: null, username: 'ana.shop', replyTo: ANA, total: { minor: 12990 } });

		const result = await send({ resource: 'catalog', operation: 'sendCatalog', to: '={{ $json.replyTo }}', bodyText: 'Obrigado, Ana!' }, [items[0]]);
		expect(result.error).toBeUndefined();
		const [request] = meta.received('POST');
		expect(request.path).toBe(`/v27.0/${PHONE_ID}/messages`);
		expect(request.body).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', recipient: ANA });
		expect(request.body).not.toHaveProperty('to');
		expect(meta.undeliverable).toEqual([]);
		expect(result.items[0].json).toMatchObject({ userId: ANA, waId: null, recipient: ANA, recipientType: 'bsuid', messageId: expect.stringMatching(/^wamid\.[A-Za-z0-9+/]+=*$/) });
	});

	it('a customer with a phone is answered on the phone in `to`, and the wa_id Meta returns is output', async () => {
		const result = await send({ resource: 'catalog', operation: 'sendCatalog', to: '+91 98000 00001', bodyText: 'Menu' });
		expect(result.error).toBeUndefined();
		expect(meta.received('POST')[0].body).toMatchObject({ to: '919800000001' });
		expect(meta.received('POST')[0].body).not.toHaveProperty('recipient');
		expect(result.items[0].json).toMatchObject({ waId: '919800000001', userId: null, recipientType: 'phone' });
	});

	it('Send Order Details and Send Order Status reach a BSUID customer (Brazil, simplified order with Pix APPSWITCH)', async () => {
		const details = await send({
			resource: 'order', operation: 'sendOrderDetails', to: ANA, bodyText: 'Seu pedido', market: 'brazil', referenceId: 'pedido-5521',
			paymentTypeBrazil: 'pix_dynamic_code', pixCode: '00020101021226', pixMerchantName: 'Loja Azul', pixKey: 'loja@azul.com.br', pixKeyType: 'EMAIL', pixFlowType: 'APPSWITCH',
			brazilOrderSummary: 'simplified', simplifiedTotal: '129.90',
		});
		expect(details.error).toBeUndefined();
		const sent = meta.received('POST')[0].body as Record<string, any>;
		expect(sent.recipient).toBe(ANA);
		expect(sent.interactive.action.parameters).toEqual({
			reference_id: 'pedido-5521', type: 'physical-goods', payment_type: 'br', currency: 'BRL', total_amount: { value: 12990, offset: 100 },
			payment_settings: [{ type: 'pix_dynamic_code', pix_dynamic_code: { code: '00020101021226', merchant_name: 'Loja Azul', key: 'loja@azul.com.br', key_type: 'EMAIL', flow_type: 'APPSWITCH' } }],
		});
		const status = await send({ resource: 'order', operation: 'sendOrderStatus', to: ANA, referenceId: 'pedido-5521', orderStatus: 'processing', paymentStatus: 'captured' });
		expect(status.error).toBeUndefined();
		expect(meta.received('POST')[1].body).toMatchObject({ recipient: ANA, interactive: { type: 'order_status' } });
	});

	it('refuses an authentication template to a BSUID before sending; the same template goes to a phone', async () => {
		const template = { resource: 'message', operation: 'sendTemplate', templateName: 'login_code', languageCode: 'en_US', bodyParameters: { parameter: [{ text: '482910' }] } };
		const refused = await send({ ...template, to: ANA });
		expect(refused.error?.message).toMatch(/^Recipient: The authentication template "login_code" cannot be sent to a business-scoped user ID/);
		expect(meta.received('POST')).toHaveLength(0);
		const phone = await send({ ...template, to: '919800000001' });
		expect(phone.error).toBeUndefined();
		expect(meta.received('POST')).toHaveLength(1);
	});

	it('maps Meta\'s 131062 to a clear error and does not retry it', async () => {
		meta.validateMessage = () => metaError(400, 131062, '(#131062) Business-scoped User ID (BSUID) recipients are not supported for this message.');
		const result = await send({ resource: 'message', operation: 'sendTemplate', to: ANA, templateName: 'order_update', languageCode: 'en_US' });
		expect(result.error?.message).toContain('131062');
		expect(String(result.error?.description)).toMatch(/phone number/);
		expect(meta.received('POST')).toHaveLength(1);
	});

	it('a signed delivery with one bad order (item_price 7.999 USD) and a captured payment: 200, both items, the bad one with an error', async () => {
		const body = envelope({
			contacts: [{ profile: { name: 'Kerry' }, wa_id: '16505551234', user_id: 'US.13491208655302741918' }],
			messages: [{ from: '16505551234', from_user_id: 'US.13491208655302741918', id: WAMID, timestamp: '1739321024', type: 'order',
				order: { catalog_id: '194836987003835', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 7.999, currency: 'USD' }] } }],
			statuses: [{ id: 'gBGGFlB5YjhvAgnhuF1qIUvCo7A', recipient_id: '919800000000', recipient_user_id: 'IN.1739912004471', type: 'payment', status: 'captured', timestamp: '1772129215',
				payment: { reference_id: 'A1-1', amount: { value: 21000, offset: 100 }, currency: 'INR',
					transaction: { id: 'order_1', pg_transaction_id: 'pay_1', type: 'payu', status: 'success', method: { type: 'upi' } }, udf1: 'crm-42', udf2: 'store-7' } }],
		});
		const { items, result } = await trigger().deliver(signed(body));
		expect(result).toMatchObject({ webhookResponse: 'OK' });
		expect(result.noWebhookResponse).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({ event: 'order', replyTo: '16505551234', error: { field: 'product_items[0].item_price' } });
		expect(items[1]).toMatchObject({ event: 'paymentStatus', status: 'captured', recipientUserId: 'IN.1739912004471', replyTo: '919800000000', passThrough: { udf1: 'crm-42', udf2: 'store-7' } });
		expect(items[1].error).toBeUndefined();
	});

	it('Get Payment Status returns every documented field: pass-through fields, transactions, refunds nested in them', async () => {
		meta.state.payments.set('payu-main/ORD-9', {
			reference_id: 'ORD-9', status: 'captured', currency: 'INR', amount: { value: 49900, offset: 100 },
			udf1: 'crm-42', udf3: 'x',
			transactions: [
				{ id: 'txn_1', pg_transaction_id: '403993715531', type: 'payu', status: 'failed', method: { type: 'upi' }, error: { code: 'E001', reason: 'incorrect_pin' }, amount: { value: 49900, offset: 100 } },
				{ id: 'txn_2', pg_transaction_id: '403993715532', type: 'payu', status: 'success', method: { type: 'card' }, amount: { value: 49900, offset: 100 }, order_amount: { value: 49900, offset: 100 },
					refunds: [{ id: 'rfnd_9', amount: { value: 10000, offset: 100 }, speed_processed: 'normal', status: 'success', created_timestamp: 1767000300 }] },
			],
		});
		const result = await send({ resource: 'order', operation: 'getPaymentStatus', configurationName: 'payu-main', referenceId: 'ORD-9' });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			referenceId: 'ORD-9', status: 'captured', amount: { minor: 49900 }, udf1: 'crm-42', passThrough: { udf1: 'crm-42', udf3: 'x' },
			successfulTransaction: { id: 'txn_2', order_amount: { minor: 49900 } },
			refunds: [{ id: 'rfnd_9', amount: { minor: 10000 }, status: 'success' }],
		});
		expect((result.items[0].json.transactions as Array<Record<string, unknown>>)[0]).toMatchObject({ status: 'failed', error: { reason: 'incorrect_pin' } });
	});
});
