/**
 * Template name and language dropdowns, shared by every operation that sends a template (order details,
 * order status, payment link, plain templates). Both list only APPROVED templates of the credential's WABA.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/errors';

export function templateFields(resource: string, operations: string[]): INodeProperties[] {
	const show = { show: { resource: [resource], operation: operations } };
	return [
		{
			displayName: 'Template Name or ID',
			name: 'templateName',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTemplates' },
			required: true,
			default: '',
			description: 'An approved template of the WhatsApp Business Account. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: show,
		},
		{
			displayName: 'Language Name or ID',
			name: 'languageCode',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTemplateLanguages', loadOptionsDependsOn: ['templateName'] },
			required: true,
			default: '',
			description: 'A language the template is approved in, e.g. en_US. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: show,
		},
	];
}

export function getTemplate(ctx: IExecuteFunctions, itemIndex: number): { name: string; language: { policy: string; code: string } } {
	const name = String(ctx.getNodeParameter('templateName', itemIndex, '') ?? '').trim();
	if (!name) throw new InputError('templateName', 'Template name is required (choose an approved template)');
	const code = String(ctx.getNodeParameter('languageCode', itemIndex, '') ?? '').trim();
	if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(code)) {
		throw new InputError('languageCode', `"${code}" is not a template language code such as en_US or pt_BR`);
	}
	return { name, language: { policy: 'deterministic', code } };
}
