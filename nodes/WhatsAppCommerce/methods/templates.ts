/** What the dropdowns need to know about the WABA's message templates (read from Meta's template list). */
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { graphRequest, metaCredential } from '../../shared/meta/graph';

export interface MessageTemplate {
	name?: string;
	language?: string;
	status?: string;
	category?: string;
	components?: IDataObject[];
}

/** All approved templates of the WABA (Meta pages them; 250 per page covers most businesses in one call). */
export async function approvedTemplates(ctx: ILoadOptionsFunctions): Promise<MessageTemplate[]> {
	const { businessAccountId } = await metaCredential(ctx);
	const answer = await graphRequest<{ data?: MessageTemplate[] }>(ctx, {
		method: 'GET',
		path: `/${encodeURIComponent(businessAccountId)}/message_templates`,
		qs: { fields: 'name,language,status,category,components', limit: 250 },
	});
	return (answer.data ?? []).filter((template) => template.name && (template.status ?? 'APPROVED') === 'APPROVED');
}

const componentOf = (template: MessageTemplate, type: string) =>
	(template.components ?? []).find((component) => String(component.type).toUpperCase() === type);

/** How many {{n}} placeholders the body has; undefined when Meta did not say (no components listed). */
export function bodyParameterCount(template: MessageTemplate): number | undefined {
	if (!template.components) return undefined;
	const text = String(componentOf(template, 'BODY')?.text ?? '');
	const numbers = [...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((match) => Number(match[1]));
	return numbers.length ? Math.max(...numbers) : 0;
}

/** Whether a URL button ends with a {{1}} placeholder, i.e. can carry a payment link's suffix. */
export function hasDynamicUrlButton(template: MessageTemplate): boolean {
	const buttons = (componentOf(template, 'BUTTONS')?.buttons as IDataObject[] | undefined) ?? [];
	return buttons.some((button) => String(button.type).toUpperCase() === 'URL' && /\{\{\s*1\s*\}\}/.test(String(button.url ?? '')));
}

/** The template chosen in the node: a searchable list's value, or a plain name saved by an older version. */
export function chosenTemplate(ctx: ILoadOptionsFunctions): string {
	const value = ctx.getCurrentNodeParameter('templateName') as unknown;
	if (value && typeof value === 'object') return String((value as IDataObject).value ?? '').trim();
	return String(value ?? '').trim();
}
