import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { checkTransition, normalizeOrderStatus } from '../../../shared/meta/orderStatus';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';

const show = { show: { resource: ['order'], operation: ['sendOrderStatus'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		required: true,
		default: '',
		description: 'The reference ID of the order, as sent in its order details message',
		displayOptions: show,
	},
	{
		displayName: 'Status',
		name: 'orderStatus',
		type: 'options',
		required: true,
		default: 'processing',
		description: 'New status of the order. "partially-shipped" from an expression is accepted too.',
		options: [
			{ name: 'Canceled', value: 'canceled' },
			{ name: 'Completed', value: 'completed' },
			{ name: 'Partially Shipped', value: 'partially_shipped' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Processing', value: 'processing' },
			{ name: 'Shipped', value: 'shipped' },
		],
		displayOptions: show,
	},
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		default: '',
		description: 'Message text shown above the order status',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'statusOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'Short explanation of the status shown to the customer (at most 120 characters)',
			},
			{
				displayName: 'Payment Status (Brazil)',
				name: 'paymentStatus',
				type: 'options',
				default: 'pending',
				description: 'Brazil only: payment state sent with the order status',
				options: [
					{ name: 'Captured', value: 'captured' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Pending', value: 'pending' },
				],
			},
			{
				displayName: 'Previous Status',
				name: 'previousStatus',
				type: 'string',
				default: '',
				description: 'Status the order has now; when set, the update is checked against Meta\'s transition rules before sending',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const referenceId = String(this.getNodeParameter('referenceId', itemIndex, '')).trim();
	if (!referenceId) throw new InputError('referenceId', 'Reference ID is required');
	const status = normalizeOrderStatus(this.getNodeParameter('orderStatus', itemIndex), 'orderStatus');
	const bodyText = String(this.getNodeParameter('bodyText', itemIndex, ''));
	const options = this.getNodeParameter('statusOptions', itemIndex, {}) as IDataObject;
	const statusDescription = typeof options.description === 'string' ? options.description : '';
	if (statusDescription.length > 120) {
		throw new InputError('statusOptions.description', 'Description must be at most 120 characters');
	}
	const paymentStatus = typeof options.paymentStatus === 'string' ? options.paymentStatus : undefined;
	if (typeof options.previousStatus === 'string' && options.previousStatus.trim() !== '') {
		const previous = normalizeOrderStatus(options.previousStatus, 'statusOptions.previousStatus');
		checkTransition(previous, status, { paymentStatus }, 'orderStatus');
	}
	const parameters: IDataObject = {
		reference_id: referenceId,
		order: { status, ...(statusDescription ? { description: statusDescription } : {}) },
		...(paymentStatus ? { payment: { status: paymentStatus } } : {}),
	};
	const sent = await sendMessage(this, phoneNumberId, to, {
		type: 'interactive',
		interactive: {
			type: 'order_status',
			...(bodyText ? { body: { text: bodyText } } : {}),
			action: { name: 'review_order', parameters },
		},
	});
	return { ...sent, referenceId, status };
}
