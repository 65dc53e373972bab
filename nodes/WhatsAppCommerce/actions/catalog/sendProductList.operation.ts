import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { buildProductListMessage, type ProductSection } from '../../../shared/meta/interactiveMessages';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { catalogIdField, footerField, text } from './catalog.fields';
import { readPick } from '../pickers';

const show = (extra: IDataObject = {}) => ({ show: { resource: ['catalog'], operation: ['sendProductList'], ...extra } });

export const description: INodeProperties[] = [
	catalogIdField(['sendProductList']),
	{ displayName: 'Header Text', name: 'headerText', type: 'string', required: true, default: '', description: 'At most 60 characters', displayOptions: show() },
	{ displayName: 'Body Text', name: 'bodyText', type: 'string', required: true, default: '', description: 'At most 1024 characters', displayOptions: show() },
	footerField(['sendProductList']),
	{
		displayName: 'Sections Input',
		name: 'sectionsInput',
		type: 'options',
		default: 'define',
		options: [
			{ name: 'Define Below', value: 'define' },
			{ name: 'From JSON', value: 'json', description: 'An array of {title, product_retailer_ids} from an expression' },
		],
		displayOptions: show(),
	},
	{
		displayName: 'Sections',
		name: 'sections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Section',
		default: {},
		description: '1 to 10 sections, at most 30 products in all',
		displayOptions: show({ sectionsInput: ['define'] }),
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'At most 24 characters; required when there are several sections' },
					{ displayName: 'Product Retailer IDs', name: 'productRetailerIds', type: 'string', default: '', placeholder: 'sku-1, sku-2', description: 'Comma-separated content IDs (SKUs)' },
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'sectionsJson',
		type: 'json',
		default: '',
		placeholder: '[{"title": "Teas", "product_retailer_ids": ["chai-250g", "green-100g"]}]',
		hint: 'Map an array like [{"title": "Teas", "product_retailer_ids": ["chai-250g"]}]',
		displayOptions: show({ sectionsInput: ['json'] }),
	},
];

function fromJson(raw: unknown): ProductSection[] {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') throw new InputError('sectionsJson', 'Sections (JSON) is empty: map an array of sections');
		try {
			value = JSON.parse(raw);
		} catch {
			value = undefined;
		}
	}
	if (!Array.isArray(value)) throw new InputError('sectionsJson', 'Sections (JSON) must be an array of sections');
	return value.map((entry, index) => {
		const section = (entry ?? {}) as IDataObject;
		const ids = section.product_retailer_ids ?? section.productRetailerIds ??
			(Array.isArray(section.product_items) ? section.product_items.map((item) => (item as IDataObject).product_retailer_id) : undefined);
		if (!Array.isArray(ids)) throw new InputError(`sections[${index}].productRetailerIds`, 'must be an array of retailer IDs');
		return { title: section.title === undefined ? undefined : String(section.title), productRetailerIds: ids.map(String) };
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const sections =
		text(this, 'sectionsInput', itemIndex) === 'json'
			? fromJson(this.getNodeParameter('sectionsJson', itemIndex, '[]'))
			: (((this.getNodeParameter('sections', itemIndex, {}) as IDataObject).section as IDataObject[] | undefined) ?? []).map(
					(section) => ({ title: String(section.title ?? ''), productRetailerIds: String(section.productRetailerIds ?? '').split(',') }),
				);
	const message = buildProductListMessage({
		catalogId: readPick(this, 'catalogId', itemIndex),
		headerText: text(this, 'headerText', itemIndex),
		bodyText: text(this, 'bodyText', itemIndex),
		footerText: text(this, 'footerText', itemIndex) || undefined,
		sections,
	});
	return { ...(await sendMessage(this, phoneNumberId, to, message)) };
}
