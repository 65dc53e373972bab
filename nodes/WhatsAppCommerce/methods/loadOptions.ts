import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../../shared/meta/graph';

/** Payment configuration names of the WABA, for every "Configuration Name" dropdown. */
export async function getPaymentConfigurations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: Array<{ payment_configurations?: IDataObject[] }> }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/payment_configurations`,
	});
	return (answer.data ?? [])
		.flatMap((entry) => entry.payment_configurations ?? [])
		.map((configuration) => ({
			name: `${String(configuration.configuration_name)} (${String(configuration.provider_name ?? 'provider')}, ${String(configuration.status ?? 'unknown')})`,
			value: String(configuration.configuration_name),
		}));
}
