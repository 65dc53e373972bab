/**
 * Builders for the catalog and link messages (spec §5, §6) with Meta's limits checked before sending:
 * product lists of 1-10 sections and at most 30 products, section titles, CTA button text, text length.
 * Pure: each returns the message object after `to` (type + its payload) or throws an InputError naming the field.
 */
import { InputError } from '../errors';
import { checkUrl } from './orderDetails';

export interface ProductSection {
	title?: string;
	productRetailerIds: string[];
}

function limit(value: string | undefined, max: number, field: string, label: string): void {
	if (value !== undefined && value.length > max) {
		throw new InputError(field, `${label} is ${value.length} characters; Meta allows at most ${max}`);
	}
}

function need(value: string | undefined, field: string, label: string): string {
	const text = (value ?? '').trim();
	if (!text) throw new InputError(field, `${label} is required`);
	return text;
}

const optionalText = (key: 'footer' | 'body', text?: string) => (text ? { [key]: { text } } : {});

export function buildProductMessage(input: { catalogId: string; productRetailerId: string; bodyText?: string; footerText?: string }) {
	limit(input.bodyText, 1024, 'bodyText', 'Body text');
	limit(input.footerText, 60, 'footerText', 'Footer text');
	return {
		type: 'interactive',
		interactive: {
			type: 'product',
			...optionalText('body', input.bodyText),
			...optionalText('footer', input.footerText),
			action: {
				catalog_id: need(input.catalogId, 'catalogId', 'Catalog ID'),
				product_retailer_id: need(input.productRetailerId, 'productRetailerId', 'Product retailer ID'),
			},
		},
	};
}

export function buildProductListMessage(input: {
	catalogId: string;
	headerText: string;
	bodyText: string;
	footerText?: string;
	sections: ProductSection[];
}) {
	const header = need(input.headerText, 'headerText', 'Header text');
	limit(header, 60, 'headerText', 'Header text');
	const body = need(input.bodyText, 'bodyText', 'Body text');
	limit(body, 1024, 'bodyText', 'Body text');
	limit(input.footerText, 60, 'footerText', 'Footer text');
	const { sections } = input;
	if (sections.length < 1 || sections.length > 10) {
		throw new InputError('sections', `A product list has 1 to 10 sections (got ${sections.length})`);
	}
	let products = 0;
	const built = sections.map((section, index) => {
		const at = `sections[${index}]`;
		const title = (section.title ?? '').trim();
		if (sections.length > 1 && !title) throw new InputError(`${at}.title`, 'Each section needs a title when there are several');
		limit(title, 24, `${at}.title`, 'Section title');
		const ids = section.productRetailerIds.map((id) => id.trim()).filter(Boolean);
		if (ids.length === 0) throw new InputError(`${at}.productRetailerIds`, 'Each section needs at least one product');
		products += ids.length;
		return { ...(title ? { title } : {}), product_items: ids.map((id) => ({ product_retailer_id: id })) };
	});
	if (products > 30) throw new InputError('sections', `A product list shows at most 30 products (got ${products})`);
	return {
		type: 'interactive',
		interactive: {
			type: 'product_list',
			header: { type: 'text', text: header },
			body: { text: body },
			...optionalText('footer', input.footerText),
			action: { catalog_id: need(input.catalogId, 'catalogId', 'Catalog ID'), sections: built },
		},
	};
}

export function buildCatalogMessage(input: { bodyText: string; footerText?: string; thumbnailProductRetailerId?: string }) {
	const body = need(input.bodyText, 'bodyText', 'Body text');
	limit(body, 1024, 'bodyText', 'Body text');
	limit(input.footerText, 60, 'footerText', 'Footer text');
	const thumbnail = (input.thumbnailProductRetailerId ?? '').trim();
	return {
		type: 'interactive',
		interactive: {
			type: 'catalog_message',
			body: { text: body },
			...optionalText('footer', input.footerText),
			action: {
				name: 'catalog_message',
				...(thumbnail ? { parameters: { thumbnail_product_retailer_id: thumbnail } } : {}),
			},
		},
	};
}

/** A payment URL as a CTA URL button (spec §6): display text at most 20 characters. */
export function buildCtaUrlMessage(input: { url: string; displayText: string; bodyText: string; headerText?: string; footerText?: string }) {
	checkUrl(input.url, 'url');
	const displayText = need(input.displayText, 'displayText', 'Button text');
	limit(displayText, 20, 'displayText', 'Button text');
	const body = need(input.bodyText, 'bodyText', 'Body text');
	limit(body, 1024, 'bodyText', 'Body text');
	limit(input.headerText, 60, 'headerText', 'Header text');
	limit(input.footerText, 60, 'footerText', 'Footer text');
	return {
		type: 'interactive',
		interactive: {
			type: 'cta_url',
			...(input.headerText ? { header: { type: 'text', text: input.headerText } } : {}),
			body: { text: body },
			...optionalText('footer', input.footerText),
			action: { name: 'cta_url', parameters: { display_text: displayText, url: input.url } },
		},
	};
}

/** A payment URL inside a text message with link preview; `{{link}}` in the text is replaced, else appended. */
export function buildTextLinkMessage(input: { url: string; text: string }) {
	checkUrl(input.url, 'url');
	const text = input.text.includes('{{link}}') ? input.text.split('{{link}}').join(input.url) : `${input.text.trim()}\n${input.url}`.trim();
	limit(text, 4096, 'text', 'Text');
	return { type: 'text', text: { preview_url: true, body: text } };
}

/** The dynamic part of a URL for a template URL button whose URL is "https://base/{{1}}". */
export function urlSuffix(url: string, explicit?: string): string {
	checkUrl(url, 'url');
	const suffix = (explicit ?? '').trim() || url.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() || '';
	if (!suffix) throw new InputError('urlSuffix', `Could not take a URL suffix from "${url}"; set it explicitly`);
	return suffix;
}
