/**
 * The trigger's duplicate memory looks events up as (space, id) (nodes/shared/effects/deliveries.ts KeyScheme);
 * static data and n8n's store keep the full `eventKey`. `splitMetaEventKey` must give back exactly the pair the
 * parser chose, for every kind of event, or a key read back from static data would land in the wrong table.
 * Shapes as in Meta's examples (see metaWebhookEvents.test.ts for the sources); wamids in Meta's base64 format.
 */
import { META_EVENT_KEYS, parseMetaWebhook, splitMetaEventKey } from '../../nodes/shared/meta/webhookEvents';
import type { MetaEvent } from '../../nodes/shared/meta/webhookEvents';

const WABA = '102290129340398';
const PHONE_ID = '106540352242922';
const WAMID = 'wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE_ID };

const change = (value: Record<string, unknown>, field = 'messages') => ({ field, value: { messaging_product: 'whatsapp', metadata, ...value } });
const status = (id: string, statusName: string, extra: Record<string, unknown> = {}) =>
	change({ statuses: [{ id, status: statusName, timestamp: '1767000051', recipient_id: '16315551234', ...extra }] });

function everyKind(): MetaEvent[] {
	return parseMetaWebhook({
		object: 'whatsapp_business_account',
		entry: [{
			id: WABA,
			time: 1767000000,
			changes: [
				change({
					contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
					messages: [
						{ from: '16315551234', id: WAMID, timestamp: '1739321024', type: 'order', order: { catalog_id: '194836987003835', product_items: [{ product_retailer_id: 'chai', quantity: 1, item_price: 7.99, currency: 'USD' }] } },
						{ from: '16315551234', id: 'wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQUE4QjJDNEYxRjdBRTVBNTAA', timestamp: '1739321025', type: 'button', button: { payload: 'yes', text: 'Yes' } },
						{ from: '16315551234', id: 'wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQUE4QjJDNEYxRjdBRTVBNTEA', timestamp: '1739321026', type: 'system', system: { body: 'changed', type: 'user_changed_user_id', user_id: 'BR.9900114477' } },
					],
				}),
				...['sent', 'delivered', 'read', 'failed'].map((name) => status(WAMID, name)),
				status(WAMID, 'a_status_from_the_future'),
				status('id:with:colons', 'delivered'),
				status('', 'read'),
				status('gBGGFlB5YjhvAgnhuF1qIUvCo7A', 'captured', {
					type: 'payment',
					payment: { reference_id: 'ORD-1', amount: { value: 49900, offset: 100 }, currency: 'INR', transaction: { id: 'order_Pq1', type: 'razorpay', status: 'failed' } },
				}),
				change({ event: 'APPROVED', message_template_id: 806312974732579, message_template_name: 'order_update', message_template_language: 'en_US' }, 'message_template_status_update'),
				change({ user_id_update: [{ wa_id: '16505551234', user_id: { previous: 'US.1', current: 'US.2' }, timestamp: '1767000300' }] }, 'user_id_update'),
				change({ configuration_name: 'razorpay-main', provider_name: 'razorpay', status: 'Active', updated_timestamp: 1767000400 }, 'payment_configuration_update'),
			],
		}],
	});
}

describe('Meta event identity: (space, id) for the in-process memory', () => {
	it('splitMetaEventKey gives back the parser\'s own pair for every kind of event', () => {
		const events = everyKind();
		expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['order', 'interactiveReply', 'identityChange', 'messageStatus', 'paymentStatus', 'templateStatus', 'paymentConfigurationUpdate']));
		for (const event of events) {
			expect([event.dedupeKey, splitMetaEventKey(event.dedupeKey)]).toEqual([event.dedupeKey, { space: event.dedupeSpace, id: event.dedupeId }]);
			expect([event.dedupeKey, META_EVENT_KEYS.space(event), META_EVENT_KEYS.id(event)]).toEqual([event.dedupeKey, event.dedupeSpace, event.dedupeId]);
		}
	});

	it('messages and known statuses are looked up by the id as Meta sent it; the rest by the whole key', () => {
		const byKey = new Map(everyKind().map((e) => [e.dedupeKey, e]));
		expect(byKey.get(`msg:${WAMID}`)).toMatchObject({ dedupeSpace: 'msg', dedupeId: WAMID });
		expect(byKey.get(`status:${WAMID}:delivered`)).toMatchObject({ dedupeSpace: 'status:delivered', dedupeId: WAMID });
		// One message's statuses are different events: each status has its own table.
		expect(byKey.get(`status:${WAMID}:read`)).toMatchObject({ dedupeSpace: 'status:read', dedupeId: WAMID });
		for (const key of [`status:${WAMID}:a_status_from_the_future`, 'status:id:with:colons:delivered', 'status::read']) {
			expect(byKey.get(key)).toMatchObject({ dedupeSpace: '*', dedupeId: key });
		}
		// A payment attempt whose transaction failed ends in ":failed" like a message status: still the whole key.
		const payment = [...byKey.values()].find((e) => e.event === 'paymentStatus')!;
		expect(payment.dedupeKey.endsWith(':failed')).toBe(true);
		expect(payment).toMatchObject({ dedupeSpace: '*', dedupeId: payment.dedupeKey });
	});
});
