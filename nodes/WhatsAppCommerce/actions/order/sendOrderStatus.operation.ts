import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemParameter } from '../../../shared/parameters';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { orderStatusFields, readOrderStatus } from './orderStatus.fields';

export const description: INodeProperties[] = [
	...orderStatusFields('sendOrderStatus', 'processing', [
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
	], [
		{
			displayName: 'Body Text',
			name: 'bodyText',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			placeholder: 'Your order ORDER-1001 has shipped.',
			description: 'Message text shown above the order status (at most 1024 characters)',
			hint: 'What the customer reads above the status card',
		},
	]),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const update = readOrderStatus(this, itemIndex);
	const bodyText = String(itemParameter(this, 'bodyText', itemIndex, ''));
	const parameters: IDataObject = {
		...update.orderStatus,
		...(update.paymentStatus ? { payment: { status: update.paymentStatus } } : {}),
	};
	const sent = await sendMessage(this, phoneNumberId, to, {
		type: 'interactive',
		interactive: {
			type: 'order_status',
			...(bodyText ? { body: { text: bodyText } } : {}),
			action: { name: 'review_order', parameters },
		},
	});
	return { ...sent, referenceId: update.referenceId, status: update.status };
}
