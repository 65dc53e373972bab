/**
 * Plain option lists, kept for workflows and tools that call them by name; the node's own dropdowns use the
 * searchable lists of listSearch.ts (see actions/pickers.ts).
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../../shared/meta/graph';
import { approvedTemplates, chosenTemplate } from './templates';

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

/** Approved template names, for every "Template" dropdown. */
export async function getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const byName = new Map<string, Set<string>>();
	for (const template of await approvedTemplates(this)) {
		const languages = byName.get(template.name as string) ?? new Set<string>();
		languages.add(`${template.category ?? ''} ${template.language ?? ''}`.trim());
		byName.set(template.name as string, languages);
	}
	return [...byName.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, languages]) => ({ name, value: name, description: [...languages].join(', ') }));
}

/** The languages the chosen template is approved in. */
export async function getTemplateLanguages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const chosen = chosenTemplate(this);
	const languages = (await approvedTemplates(this))
		.filter((template) => !chosen || template.name === chosen)
		.map((template) => template.language as string)
		.filter(Boolean);
	return [...new Set(languages)].sort().map((code) => ({ name: code, value: code }));
}

/** Catalogs connected to the WABA (Commerce Manager), for every "Catalog" dropdown. */
export async function getCatalogs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: Array<{ id?: string; name?: string }> }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/product_catalogs`,
	});
	return (answer.data ?? [])
		.filter((catalog) => catalog.id)
		.map((catalog) => ({ name: `${catalog.name ?? 'Catalog'} (${String(catalog.id)})`, value: String(catalog.id) }));
}
