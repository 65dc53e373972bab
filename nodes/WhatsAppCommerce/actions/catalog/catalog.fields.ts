/** Fields shared by the catalog operations: the catalog dropdown and the optional footer. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { catalogField } from '../pickers';

export function catalogIdField(operations: string[]): INodeProperties {
	return catalogField({ show: { resource: ['catalog'], operation: operations } });
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
