import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../../../shared/meta/graph';

export const description: INodeProperties[] = [
	{
		displayName:
			'Lists the WhatsApp Pay (India) payment configurations of the WhatsApp Business Account in the credential, one item per configuration.',
		name: 'listNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['paymentConfiguration'], operation: ['list'] } },
	},
];

interface ConfigurationsAnswer {
	data?: Array<{ payment_configurations?: IDataObject[] }>;
}

export async function execute(this: IExecuteFunctions): Promise<IDataObject[]> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<ConfigurationsAnswer>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/payment_configurations`,
	});
	return (answer.data ?? []).flatMap((entry) => entry.payment_configurations ?? []);
}
