/**
 * Template parameters as fields: header (text or media), body texts in order ({{1}}, {{2}}, ...) and button
 * parameters. Shared by Send Template and Send Payment Link's template mode.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { checkUrl } from '../../../shared/meta/orderDetails';
import { itemParameter } from '../../../shared/parameters';

export function bodyParametersField(operations: string[]): INodeProperties {
	return {
		displayName: 'Body Parameters',
		name: 'bodyParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Parameter',
		default: {},
		description: 'Values for the template body placeholders {{1}}, {{2}} and so on, in order',
		hint: 'One per {{n}} in the template\'s text, in order; the Template list says how many each template needs',
		displayOptions: { show: { resource: ['message'], operation: operations } },
		options: [{ displayName: 'Parameter', name: 'parameter', values: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }] }],
	};
}

export function readBodyComponent(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const rows = ((itemParameter(ctx, 'bodyParameters', itemIndex, {}) as IDataObject).parameter as IDataObject[] | undefined) ?? [];
	if (rows.length === 0) return [];
	return [
		{
			type: 'body',
			parameters: rows.map((row, index) => {
				const text = String(row.text ?? '');
				if (!text.trim()) throw new InputError(`bodyParameters[${index}].text`, 'Template parameters cannot be empty (Meta refuses them)');
				return { type: 'text', text };
			}),
		},
	];
}

export function readHeaderComponent(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const type = String(itemParameter(ctx, 'headerType', itemIndex, 'none'));
	if (type === 'none') return [];
	const value = String(itemParameter(ctx, 'headerValue', itemIndex, '') ?? '').trim();
	if (!value) throw new InputError('headerValue', 'The header value is required for this header type');
	if (type === 'text') return [{ type: 'header', parameters: [{ type: 'text', text: value }] }];
	checkUrl(value, 'headerValue');
	return [{ type: 'header', parameters: [{ type, [type]: { link: value } }] }];
}
