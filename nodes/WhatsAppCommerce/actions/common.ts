/**
 * What every "send" operation of the WhatsApp Commerce node shares: the sending phone number (a dropdown
 * of the WABA's numbers), the recipient, and the one function that posts a message to Meta.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/errors';
import { postMessage } from '../../shared/bulkSending';

/** Operations that send a message (they show the sender and recipient fields). */
export const SEND_OPERATIONS = [
	'sendOrderDetails',
	'sendOrderStatus',
	'sendOrderDetailsTemplate',
	'sendOrderStatusTemplate',
	'sendProduct',
	'sendProductList',
	'sendCatalog',
	'sendPaymentLink',
	'sendTemplate',
];

/** Operations that address a phone number (sending ones and the India payments APIs). */
const PHONE_NUMBER_OPERATIONS = [...SEND_OPERATIONS, 'getPaymentStatus', 'refundPayment'];

export const senderFields: INodeProperties[] = [
	{
		displayName: 'Sender Phone Number',
		name: 'phoneNumberId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The business phone number to send from (one of the WhatsApp Business Account in the credential)',
		displayOptions: { show: { operation: PHONE_NUMBER_OPERATIONS } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchPhoneNumbers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '106540352242922',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d{5,20}$', errorMessage: 'A phone number ID is digits only (not the phone number itself)' },
					},
				],
			},
		],
	},
	{
		displayName: 'Recipient Phone Number',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '919876543210',
		description: 'The customer\'s WhatsApp number with country code (e.g. the wa_id from the trigger)',
		displayOptions: { show: { operation: SEND_OPERATIONS } },
	},
];

export function getPhoneNumberId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('phoneNumberId', itemIndex, '', { extractValue: true }) as string;
	const id = String(raw ?? '').trim();
	if (!/^\d{5,20}$/.test(id)) {
		throw new InputError('phoneNumberId', `"${id}" is not a phone number ID (choose one from the list)`);
	}
	return id;
}

/** The recipient in Meta's format: digits with country code, no "+", spaces or dashes. */
export function getRecipient(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = String(ctx.getNodeParameter('to', itemIndex, '') ?? '').trim();
	const digits = raw.replace(/[\s()+-]/g, '');
	if (!/^\d{6,15}$/.test(digits)) {
		throw new InputError('to', `"${raw}" is not a WhatsApp number with country code (e.g. 919876543210)`);
	}
	return digits;
}

export interface SentMessage {
	/** The wamid Meta assigned. */
	messageId: string;
	/** The recipient's WhatsApp id as Meta resolved it. */
	waId: string;
	phoneNumberId: string;
	/** Template sends: "accepted" / "held_for_quality_assessment". */
	messageStatus?: string;
}

interface SendAnswer {
	contacts?: Array<{ input?: string; wa_id?: string }>;
	messages?: Array<{ id: string; message_status?: string }>;
}

/**
 * Posts one message (everything after `to`: `type` and its object) from `phoneNumberId` to `to`.
 * The bulk throttle hooks in here so every send operation respects the per-number rate.
 */
export async function sendMessage(
	ctx: IExecuteFunctions,
	phoneNumberId: string,
	to: string,
	message: IDataObject,
): Promise<SentMessage> {
	const answer = await postMessage<SendAnswer>(ctx, phoneNumberId, to, {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to,
		...message,
	});
	const sent = answer.messages?.[0];
	return {
		messageId: sent?.id ?? '',
		waId: answer.contacts?.[0]?.wa_id ?? to,
		phoneNumberId,
		...(sent?.message_status ? { messageStatus: sent.message_status } : {}),
	};
}
