import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildOrderDetails, checkMessageTexts } from '../../../shared/meta/orderDetails';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { checkGatewayMatchesConfiguration, readOrderDetails } from './orderDetails.fields';

const show = { show: { resource: ['order'], operation: ['sendOrderDetails'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'Your order #1001 is ready. Review and pay below.',
		description: 'Message text above the order (at most 1024 characters)',
		displayOptions: show,
	},
];

/** Sends a "Review and pay" order_details message; every rule of Meta's is checked before sending. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const bodyText = String(this.getNodeParameter('bodyText', itemIndex, ''));
	const options = this.getNodeParameter('orderOptions', itemIndex, {}) as IDataObject;
	const footerText = typeof options.footerText === 'string' ? options.footerText : '';
	const headerImageUrl = typeof options.headerImageUrl === 'string' ? options.headerImageUrl.trim() : '';
	checkMessageTexts({ body: bodyText, footer: footerText, headerImageUrl });
	const order = readOrderDetails(this, itemIndex);
	const { parameters, amounts } = buildOrderDetails(order);
	await checkGatewayMatchesConfiguration(this, order);
	const sent = await sendMessage(this, phoneNumberId, to, {
		type: 'interactive',
		interactive: {
			type: 'order_details',
			...(headerImageUrl ? { header: { type: 'image', image: { link: headerImageUrl } } } : {}),
			body: { text: bodyText },
			...(footerText ? { footer: { text: footerText } } : {}),
			action: { name: 'review_and_pay', parameters },
		},
	});
	return { ...sent, referenceId: parameters.reference_id as string, amounts: amounts as unknown as IDataObject };
}
