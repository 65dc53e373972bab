import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../../shared/meta/graph';

interface PhoneNumber {
	id: string;
	display_phone_number?: string;
	verified_name?: string;
}

/** The WABA's business phone numbers, for the "Sender Phone Number" dropdown. */
export async function searchPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: PhoneNumber[] }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/phone_numbers`,
		qs: { fields: 'id,display_phone_number,verified_name', limit: 100 },
	});
	const needle = (filter ?? '').toLowerCase();
	const results = (answer.data ?? [])
		.map((phone) => ({
			name: `${phone.display_phone_number ?? phone.id}${phone.verified_name ? ` (${phone.verified_name})` : ''}`,
			value: phone.id,
		}))
		.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || entry.value.includes(needle));
	return { results };
}
