import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { getTemplate, templateFields } from '../template.fields';
import { orderStatusFields, readOrderStatus } from './orderStatus.fields';

export const description: INodeProperties[] = [
	...templateFields('order', ['sendOrderStatusTemplate']),
	...orderStatusFields('sendOrderStatusTemplate', 'shipped'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const template = getTemplate(this, itemIndex);
	const update = readOrderStatus(this, itemIndex);
	const sent = await sendMessage(this, phoneNumberId, to, {
		type: 'template',
		template: {
			...template,
			components: [
				{ type: 'order_status', parameters: [{ type: 'order_status', order_status: update.orderStatus }] },
			],
		},
	});
	return { ...sent, referenceId: update.referenceId, status: update.status };
}
