import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { graphRequest, metaCredential } from '../../../shared/meta/graph';
import { paymentConfigurationField, readPick } from '../pickers';

export const description: INodeProperties[] = [
	paymentConfigurationField({ show: { resource: ['paymentConfiguration'], operation: ['get'] } }, 'The payment configuration set up in WhatsApp Manager'),
];

interface ConfigurationAnswer {
	data?: Array<{ payment_configurations?: IDataObject[] } | IDataObject>;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = readPick(this, 'configurationName', itemIndex);
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
