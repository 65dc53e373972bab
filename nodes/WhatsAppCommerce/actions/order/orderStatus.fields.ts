import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { itemParameter } from '../../../shared/parameters';
import { checkTransition, normalizeOrderStatus } from '../../../shared/meta/orderStatus';

/**
 * The fields an order_status update needs, shared by Send Order Status (interactive, inside the 24-hour
 * window) and Send Order Status Template (outside it), so both check the same rules the same way.
 */
const STATUS_OPTIONS = [
	{ name: 'Canceled', value: 'canceled' },
	{ name: 'Completed', value: 'completed' },
	{ name: 'Partially Shipped', value: 'partially_shipped' },
	{ name: 'Pending', value: 'pending' },
	{ name: 'Processing', value: 'processing' },
	{ name: 'Shipped', value: 'shipped' },
];

/** `afterStatus`: the operation's own required fields, placed before the optional block. */
export function orderStatusFields(
	operation: string,
	defaultStatus: string,
	extraOptions: INodeProperties[] = [],
	afterStatus: INodeProperties[] = [],
): INodeProperties[] {
	const show = { show: { resource: ['order'], operation: [operation] } };
	return [
		{
			displayName: 'Reference ID',
			name: 'referenceId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'ORDER-1001',
			description: 'The reference ID of the order, as sent in its order details message',
			hint: 'The Reference ID of the order details message this update is about',
			displayOptions: show,
		},
		{
			displayName: 'Status',
			name: 'orderStatus',
			type: 'options',
			required: true,
			default: defaultStatus,
			description: 'New status of the order. "partially-shipped" from an expression is accepted too.',
			options: STATUS_OPTIONS,
			displayOptions: show,
		},
		...afterStatus.map((field) => ({ ...field, displayOptions: show })),
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
				...extraOptions,
				{
					displayName: 'Previous Status',
					name: 'previousStatus',
					type: 'options',
					default: '',
					options: [{ name: 'Not Checked', value: '' }, ...STATUS_OPTIONS],
					description: 'Status the order has now; when set, the update is checked against Meta\'s transition rules before sending',
				},
			],
		},
	];
}

export interface OrderStatusUpdate {
	referenceId: string;
	status: string;
	/** Brazil only: the payment state sent with the status. */
	paymentStatus?: string;
	/** Meta's `{reference_id, order: {status, description?}}`, as both message kinds carry it. */
	orderStatus: IDataObject;
}

/** Reads and checks the fields above for one item; throws an InputError naming the field before anything is sent. */
export function readOrderStatus(context: IExecuteFunctions, itemIndex: number): OrderStatusUpdate {
	const referenceId = String(itemParameter(context, 'referenceId', itemIndex, '')).trim();
	if (!referenceId) throw new InputError('referenceId', 'Reference ID is required');
	const status = normalizeOrderStatus(itemParameter(context, 'orderStatus', itemIndex), 'orderStatus');
	const options = itemParameter(context, 'statusOptions', itemIndex, {}) as IDataObject;
	const description = typeof options.description === 'string' ? options.description : '';
	if (description.length > 120) {
		throw new InputError('statusOptions.description', 'Description must be at most 120 characters');
	}
	const paymentStatus = typeof options.paymentStatus === 'string' ? options.paymentStatus : undefined;
	if (typeof options.previousStatus === 'string' && options.previousStatus.trim() !== '') {
		const previous = normalizeOrderStatus(options.previousStatus, 'statusOptions.previousStatus');
		checkTransition(previous, status, { paymentStatus }, 'orderStatus');
	}
	return {
		referenceId,
		status,
		paymentStatus,
		orderStatus: { reference_id: referenceId, order: { status, ...(description ? { description } : {}) } },
	};
}
