import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildCtaUrlMessage, buildTextLinkMessage, urlSuffix } from '../../../shared/meta/interactiveMessages';
import { itemParameter } from '../../../shared/parameters';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { getTemplate, templateFields } from '../template.fields';
import { bodyParametersField, readBodyComponent } from './templateParameters';

const show = (deliverAs?: string[]) => ({
	show: { resource: ['message'], operation: ['sendPaymentLink'], ...(deliverAs ? { deliverAs } : {}) },
});

export const description: INodeProperties[] = [
	{
		displayName: 'Payment URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://rzp.io/i/Ab12Cd',
		description: 'The payment link, typically the URL output of a Payment Gateway node',
		displayOptions: show(),
	},
	{
		displayName: 'Deliver As',
		name: 'deliverAs',
		type: 'options',
		default: 'button',
		options: [
			{ name: 'Pay Button', value: 'button', description: 'A message with a "Pay now" button; only within 24 hours of the customer\'s last message' },
			{ name: 'Template With Pay Button', value: 'template', description: 'An approved template whose link button takes the payment link; works at any time' },
			{ name: 'Text With Link Preview', value: 'text', description: 'A text message with the link and its preview; only within 24 hours of the customer\'s last message' },
		],
		hint: 'More than 24 hours after the customer\'s last message, WhatsApp delivers only templates',
		displayOptions: show(),
	},
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'Your invoice INV-1001 of ₹1,499.00 is ready.',
		displayOptions: show(['button']),
	},
	{ displayName: 'Button Text', name: 'displayText', type: 'string', default: 'Pay now', description: 'At most 20 characters', displayOptions: show(['button']) },
	{ displayName: 'Header Text', name: 'headerText', type: 'string', default: '', displayOptions: show(['button']) },
	{ displayName: 'Footer Text', name: 'footerText', type: 'string', default: '', displayOptions: show(['button']) },
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: 'Pay your order here: {{link}}',
		description: 'The message; the placeholder {{link}} is replaced by the payment URL (appended when absent)',
		displayOptions: show(['text']),
	},
	...[
		...templateFields('message', ['sendPaymentLink'], 'Only approved templates whose link button ends with {{1}} are listed'),
		bodyParametersField(['sendPaymentLink']),
	].map((field) => ({ ...field, displayOptions: show(['template']) })),
	{
		displayName: 'Link Ending',
		name: 'urlSuffix',
		type: 'string',
		default: '',
		placeholder: 'Ab12Cd',
		description: 'The part of the payment URL that fills {{1}} at the end of the template\'s button link',
		hint: 'Empty: the last part of the payment URL (Ab12Cd for https://rzp.io/i/Ab12Cd)',
		displayOptions: show(['template']),
	},
	{
		displayName: 'Pay Button Position',
		name: 'buttonPosition',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 10 },
		description: 'Which of the template\'s buttons is the pay button: 1 for the first',
		displayOptions: show(['template']),
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const param = (name: string, fallback: unknown = '') => itemParameter(this, name, itemIndex, fallback);
	const url = String(param('url')).trim();
	const deliverAs = String(param('deliverAs', 'button'));
	let message: IDataObject;
	if (deliverAs === 'template') {
		const template = getTemplate(this, itemIndex);
		const suffix = urlSuffix(url, String(param('urlSuffix')));
		message = {
			type: 'template',
			template: {
				...template,
				components: [
					...readBodyComponent(this, itemIndex),
					{ type: 'button', sub_type: 'url', index: String(Number(param('buttonPosition', 1)) - 1), parameters: [{ type: 'text', text: suffix }] },
				],
			},
		};
	} else if (deliverAs === 'text') {
		message = buildTextLinkMessage({ url, text: String(param('text')) });
	} else {
		message = buildCtaUrlMessage({
			url,
			displayText: String(param('displayText', 'Pay now')),
			bodyText: String(param('bodyText')),
			headerText: String(param('headerText')).trim() || undefined,
			footerText: String(param('footerText')).trim() || undefined,
		});
	}
	const sent = await sendMessage(this, phoneNumberId, to, message);
	return { ...sent, url, deliveredAs: deliverAs };
}
