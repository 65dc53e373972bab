/**
 * What every "send" operation of the WhatsApp Commerce node shares: the sending phone number (a dropdown
 * of the WABA's numbers), the recipient, and the one function that posts a message to Meta.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/errors';
import { postMessage } from '../../shared/bulkSending';
import { itemParameter } from '../../shared/parameters';
import { graphRequest, metaCredential } from '../../shared/meta/graph';
import { type RecipientAddress, recipientField, recipientText, sentTo } from '../../shared/meta/customer';

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
		// The parameter keeps its name `to` so workflows saved before BSUIDs keep working.
		displayName: 'Recipient',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '919876543210 or BR.8812004471',
		hint: 'Include the country code (919876543210, no + or spaces), or the customer\'s BSUID',
		description:
			'The customer\'s WhatsApp number with country code, or their business-scoped user ID (BSUID) when Meta withholds the number. Map the trigger\'s replyTo, which is whichever of the two Meta gave.',
		displayOptions: { show: { operation: SEND_OPERATIONS } },
	},
];

export function getPhoneNumberId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = itemParameter(ctx, 'phoneNumberId', itemIndex, '', { extractValue: true }) as string;
	const id = String(raw ?? '').trim();
	if (!/^\d{5,20}$/.test(id)) {
		throw new InputError('phoneNumberId', `"${id}" is not a phone number ID (choose one from the list)`);
	}
	return id;
}

/**
 * The recipient as Meta addresses it: `{to}` for a phone number (digits with country code, no "+", spaces or
 * dashes), `{recipient}` for a BSUID, which Meta silently drops when it is put in `to`.
 */
export function getRecipient(ctx: IExecuteFunctions, itemIndex: number): RecipientAddress {
	return recipientField(itemParameter(ctx, 'to', itemIndex, ''), 'to');
}

export interface SentMessage {
	/** The wamid Meta assigned. */
	messageId: string;
	/** The phone number Meta resolved (null when the message went to a BSUID). */
	waId: string | null;
	/** The business-scoped user ID Meta answered (sends to a BSUID). */
	userId: string | null;
	/** What was sent as the address: the phone or the BSUID. */
	recipient: string;
	recipientType: 'phone' | 'bsuid';
	phoneNumberId: string;
	/** Template sends: "accepted" / "held_for_quality_assessment". */
	messageStatus?: string;
}

interface SendAnswer {
	contacts?: Array<{ input?: string; wa_id?: string; user_id?: string }>;
	messages?: Array<{ id: string; message_status?: string }>;
}

/**
 * Posts one message (everything after the address: `type` and its object) from `phoneNumberId` to the
 * recipient, as `to` or `recipient`, never both (Meta lets `to` win when both are sent).
 * The bulk throttle hooks in here so every send operation respects the per-number rate.
 */
export async function sendMessage(
	ctx: IExecuteFunctions,
	phoneNumberId: string,
	address: RecipientAddress,
	message: IDataObject,
): Promise<SentMessage> {
	const recipient = recipientText(address);
	if (message.type === 'template' && 'recipient' in address) await refuseAuthenticationTemplate(ctx, message.template as IDataObject);
	const answer = await postMessage<SendAnswer>(ctx, phoneNumberId, recipient, {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		...address,
		...message,
	});
	const sent = answer.messages?.[0];
	return {
		messageId: sent?.id ?? '',
		...sentTo(answer, address),
		recipient,
		recipientType: 'to' in address ? 'phone' : 'bsuid',
		phoneNumberId,
		...(sent?.message_status ? { messageStatus: sent.message_status } : {}),
	};
}

/** Template categories per execution, so a batch of sends to BSUIDs looks the templates up once. */
const templateCategories = new WeakMap<object, Promise<Map<string, string>>>();

async function categoriesOf(ctx: IExecuteFunctions): Promise<Map<string, string>> {
	let categories = templateCategories.get(ctx);
	if (!categories) {
		categories = (async () => {
			const { businessAccountId } = await metaCredential(ctx);
			const answer = await graphRequest<{ data?: IDataObject[] }>(ctx, {
				method: 'GET',
				path: `/${encodeURIComponent(businessAccountId)}/message_templates`,
				qs: { fields: 'name,language,category', limit: 250 },
			});
			return new Map((answer.data ?? []).map((t) => [`${String(t.name)}/${String(t.language)}`, String(t.category ?? '')]));
		})();
		templateCategories.set(ctx, categories);
	}
	return await categories;
}

/**
 * Authentication templates (one-tap, zero-tap, copy-code) need a phone number: Meta refuses them for a BSUID
 * with 131062. Checked before sending, from the template's category, only when the recipient is a BSUID.
 */
async function refuseAuthenticationTemplate(ctx: IExecuteFunctions, template: IDataObject): Promise<void> {
	const name = String(template.name ?? '');
	const language = String((template.language as IDataObject | undefined)?.code ?? '');
	const category = (await categoriesOf(ctx)).get(`${name}/${language}`);
	if (category?.toUpperCase() === 'AUTHENTICATION') {
		throw new InputError(
			'to',
			`The authentication template "${name}" cannot be sent to a business-scoped user ID: Meta needs the customer's phone number for it (error 131062)`,
			'Send authentication templates to the phone number (the trigger\'s waId), or choose a utility or marketing template.',
		);
	}
}
