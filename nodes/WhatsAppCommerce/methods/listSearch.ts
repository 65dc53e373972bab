/**
 * The searchable dropdowns of the WhatsApp Commerce node (see actions/pickers.ts for why they are searchable
 * lists): sender phone number, payment configuration, catalog, template and template language. Each reads
 * the credential's WhatsApp Business Account; `filter` narrows by name.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../../shared/meta/graph';
import { approvedTemplates, bodyParameterCount, chosenTemplate, hasDynamicUrlButton, type MessageTemplate } from './templates';

interface PhoneNumber {
	id: string;
	display_phone_number?: string;
	verified_name?: string;
}

function matching(items: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const needle = (filter ?? '').toLowerCase();
	return {
		results: items.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || String(entry.value).toLowerCase().includes(needle)),
	};
}

/** The WABA's business phone numbers, for the "Sender Phone Number" dropdown. */
export async function searchPhoneNumbers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: PhoneNumber[] }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/phone_numbers`,
		qs: { fields: 'id,display_phone_number,verified_name', limit: 100 },
	});
	return matching(
		(answer.data ?? []).map((phone) => ({
			name: `${phone.display_phone_number ?? phone.id}${phone.verified_name ? ` (${phone.verified_name})` : ''}`,
			value: phone.id,
		})),
		filter,
	);
}

/** The WABA's payment configurations (India), with the provider each one pays through. */
export async function searchPaymentConfigurations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: Array<{ payment_configurations?: IDataObject[] }> }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/payment_configurations`,
	});
	return matching(
		(answer.data ?? [])
			.flatMap((entry) => entry.payment_configurations ?? [])
			.map((configuration) => ({
				name: `${String(configuration.configuration_name)} (${String(configuration.provider_name ?? 'provider')}, ${String(configuration.status ?? 'unknown')})`,
				value: String(configuration.configuration_name),
			})),
		filter,
	);
}

/** Catalogs connected to the WABA (Commerce Manager). */
export async function searchCatalogs(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: Array<{ id?: string; name?: string }> }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/product_catalogs`,
	});
	return matching(
		(answer.data ?? [])
			.filter((catalog) => catalog.id)
			.map((catalog) => ({ name: `${catalog.name ?? 'Catalog'} (${String(catalog.id)})`, value: String(catalog.id) })),
		filter,
	);
}

/**
 * What the merchant must know to fill a template, in the entry itself (n8n's list shows names, not
 * descriptions): "payment_reminder (2 body parameters, URL button, en_US)".
 */
function describe(name: string, versions: MessageTemplate[]): string {
	const first = versions[0];
	const count = bodyParameterCount(first);
	const parameters = count === undefined ? '' : count === 0 ? 'no body parameters' : `${count} body parameter${count === 1 ? '' : 's'}`;
	const languages = versions.map((template) => template.language).filter(Boolean).join(', ');
	const facts = [parameters, hasDynamicUrlButton(first) ? 'URL button' : '', languages].filter(Boolean);
	return facts.length ? `${name} (${facts.join(', ')})` : name;
}

/**
 * Approved templates. For Send Payment Link's template mode only the ones whose URL button takes the link
 * ({{1}} at the end of the button URL) are listed: any other template cannot carry the payment link.
 */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const urlButtonOnly = this.getCurrentNodeParameter('operation') === 'sendPaymentLink';
	const byName = new Map<string, MessageTemplate[]>();
	for (const template of await approvedTemplates(this)) {
		if (urlButtonOnly && !hasDynamicUrlButton(template)) continue;
		byName.set(template.name as string, [...(byName.get(template.name as string) ?? []), template]);
	}
	return matching(
		[...byName.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([name, versions]) => ({ name: describe(name, versions), value: name })),
		filter,
	);
}

/** The languages the chosen template is approved in (all languages while no template is chosen). */
export async function searchTemplateLanguages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const chosen = chosenTemplate(this);
	const languages = (await approvedTemplates(this))
		.filter((template) => !chosen || chosen.startsWith('=') || template.name === chosen)
		.map((template) => template.language as string)
		.filter(Boolean);
	return matching([...new Set(languages)].sort().map((code) => ({ name: code, value: code })), filter);
}
