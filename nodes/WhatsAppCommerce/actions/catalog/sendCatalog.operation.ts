import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildCatalogMessage } from '../../../shared/meta/interactiveMessages';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { footerField, text } from './catalog.fields';

const show = { show: { resource: ['catalog'], operation: ['sendCatalog'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'Browse our menu and order in a few taps',
		description: 'Text above the "View catalog" button (at most 1024 characters). The catalog is the one connected to the sending number.',
		displayOptions: show,
	},
	{
		displayName: 'Thumbnail Product Retailer ID',
		name: 'thumbnailProductRetailerId',
		type: 'string',
		default: '',
		description: 'Product whose image is shown as the thumbnail (default: the first product)',
		displayOptions: show,
	},
	footerField(['sendCatalog']),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const message = buildCatalogMessage({
		bodyText: text(this, 'bodyText', itemIndex),
		footerText: text(this, 'footerText', itemIndex) || undefined,
		thumbnailProductRetailerId: text(this, 'thumbnailProductRetailerId', itemIndex) || undefined,
	});
	return { ...(await sendMessage(this, phoneNumberId, to, message)) };
}
