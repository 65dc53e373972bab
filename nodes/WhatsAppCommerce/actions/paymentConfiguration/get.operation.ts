import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { graphRequest, metaCredential } from '../../../shared/meta/graph';

export const description: INodeProperties[] = [
	{
		displayName: 'Configuration Name or ID',
		name: 'configurationName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPaymentConfigurations' },
		required: true,
		default: '',
		description:
			'The payment configuration set up in WhatsApp Manager. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { resource: ['paymentConfiguration'], operation: ['get'] } },
	},
];

interface ConfigurationAnswer {
	data?: Array<{ payment_configurations?: IDataObject[] } | IDataObject>;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = String(this.getNodeParameter('configurationName', itemIndex, '')).trim();
	if (!name) throw new InputError('configurationName', 'choose a payment configuration');
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<ConfigurationAnswer>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/payment_configuration/${encodeURIComponent(name)}`,
	});
	const first = answer.data?.[0] as { payment_configurations?: IDataObject[] } | IDataObject | undefined;
	const nested = (first as { payment_configurations?: IDataObject[] } | undefined)?.payment_configurations;
	return (nested?.[0] ?? first ?? {}) as IDataObject;
}
