/**
 * The dropdowns filled from the merchant's WhatsApp Business Account: payment configuration, catalog,
 * template and template language. They are searchable lists (resource locators), not plain option lists:
 * n8n's editor asks a plain list for its options once, when the panel opens, which for a node just added
 * is before its credential is set ("Error fetching options" until the panel is reopened, issue 19 item 2);
 * a searchable list asks again as soon as the credential is there. A typed name or an expression works too.
 * Workflows saved with a plain string value keep working: `readPick` reads both shapes.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemParameter } from '../../shared/parameters';

interface PickerSpec {
	displayName: string;
	name: string;
	searchListMethod: string;
	description: string;
	/** Typed by hand (the "By Name" / "By ID" mode): what it looks like. */
	typedName: string;
	typedPlaceholder: string;
	displayOptions: INodeProperties['displayOptions'];
	hint?: string;
}

function picker(spec: PickerSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: spec.description,
		...(spec.hint ? { hint: spec.hint } : {}),
		displayOptions: spec.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{ displayName: spec.typedName, name: 'id', type: 'string', placeholder: spec.typedPlaceholder },
		],
	};
}

export function paymentConfigurationField(displayOptions: INodeProperties['displayOptions'], description: string): INodeProperties {
	return picker({
		displayName: 'Payment Configuration',
		name: 'configurationName',
		searchListMethod: 'searchPaymentConfigurations',
		description,
		typedName: 'By Name',
		typedPlaceholder: 'rzp-prod',
		displayOptions,
	});
}

export function catalogField(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return picker({
		displayName: 'Catalog',
		name: 'catalogId',
		searchListMethod: 'searchCatalogs',
		description: 'A catalog connected to the WhatsApp Business Account (Commerce Manager)',
		typedName: 'By ID',
		typedPlaceholder: '194836987003835',
		displayOptions,
	});
}

export function templateField(displayOptions: INodeProperties['displayOptions'], hint?: string): INodeProperties {
	return picker({
		displayName: 'Template',
		name: 'templateName',
		searchListMethod: 'searchTemplates',
		description: 'An approved template of the WhatsApp Business Account; the list says how many body parameters each needs',
		typedName: 'By Name',
		typedPlaceholder: 'order_update',
		displayOptions,
		hint,
	});
}

export function languageField(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return picker({
		displayName: 'Language',
		name: 'languageCode',
		searchListMethod: 'searchTemplateLanguages',
		description: 'A language the chosen template is approved in',
		typedName: 'By Code',
		typedPlaceholder: 'en_US',
		displayOptions,
	});
}

/** The chosen value of a picker (list, typed, expression, or a plain string saved by an older version). */
export function readPick(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = itemParameter(ctx, name, itemIndex, '', { extractValue: true });
	if (value && typeof value === 'object') return String((value as IDataObject).value ?? '').trim();
	return String(value ?? '').trim();
}
