import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { checkTransition, normalizeOrderStatus } from '../../../shared/meta/orderStatus';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { getTemplate, templateFields } from '../template.fields';

const show = { show: { resource: ['order'], operation: ['sendOrderStatusTemplate'] } };

export const description: INodeProperties[] = [
	...templateFields('order', ['sendOrderStatusTemplate']),
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
		default: 'shipped',
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
	const template = getTemplate(this, itemIndex);
	const referenceId = String(this.getNodeParameter('referenceId', itemIndex, '')).trim();
	if (!referenceId) throw new InputError('referenceId', 'Reference ID is required');
	const status = normalizeOrderStatus(this.getNodeParameter('orderStatus', itemIndex), 'orderStatus');
	const options = this.getNodeParameter('statusOptions', itemIndex, {}) as IDataObject;
	const statusDescription = typeof options.description === 'string' ? options.description : '';
	if (statusDescription.length > 120) {
		throw new InputError('statusOptions.description', 'Description must be at most 120 characters');
	}
	if (typeof options.previousStatus === 'string' && options.previousStatus.trim() !== '') {
		const previous = normalizeOrderStatus(options.previousStatus, 'statusOptions.previousStatus');
		checkTransition(previous, status, {}, 'orderStatus');
	}
	const orderStatus = {
		reference_id: referenceId,
		order: { status, ...(statusDescription ? { description: statusDescription } : {}) },
	};
	const sent = await sendMessage(this, phoneNumberId, to, {
		type: 'template',
		template: {
			...template,
			components: [
				{ type: 'order_status', parameters: [{ type: 'order_status', order_status: orderStatus }] },
			],
		},
	});
	return { ...sent, referenceId, status };
}
