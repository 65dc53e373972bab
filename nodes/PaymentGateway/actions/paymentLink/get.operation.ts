import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { adapterFor, requiredText, toOutput } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Link ID',
		name: 'linkId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'plink_Ab12Cd34',
		description: 'The linkId output of Create (Razorpay plink_..., Stripe cs_... or plink_..., PayU invoice number, Lyra payment order ID).',
		displayOptions: { show: { resource: ['paymentLink'], operation: ['get', 'cancel'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const adapter = adapterFor(this, itemIndex);
	return toOutput(await adapter.getLink(this, requiredText(this, 'linkId', itemIndex, 'Link ID')));
}
