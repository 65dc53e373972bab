/**
 * The Meta webhook parser fed with Meta's own published examples. Sources (read Nov 2026):
 * - Quick-reply button, list and reply-button answers: Meta, "Webhooks > Payload examples" (WhatsApp Cloud API),
 *   verbatim mirror in github.com/We-are-Sybil/m whatsapp_api_knowledge_base/webhook_notification_payloads_example.md
 *   (placeholders such as PHONE_NUMBER replaced by values in Meta's formats).
 * - Flow answer (`nfm_reply`): Meta, WhatsApp Flows "Receiving Flow Response",
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/receiveflowresponse
 * - Username adopter with phone withheld, status `recipient_user_id`, `user_id_update`, system
 *   `user_changed_user_id`: Meta, "Business-scoped user IDs"
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/ and the
 *   system-messages webhook reference (shapes as summarized in /work/shared/spec/meta-2026.md §1.3).
 * - Payment statuses: Meta, "Payments API (India) > Payment Gateway integration" webhook and pass-through fields
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg (spec §3.2, §3.4).
 * - Cart order: Meta's "order" message example (item_price 7.99 USD; the 7.999 variant is the issue-14 bad event).
 * Wamids are in Meta's base64 format (the one Meta's reference shows).
 */
import { NotAMetaWebhookError, parseMetaWebhook } from '../../nodes/shared/meta/webhookEvents';

const WABA = '102290129340398';
const PHONE_ID = '106540352242922';
const WAMID = 'wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';

function envelope(value: Record<string, unknown>, field = 'messages') {
	return {
		object: 'whatsapp_business_account',
		entry: [{
			id: WABA,
			changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID }, ...value } }],
		}],
	};
}
const jsonOf = (body: unknown) => parseMetaWebhook(body).map((event) => event.json);

describe('inbound replies: each type its own shape', () => {
	it('a template quick-reply button (message type "button", Meta example) is a quickReply with payload and text', () => {
		const [item] = jsonOf(envelope({
			contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
			messages: [{
				context: { from: '15550783881', id: 'wamid.HBgLMTU1NTA3ODM4ODEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA' },
				from: '16315551234', id: WAMID, timestamp: '1739321024', type: 'button',
				button: { text: 'No', payload: 'No-Button-Payload' },
			}],
		}));
		expect(item).toMatchObject({
			event: 'interactiveReply', replyType: 'quickReply', replyId: 'No-Button-Payload', payload: 'No-Button-Payload', title: 'No',
			waId: '16315551234', from: '16315551234', replyTo: '16315551234', customerName: 'Kerry Fisher', context: { from: '15550783881' },
		});
	});

	it('list and button replies keep their ids and titles', () => {
		const items = jsonOf(envelope({
			contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
			messages: [
				{ from: '16315551234', id: `${WAMID}1`, timestamp: '1739321024', type: 'interactive',
					interactive: { type: 'list_reply', list_reply: { id: 'list_reply_id', title: 'list_reply_title', description: 'list_reply_description' } } },
				{ from: '16315551234', id: `${WAMID}2`, timestamp: '1739321024', type: 'interactive',
					interactive: { type: 'button_reply', button_reply: { id: 'unique-button-identifier-here', title: 'button-text' } } },
			],
		}));
		expect(items[0]).toMatchObject({ replyType: 'list', replyId: 'list_reply_id', title: 'list_reply_title', description: 'list_reply_description' });
		expect(items[1]).toMatchObject({ replyType: 'button', replyId: 'unique-button-identifier-here', title: 'button-text' });
	});

	it('a Flow answer (nfm_reply, Meta example) carries the parsed response_json and its flow_token', () => {
		const responseJson = '{"flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s.", "optional_param1": "<value1>", "optional_param2": "<value2>"}';
		const [item] = jsonOf(envelope({
			contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
			messages: [{
				context: { from: '16315558151', id: 'gBGGEiRVVgBPAgm7FUgc73noXjo' },
				from: '16315551234', id: WAMID, type: 'interactive', timestamp: '1739321024',
				interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: responseJson } },
			}],
		}));
		expect(item).toMatchObject({
			event: 'interactiveReply', replyType: 'flow', flowName: 'flow', body: 'Sent', responseJson,
			response: { flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.', optional_param1: '<value1>', optional_param2: '<value2>' },
			flowToken: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.',
		});
		expect(item.replyId).toBeUndefined();
		expect(item.error).toBeUndefined();
	});

	it('an interactive type this package does not know passes through as "other" with the raw object', () => {
		const interactive = { type: 'call_permission_reply', call_permission_reply: { response: 'accept', expiration_timestamp: 1739407424 } };
		const [item] = jsonOf(envelope({ messages: [{ from: '16315551234', id: WAMID, timestamp: '1739321024', type: 'interactive', interactive }] }));
		expect(item).toMatchObject({ replyType: 'other', interactiveType: 'call_permission_reply', raw: interactive });
		expect(item.title).toBeUndefined();
	});

	it('a Flow answer whose response_json is not JSON becomes an item with an error naming the field', () => {
		const [item] = jsonOf(envelope({
			messages: [{ from: '16315551234', id: WAMID, timestamp: '1739321024', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', response_json: '{oops' } } }],
		}));
		expect(item).toMatchObject({ event: 'interactiveReply', messageId: WAMID, error: { field: 'interactive.nfm_reply.response_json' } });
	});
});

describe('customer identity: BSUID, username, phone when Meta gives it', () => {
	it('a username adopter whose phone is withheld (Meta\'s BSUID example) is addressed by BSUID', () => {
		const [item] = jsonOf(envelope({
			contacts: [{ profile: { name: 'Ana', username: 'ana.shop' }, user_id: 'BR.8812004471' }],
			messages: [{ from_user_id: 'BR.8812004471', id: WAMID, timestamp: '1767000000', type: 'button', button: { text: 'Yes', payload: 'confirm' } }],
		}));
		expect(item).toMatchObject({ userId: 'BR.8812004471', waId: null, from: null, username: 'ana.shop', parentUserId: null, replyTo: 'BR.8812004471', customerName: 'Ana' });
	});

	it('a customer with both ids is answered on the phone (as Meta recommends), with parent BSUID when enrolled', () => {
		const [item] = jsonOf(envelope({
			contacts: [{ profile: { name: 'Sam' }, wa_id: '16505551234', user_id: 'US.13491208655302741918', parent_user_id: 'US.ENT.11815799212886844830' }],
			messages: [{ from: '16505551234', from_user_id: 'US.13491208655302741918', id: WAMID, timestamp: '1767000000', type: 'order',
				order: { catalog_id: '194836987003835', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 1, item_price: 7.99, currency: 'USD' }] } }],
		}));
		expect(item).toMatchObject({ userId: 'US.13491208655302741918', waId: '16505551234', parentUserId: 'US.ENT.11815799212886844830', replyTo: '16505551234', total: { minor: 799 } });
	});

	it('message statuses expose recipientUserId, the username and keep pricing', () => {
		const [item] = jsonOf(envelope({
			statuses: [{
				id: WAMID, status: 'delivered', timestamp: '1767000100', recipient_user_id: 'BR.8812004471',
				pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
			}],
			contacts: [{ profile: { name: 'Ana', username: 'ana.shop' }, user_id: 'BR.8812004471' }],
		}));
		expect(item).toMatchObject({
			event: 'messageStatus', recipientUserId: 'BR.8812004471', userId: 'BR.8812004471', waId: null, username: 'ana.shop', replyTo: 'BR.8812004471',
			pricing: { pricing_model: 'PMP', category: 'utility', type: 'regular' },
		});
		expect(item.recipientId).toBeUndefined();
	});

	it('identity changes are events: system user_changed_user_id and the user_id_update field', () => {
		const system = jsonOf(envelope({
			contacts: [{ profile: { name: 'Ana' }, user_id: 'BR.8812004471' }],
			messages: [{ from_user_id: 'BR.8812004471', id: WAMID, timestamp: '1767000200', type: 'system',
				system: { body: 'User A changed their user ID', type: 'user_changed_user_id', user_id: 'BR.9900114477' } }],
		}));
		expect(system[0]).toMatchObject({ event: 'identityChange', changeType: 'user_changed_user_id', previousUserId: 'BR.8812004471', userId: 'BR.9900114477', replyTo: 'BR.9900114477' });
		const update = parseMetaWebhook(envelope({ user_id_update: [{ wa_id: '16505551234', user_id: { previous: 'US.13491208655302741918', current: 'US.88120044719900114477' }, timestamp: '1767000300' }] }, 'user_id_update'));
		expect(update[0].event).toBe('identityChange');
		expect(update[0].json).toMatchObject({ changeType: 'user_id_update', previousUserId: 'US.13491208655302741918', userId: 'US.88120044719900114477', waId: '16505551234', replyTo: '16505551234' });
		expect(update[0].dedupeKey).toBe('identity:US.13491208655302741918:US.88120044719900114477');
	});
});

describe('payment statuses: every pass-through field, refunds wherever Meta puts them', () => {
	const payment = (gateway: string, extra: Record<string, unknown>, transactionExtra: Record<string, unknown> = {}) => envelope({
		statuses: [{
			id: 'gBGGFlB5YjhvAgnhuF1qIUvCo7A', recipient_id: '919812345678', type: 'payment', status: 'captured', timestamp: '1767000051',
			payment: {
				reference_id: 'ORD-88-1', amount: { value: 49900, offset: 100 }, currency: 'INR',
				transaction: { id: 'order_Pq1', pg_transaction_id: 'pay_Zx9', type: gateway, status: 'success', created_timestamp: 1767000000, updated_timestamp: 1767000050, method: { type: 'upi' }, ...transactionExtra },
				...extra,
			},
		}],
	});

	it.each([
		['razorpay', { receipt: 'R-1001', notes: { shop: '7' } }],
		['payu', { udf1: 'crm-42', udf2: 'store-7', udf3: 'x', udf4: 'y' }],
		['billdesk', Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((n) => [`additional_info${n}`, `info-${n}`]))],
		['zaakpay', { extra1: 'e-1', extra2: 'e-2' }],
	])('%s pass-through fields survive', (gateway, fields) => {
		const [item] = jsonOf(payment(gateway, fields));
		expect(item).toMatchObject({ gateway, referenceId: 'ORD-88-1', amount: { minor: 49900 }, passThrough: fields });
	});

	it('refunds nested under transaction (lookup API / BSP relays) are read, amounts exact, once each', () => {
		const refund = { id: 'rfnd_1', amount: { value: 10050, offset: 100 }, speed_processed: 'instant', status: 'success', created_timestamp: 1767000300, updated_timestamp: 1767000300 };
		const [item] = jsonOf(payment('razorpay', { refunds: [refund] }, { refunds: [refund, { ...refund, id: 'rfnd_2', amount: { value: 100, offset: 100 } }] }));
		expect(item.refunds).toEqual([
			expect.objectContaining({ refundId: 'rfnd_1', amount: expect.objectContaining({ minor: 10050, decimal: '100.50' }), speed: 'instant', status: 'success' }),
			expect.objectContaining({ refundId: 'rfnd_2', amount: expect.objectContaining({ minor: 100 }) }),
		]);
	});

	it('a failed attempt keeps the gateway\'s reason as transactionError (not the parse error field)', () => {
		const [item] = jsonOf(payment('razorpay', {}, { status: 'failed', error: { code: 'BAD_REQUEST_ERROR', reason: 'incorrect_pin' } }));
		expect(item).toMatchObject({ transactionStatus: 'failed', transactionError: { code: 'BAD_REQUEST_ERROR', reason: 'incorrect_pin' } });
		expect(item.error).toBeUndefined();
	});
});

describe('one bad event never costs the others', () => {
	it('an order with item_price 7.999 USD becomes an order item with an error; the captured payment in the same delivery is intact', () => {
		const body = envelope({
			contacts: [{ profile: { name: 'Kerry' }, wa_id: '16505551234' }],
			messages: [{ from: '16505551234', id: WAMID, timestamp: '1739321024', type: 'order',
				order: { catalog_id: '194836987003835', text: 'Love these!', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 7.999, currency: 'USD' }] } }],
			statuses: [{ id: 'gBGGpay', recipient_id: '919800000000', type: 'payment', status: 'captured', timestamp: '1772129215',
				payment: { reference_id: 'A1-1', amount: { value: 21000, offset: 100 }, currency: 'INR', transaction: { id: 'order_1', pg_transaction_id: 'pay_1', type: 'razorpay', status: 'success', method: { type: 'upi' } } } }],
		});
		const events = parseMetaWebhook(body);
		expect(events.map((e) => e.event)).toEqual(['order', 'paymentStatus']);
		expect(events[0].json).toMatchObject({ event: 'order', messageId: WAMID, waId: '16505551234', replyTo: '16505551234', error: { field: 'product_items[0].item_price' } });
		expect(String((events[0].json.error as { message: string }).message)).toContain('product_items[0].item_price');
		expect(events[1].json).toMatchObject({ event: 'paymentStatus', status: 'captured', amount: { minor: 21000 } });
		expect(events[1].json.error).toBeUndefined();
	});

	it('a payment whose amount offset does not fit its currency is an item with an error, not a thrown delivery', () => {
		const [item] = jsonOf(envelope({ statuses: [{ id: 'gBGGx', type: 'payment', status: 'captured', payment: { reference_id: 'R', currency: 'INR', amount: { value: 1, offset: 1000 } } }] }));
		expect(item).toMatchObject({ event: 'paymentStatus', referenceId: 'R', error: { field: 'payment.amount.offset' } });
	});

	it('only a body that is not a Meta webhook throws', () => {
		expect(() => parseMetaWebhook({ hello: 'world' })).toThrow(NotAMetaWebhookError);
		expect(() => parseMetaWebhook({ object: 'page', entry: [] })).toThrow(NotAMetaWebhookError);
		expect(parseMetaWebhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'messages', value: null }] }] })).toEqual([]);
	});
});

describe('events the trigger does not output are never built', () => {
	// One delivery as Meta batches them: an order (whose item would carry an error if it were built), a
	// delivered status and a payment status, to the same number.
	const body = envelope({
		contacts: [{ profile: { name: 'Kerry' }, wa_id: '16505551234' }],
		messages: [{ from: '16505551234', id: WAMID, timestamp: '1739321024', type: 'order',
			order: { catalog_id: '194836987003835', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 1, item_price: 7.999, currency: 'USD' }] } }],
		statuses: [
			{ id: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI3QTRCQjE4NkQ0RTg1QjYwMjEA', status: 'delivered', timestamp: '1739321030', recipient_id: '16505551234' },
			{ id: 'gBGGpay', recipient_id: '919800000000', type: 'payment', status: 'captured', timestamp: '1772129215',
				payment: { reference_id: 'A1-1', amount: { value: 21000, offset: 100 }, currency: 'INR', transaction: { id: 'order_1', status: 'success', type: 'razorpay' } } },
		],
	});

	it('asks the filter once per event, with its type and number, and returns only what it keeps', () => {
		const asked: string[] = [];
		const events = parseMetaWebhook(body, (event, phoneNumberId) => {
			asked.push(`${event}@${String(phoneNumberId)}`);
			return event === 'paymentStatus';
		});
		expect(asked).toEqual([`order@${PHONE_ID}`, `messageStatus@${PHONE_ID}`, `paymentStatus@${PHONE_ID}`]);
		expect(events.map((e) => [e.event, e.json.referenceId])).toEqual([['paymentStatus', 'A1-1']]);
	});

	it('builds exactly what the unfiltered parse builds for the events it keeps', () => {
		const all = parseMetaWebhook(body);
		const orders = parseMetaWebhook(body, (event) => event === 'order');
		expect(orders).toEqual(all.filter((e) => e.event === 'order'));
		expect(parseMetaWebhook(body, (_event, phoneNumberId) => phoneNumberId === 'another-number')).toEqual([]);
	});
});
