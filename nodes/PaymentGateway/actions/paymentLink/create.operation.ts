import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import type { CreateLinkRequest } from '../../../shared/gateways/types';
import { adapterFor, amountFields, readMoney, requiredText, toOutput } from '../common';

const show = (extra: IDataObject = {}) => ({ show: { resource: ['paymentLink'], operation: ['create'], ...extra } });

export const description: INodeProperties[] = [
	...amountFields('paymentLink', ['create']),
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'INV-1001',
		description: 'Your order or invoice number (Razorpay reference_id, PayU invoiceNumber, Stripe client_reference_id, Lyra orderId). Gateways refuse a reference used before.',
		hint: 'Your order or invoice number, one per link',
		displayOptions: show(),
	},
	{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What the customer pays for, shown on the payment page', displayOptions: show() },
	{
		displayName: 'Customer',
		name: 'customer',
		type: 'collection',
		placeholder: 'Add Customer Field',
		default: {},
		displayOptions: show(),
		options: [
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: '+919876543210', description: 'With country code; needed when the gateway delivers the link over WhatsApp' },
		],
	},
	{
		displayName: 'Gateway Sends It on WhatsApp',
		name: 'deliverOverWhatsApp',
		type: 'boolean',
		default: false,
		description: 'Whether PayU or Lyra should send the link to the customer\'s WhatsApp themselves. Otherwise send the output URL with WhatsApp Commerce > Send Payment Link.',
		hint: 'Off: send the link yourself with WhatsApp Commerce > Send Payment Link',
		displayOptions: show({ gateway: ['lyra', 'payu'] }),
	},
	{
		displayName: 'Stripe Object',
		name: 'stripeObject',
		type: 'options',
		default: 'checkoutSession',
		options: [
			{ name: 'Checkout Session (Single Use, Expires)', value: 'checkoutSession' },
			{ name: 'Payment Link (No Expiry, Limited to One Payment)', value: 'paymentLink' },
		],
		displayOptions: show({ gateway: ['stripe'] }),
	},
	{
		displayName: 'Options',
		name: 'linkOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(),
		options: [
			{ displayName: 'Callback URL', name: 'callbackUrl', type: 'string', default: '', description: 'Where the customer lands after paying. Required for a Stripe Checkout Session (Stripe shows no page of its own there); e.g. your thank-you page or a wa.me link back to your WhatsApp number.' },
			{ displayName: 'Expires At', name: 'expiresAt', type: 'dateTime', default: '', description: 'When the link stops working (Razorpay: at least 15 minutes ahead; Stripe Checkout: 30 minutes to 24 hours)' },
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'json',
				default: '{}',
				description: 'Key-value pairs stored with the link and returned in webhooks (Razorpay notes, Stripe metadata, PayU udf1-udf5, Lyra metadata)',
			},
		],
	},
];

function readNotes(raw: unknown): Record<string, string> | undefined {
	let value = raw;
	if (typeof raw === 'string') {
		if (!raw.trim()) return undefined;
		try {
			value = JSON.parse(raw);
		} catch {
			value = [];
		}
	}
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'object' || Array.isArray(value)) throw new InputError('linkOptions.notes', 'Notes must be a JSON object of key-value pairs');
	const entries = Object.entries(value as IDataObject).map(([key, inner]) => [key, String(inner)] as const);
	return entries.length ? Object.fromEntries(entries) : undefined;
}

function readExpiry(raw: unknown): number | undefined {
	const text = String(raw ?? '').trim();
	if (!text) return undefined;
	const seconds = /^\d{9,11}$/.test(text) ? Number(text) : Math.floor(Date.parse(text) / 1000);
	if (!Number.isFinite(seconds)) throw new InputError('linkOptions.expiresAt', `"${text}" is not a date`);
	if (seconds <= Math.floor(Date.now() / 1000)) throw new InputError('linkOptions.expiresAt', 'The expiry must be in the future');
	return seconds;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const adapter = adapterFor(this, itemIndex);
	const amount = readMoney(this, itemIndex);
	const reference = requiredText(this, 'reference', itemIndex, 'Reference');
	const customer = this.getNodeParameter('customer', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('linkOptions', itemIndex, {}) as IDataObject;
	const phone = String(customer.phone ?? '').replace(/[\s()-]/g, '');
	if (phone && !/^\+?\d{6,15}$/.test(phone)) throw new InputError('customer.phone', `"${String(customer.phone)}" is not a phone number with country code`);
	const email = String(customer.email ?? '').trim();
	if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new InputError('customer.email', `"${email}" is not an email address`);
	const callbackUrl = String(options.callbackUrl ?? '').trim();
	if (callbackUrl && !/^https?:\/\/\S+$/.test(callbackUrl)) throw new InputError('linkOptions.callbackUrl', `"${callbackUrl}" is not an http(s) URL`);
	const request: CreateLinkRequest = {
		amount,
		reference,
		description: String(this.getNodeParameter('description', itemIndex, '') ?? '').trim() || undefined,
		customer: {
			...(customer.name ? { name: String(customer.name) } : {}),
			...(email ? { email } : {}),
			...(phone ? { phone: phone.startsWith('+') ? phone : `+${phone}` } : {}),
		},
		expiresAt: readExpiry(options.expiresAt),
		notes: readNotes(options.notes),
		callbackUrl: callbackUrl || undefined,
		deliverOverWhatsApp: adapter.capabilities.nativeWhatsApp && Boolean(this.getNodeParameter('deliverOverWhatsApp', itemIndex, false)),
		stripeObject: adapter.id === 'stripe' ? (this.getNodeParameter('stripeObject', itemIndex, 'checkoutSession') as CreateLinkRequest['stripeObject']) : undefined,
	};
	const link = await adapter.createLink(this, request);
	// Always present, so a workflow can branch on it: true = this reference existed, nothing new was made.
	return toOutput({ ...link, replayed: link.replayed === true });
}
