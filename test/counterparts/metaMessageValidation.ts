/**
 * Meta's checks on catalog, CTA URL, text and template messages, as the counterpart enforces them
 * (product_list limits, display_text length, template existence and parameter counts), answered
 * with Meta's error shapes. Independent from the node's builders (nodes/shared/meta/interactiveMessages.ts).
 */
import type { MessageValidator, MetaState } from './meta';
import { metaError } from './meta';
import type { Reply } from './server';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const invalid = (details: string): Reply => metaError(400, 131009, '(#131009) Parameter value is not valid', details);
const missing = (details: string): Reply => metaError(400, 131008, '(#131008) Required parameter is missing', details);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function checkInteractive(interactive: Obj, state: MetaState): Reply | undefined {
	const action = obj(interactive.action);
	const body = text(obj(interactive.body).text);
	const footer = text(obj(interactive.footer).text);
	if (footer !== undefined && footer.length > 60) return invalid('footer.text is too long');
	if (body !== undefined && body.length > 1024) return invalid('body.text is too long');
	switch (interactive.type) {
		case 'product':
			if (interactive.header !== undefined) return invalid('A single product message cannot have a header');
			if (!action.catalog_id || !action.product_retailer_id) return missing('action.catalog_id and action.product_retailer_id are required');
			return knownCatalog(String(action.catalog_id), state);
		case 'product_list': {
			const header = obj(interactive.header);
			if (header.type !== 'text' || !text(header.text)) return missing('header of type text is required');
			if (!body) return missing('body.text is required');
			const sections = list(action.sections);
			if (sections.length < 1 || sections.length > 10) return invalid('sections must have 1 to 10 entries');
			let products = 0;
			for (const section of sections) {
				const title = text(section.title);
				if (sections.length > 1 && !title) return missing('section title is required with several sections');
				if (title && title.length > 24) return invalid('section title is too long');
				const items = list(section.product_items);
				if (items.length === 0 || items.some((item) => !item.product_retailer_id)) return invalid('product_items are invalid');
				products += items.length;
			}
			if (products > 30) return invalid('at most 30 products');
			return knownCatalog(String(action.catalog_id ?? ''), state);
		}
		case 'catalog_message':
			if (action.name !== 'catalog_message') return invalid('action.name must be catalog_message');
			if (!body) return missing('body.text is required');
			return undefined;
		case 'cta_url': {
			const parameters = obj(action.parameters);
			const displayText = text(parameters.display_text) ?? '';
			if (action.name !== 'cta_url') return invalid('action.name must be cta_url');
			if (!body) return missing('body.text is required');
			if (!displayText || displayText.length > 20) return invalid('display_text must have 1 to 20 characters');
			if (!/^https?:\/\//.test(String(parameters.url ?? ''))) return invalid('url is invalid');
			return undefined;
		}
		default:
			return undefined;
	}
}

function knownCatalog(id: string, state: MetaState): Reply | undefined {
	if (!id) return missing('action.catalog_id is required');
	if (!state.catalogs.some((catalog) => catalog.id === id)) {
		return metaError(400, 131009, '(#131009) Parameter value is not valid', `Catalog ${id} is not connected to this WhatsApp Business Account`);
	}
	return undefined;
}

/** Counts {{n}} placeholders of a template component's text. */
const placeholders = (value: unknown): number => new Set(String(value ?? '').match(/\{\{\d+\}\}/g) ?? []).size;

function checkTemplate(template: Obj, state: MetaState): Reply | undefined {
	const name = text(template.name);
	const language = text(obj(template.language).code);
	if (!name || !language) return missing('template.name and template.language.code are required');
	const known = state.templates.filter((entry) => entry.name === name && (entry.status ?? 'APPROVED') === 'APPROVED');
	if (known.length === 0) return metaError(404, 132001, '(#132001) Template name does not exist in the translation', `template name (${name}) does not exist in ${language}`);
	const translation = known.find((entry) => entry.language === language);
	if (!translation) return metaError(404, 132001, '(#132001) Template name does not exist in the translation', `template name (${name}) does not exist in ${language}`);
	// Parameter counts are checked only for templates whose components the test state describes.
	const components = list(translation.components);
	const sent = list(template.components);
	for (const component of components) {
		const type = String(component.type).toLowerCase();
		if (type === 'body') {
			const expected = placeholders(component.text);
			const given = list(sent.find((entry) => entry.type === 'body')?.parameters).length;
			if (expected !== given) {
				return metaError(400, 132000, '(#132000) Number of parameters does not match the expected number of params', `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`);
			}
		}
		if (type === 'buttons') {
			for (const [index, button] of list(component.buttons).entries()) {
				if (String(button.type).toUpperCase() === 'URL' && placeholders(button.url) > 0) {
					const given = sent.find((entry) => entry.type === 'button' && entry.sub_type === 'url' && String(entry.index) === String(index));
					if (!given || list(given.parameters).length !== 1) {
						return metaError(400, 132000, '(#132000) Number of parameters does not match the expected number of params', `button ${index}: a URL suffix parameter is required`);
					}
				}
			}
		}
	}
	return undefined;
}

export const validateGeneralMessage: MessageValidator = (message, state) => {
	if (message.type === 'interactive') return checkInteractive(obj(message.interactive), state);
	if (message.type === 'text') {
		const body = text(obj(message.text).body);
		if (!body) return missing('text.body is required');
		if (body.length > 4096) return invalid('text.body is too long');
		return undefined;
	}
	if (message.type === 'template') return checkTemplate(obj(message.template), state);
	return undefined;
};
