import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { itemParameter } from '../../../shared/parameters';
import { getPhoneNumberId, getRecipient, sendMessage } from '../common';
import { getTemplate, templateFields } from '../template.fields';
import { bodyParametersField, readBodyComponent, readHeaderComponent } from './templateParameters';

const show = { show: { resource: ['message'], operation: ['sendTemplate'] } };

export const description: INodeProperties[] = [
	...templateFields('message', ['sendTemplate']),
	{
		displayName: 'Header',
		name: 'headerType',
		type: 'options',
		default: 'none',
		description: 'The header parameter, when the template has a variable header',
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		displayOptions: show,
	},
	{
		displayName: 'Header Value',
		name: 'headerValue',
		type: 'string',
		default: '',
		description: 'The header text, or the public URL of the image, document or video',
		displayOptions: { show: { resource: ['message'], operation: ['sendTemplate'], headerType: ['document', 'image', 'text', 'video'] } },
	},
	bodyParametersField(['sendTemplate']),
	{
		displayName: 'Button Parameters',
		name: 'buttonParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button Parameter',
		default: {},
		description: 'Dynamic URL suffixes and quick-reply payloads, by button index',
		displayOptions: show,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Index', name: 'index', type: 'number', default: 0, typeOptions: { minValue: 0, maxValue: 9 } },
					{
						displayName: 'Type',
						name: 'subType',
						type: 'options',
						default: 'url',
						options: [
							{ name: 'Quick Reply (Payload)', value: 'quick_reply' },
							{ name: 'URL (Dynamic Suffix)', value: 'url' },
						],
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const to = getRecipient(this, itemIndex);
	const template = getTemplate(this, itemIndex);
	const buttons = ((itemParameter(this, 'buttonParameters', itemIndex, {}) as IDataObject).button as IDataObject[] | undefined) ?? [];
	const components: IDataObject[] = [
		...readHeaderComponent(this, itemIndex),
		...readBodyComponent(this, itemIndex),
		...buttons.map((button, index) => {
			const value = String(button.value ?? '').trim();
			if (!value) throw new InputError(`buttonParameters[${index}].value`, 'The button parameter value is required');
			const subType = String(button.subType ?? 'url');
			return {
				type: 'button',
				sub_type: subType,
				index: String(button.index ?? 0),
				parameters: [subType === 'quick_reply' ? { type: 'payload', payload: value } : { type: 'text', text: value }],
			};
		}),
	];
	const sent = await sendMessage(this, phoneNumberId, to, {
		type: 'template',
		template: { ...template, ...(components.length ? { components } : {}) },
	});
	return { ...sent, template: template.name, language: template.language.code };
}
