/** Fields shared by the catalog operations: the catalog dropdown and the optional footer. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export function catalogIdField(operations: string[]): INodeProperties {
	return {
		displayName: 'Catalog Name or ID',
		name: 'catalogId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCatalogs' },
		required: true,
		default: '',
		description: 'A catalog connected to the WhatsApp Business Account. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { resource: ['catalog'], operation: operations } },
	};
}

export function footerField(operations: string[]): INodeProperties {
	return {
		displayName: 'Footer Text',
		name: 'footerText',
		type: 'string',
		default: '',
		description: 'Optional, at most 60 characters',
		displayOptions: { show: { resource: ['catalog'], operation: operations } },
	};
}

export const text = (ctx: IExecuteFunctions, name: string, itemIndex: number): string =>
	String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
