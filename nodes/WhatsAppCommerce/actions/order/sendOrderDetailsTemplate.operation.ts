import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildOrderDetails, checkMessageTexts } from '../../../shared/meta/orderDetails';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { getTemplate, templateFields } from '../template.fields';
import { checkGatewayMatchesConfiguration, readOrderDetails } from './orderDetails.fields';

/**
 * The order fields are shared with Send Order Details (orderDetails.fields.ts, listed once by the
 * resource's index); this operation adds the template choice. Meta's template carries the order in its "Review and pay" button (spec §1d).
 */
export const description: INodeProperties[] = [
	...templateFields('order', ['sendOrderDetailsTemplate']),
	{
		displayName: 'Business-initiated: use a UTILITY template whose button is of type ORDER_DETAILS ("Review and Pay"). The order fields below fill that button.',
		name: 'orderDetailsTemplateNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['order'], operation: ['sendOrderDetailsTemplate'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const template = getTemplate(this, itemIndex);
	const options = this.getNodeParameter('orderOptions', itemIndex, {}) as IDataObject;
	const headerImageUrl = typeof options.headerImageUrl === 'string' ? options.headerImageUrl.trim() : '';
	checkMessageTexts({ headerImageUrl });
	const order = readOrderDetails(this, itemIndex);
	const { parameters, amounts } = buildOrderDetails(order);
	await checkGatewayMatchesConfiguration(this, order);
	const components: IDataObject[] = [];
	if (headerImageUrl) components.push({ type: 'header', parameters: [{ type: 'image', image: { link: headerImageUrl } }] });
	components.push({
		type: 'button',
		sub_type: 'order_details',
		index: 0,
		parameters: [{ type: 'action', action: { order_details: parameters } }],
	});
	const sent = await sendMessage(this, phoneNumberId, to, { type: 'template', template: { ...template, components } });
	return { ...sent, referenceId: parameters.reference_id as string, amounts: amounts as unknown as IDataObject };
}
