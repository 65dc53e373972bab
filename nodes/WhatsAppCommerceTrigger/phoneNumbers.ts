import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../shared/meta/graph';

interface PhoneNumber {
	id: string;
	display_phone_number?: string;
	verified_name?: string;
}

/** The WABA's business phone numbers, for the trigger's "Phone Numbers" dropdown (value: the phone number ID). */
export async function getPhoneNumbers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { businessAccountId } = await metaCredential(this);
	const answer = await graphRequest<{ data?: PhoneNumber[] }>(this, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/phone_numbers`,
		qs: { fields: 'id,display_phone_number,verified_name', limit: 100 },
	});
	return (answer.data ?? []).map((phone) => ({
		name: `${phone.display_phone_number ?? phone.id}${phone.verified_name ? ` (${phone.verified_name})` : ''}`,
		value: phone.id,
		description: `Phone number ID ${phone.id}`,
	}));
}
