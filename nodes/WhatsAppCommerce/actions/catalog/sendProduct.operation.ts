import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildProductMessage } from '../../../shared/meta/interactiveMessages';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { catalogIdField, footerField, text } from './catalog.fields';
import { readPick } from '../pickers';

const show = { show: { resource: ['catalog'], operation: ['sendProduct'] } };

export const description: INodeProperties[] = [
	catalogIdField(['sendProduct']),
	{
		displayName: 'Product Retailer ID',
		name: 'productRetailerId',
		type: 'string',
		required: true,
		default: '',
		description: 'The product\'s content ID (SKU) in the catalog',
		displayOptions: show,
	},
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		default: '',
		description: 'Optional text above the product (a single-product message has no header)',
		displayOptions: show,
	},
	footerField(['sendProduct']),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const message = buildProductMessage({
		catalogId: readPick(this, 'catalogId', itemIndex),
		productRetailerId: text(this, 'productRetailerId', itemIndex),
		bodyText: text(this, 'bodyText', itemIndex) || undefined,
		footerText: text(this, 'footerText', itemIndex) || undefined,
	});
	return { ...(await sendMessage(this, phoneNumberId, to, message)) };
}
