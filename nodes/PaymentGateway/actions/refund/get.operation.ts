import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { adapterFor, requiredText, toOutput } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Refund ID',
		name: 'refundId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'rfnd_FP8QHiV938haTz',
		description: 'The refundId output of Refund > Create (PayU: the request ID)',
		displayOptions: { show: { resource: ['refund'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const adapter = adapterFor(this, itemIndex);
	return toOutput(await adapter.getRefund(this, requiredText(this, 'refundId', itemIndex, 'Refund ID')));
}
