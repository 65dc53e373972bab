import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { adapterFor, requiredText, toOutput } from '../common';

/** The Link ID field is shared with Get (declared there). */
export const description: INodeProperties[] = [
	{
		displayName: 'Lyra/PayZen has no API to cancel a payment order: set an expiry when creating it, or refund it once paid',
		name: 'lyraCancelNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['paymentLink'], operation: ['cancel'], gateway: ['lyra'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const adapter = adapterFor(this, itemIndex);
	const linkId = requiredText(this, 'linkId', itemIndex, 'Link ID');
	if (!adapter.capabilities.cancelLink) {
		throw new InputError('operation', `${adapter.displayName} has no API to cancel a payment link`, 'Let it expire (set an expiry when creating it), or refund the payment if it was paid.');
	}
	return toOutput(await adapter.cancelLink(this, linkId));
}
