/**
 * The app-level `message_template_status_update` field as one typed event. Shape per Meta's webhook reference
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update):
 * entry[].time, value.event (the new status), message_template_id (a number), name, language, reason; no
 * phone number metadata (Meta sends it to the app callback only, never to an override).
 */
import { parseMetaWebhook } from '../../nodes/shared/meta/webhookEvents';

const approved = (time: number) => ({
	object: 'whatsapp_business_account',
	entry: [{
		id: '102290129340398',
		time,
		changes: [{
			field: 'message_template_status_update',
			value: {
				event: 'APPROVED',
				message_template_id: 806312974732579,
				message_template_name: 'order_update',
				message_template_language: 'en_US',
				reason: 'NONE',
				message_template_category: 'UTILITY',
			},
		}],
	}],
});

describe('template status update', () => {
	it('becomes a templateStatus item with the status, ids as text and no phone number', () => {
		const [event] = parseMetaWebhook(approved(1767000000));
		expect(event.event).toBe('templateStatus');
		expect(event.phoneNumberId).toBeUndefined();
		expect(event.json).toMatchObject({
			event: 'templateStatus', wabaId: '102290129340398', templateId: '806312974732579', templateName: 'order_update',
			language: 'en_US', status: 'APPROVED', reason: 'NONE', category: 'UTILITY',
		});
	});

	it('the same status told again later is a new fact; a redelivery is not', () => {
		const [first] = parseMetaWebhook(approved(1767000000));
		const [again] = parseMetaWebhook(approved(1767000000));
		const [later] = parseMetaWebhook(approved(1767009999));
		expect(again.dedupeKey).toBe(first.dedupeKey);
		expect(later.dedupeKey).not.toBe(first.dedupeKey);
	});
});
