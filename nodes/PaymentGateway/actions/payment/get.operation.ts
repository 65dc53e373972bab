import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { adapterFor, requiredText, toOutput } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		required: true,
		default: '',
		description: 'Razorpay pay_..., Stripe PaymentIntent pi_..., PayU mihpayid, Lyra transaction UUID',
		displayOptions: { show: { resource: ['payment'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const adapter = adapterFor(this, itemIndex);
	return toOutput(await adapter.getPayment(this, requiredText(this, 'paymentId', itemIndex, 'Payment ID')));
}
