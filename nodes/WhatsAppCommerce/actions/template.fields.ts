/**
 * Template name and language dropdowns, shared by every operation that sends a template (order details,
 * order status, payment link, plain templates). Both list only APPROVED templates of the credential's WABA.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/errors';
import { languageField, readPick, templateField } from './pickers';

export function templateFields(resource: string, operations: string[], hint?: string): INodeProperties[] {
	const show = { show: { resource: [resource], operation: operations } };
	return [templateField(show, hint), languageField(show)];
}

export function getTemplate(ctx: IExecuteFunctions, itemIndex: number): { name: string; language: { policy: string; code: string } } {
	const name = readPick(ctx, 'templateName', itemIndex);
	if (!name) throw new InputError('templateName', 'Template name is required (choose an approved template)');
	const code = readPick(ctx, 'languageCode', itemIndex);
	if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(code)) {
		throw new InputError('languageCode', `"${code}" is not a template language code such as en_US or pt_BR`);
	}
	return { name, language: { policy: 'deterministic', code } };
}
