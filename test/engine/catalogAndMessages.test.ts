import type { IDataObject } from 'n8n-workflow';

import { runNode, TestCredentialsHelper } from '../harness/engine';
import { listSearch, loadOptions } from '../harness/methods';
import { MetaCounterpart } from '../counterparts/meta';
import { fieldLabel } from '../../nodes/shared/fieldLabels';

describe('WhatsApp Commerce: Catalog and Message resources through the real engine', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());

	const credentials = () =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: meta.state.token,
			businessAccountId: meta.state.wabaId,
			apiVersion: 'v25.0',
			baseUrl: meta.baseUrl,
		});
	const phone = '106540352242922';
	const catalogId = '194836987003835';
	const run = (parameters: Record<string, unknown>, input: IDataObject[] = [{}], continueOnFail = false) =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: { phoneNumberId: { __rl: true, mode: 'list', value: phone }, to: '+91 98765-43210', ...parameters },
				credentials: ['waCommerceMetaApi'],
				...(continueOnFail ? { continueOnFail: true } : {}),
			},
			input,
			credentials(),
		);
	const sentBody = () => {
		const [request] = meta.received('POST');
		expect(request.path).toBe(`/v25.0/${phone}/messages`);
		expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
		const { messaging_product, recipient_type, to, ...message } = request.body as Record<string, unknown>;
		expect({ messaging_product, recipient_type, to }).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '919876543210' });
		return message;
	};

	describe('Catalog', () => {
		it('Send Product: catalog and retailer id, body and footer, no header', async () => {
			const result = await run({ resource: 'catalog', operation: 'sendProduct', catalogId, productRetailerId: 'chai-250g', bodyText: 'Our best seller', footerText: 'Chai Point' });
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({
				type: 'interactive',
				interactive: { type: 'product', body: { text: 'Our best seller' }, footer: { text: 'Chai Point' }, action: { catalog_id: catalogId, product_retailer_id: 'chai-250g' } },
			});
			expect(result.items[0].json).toMatchObject({ messageId: meta.sent[0].id, waId: '919876543210', phoneNumberId: phone });
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
		});

		it('Send Product List: sections from the UI, comma-separated SKUs', async () => {
			const result = await run({
				resource: 'catalog',
				operation: 'sendProductList',
				catalogId,
				headerText: 'Our teas',
				bodyText: 'Pick your favourites',
				sections: { section: [{ title: 'Black', productRetailerIds: 'chai-250g, assam-100g' }, { title: 'Green', productRetailerIds: 'sencha-50g' }] },
			});
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({
				type: 'interactive',
				interactive: {
					type: 'product_list',
					header: { type: 'text', text: 'Our teas' },
					body: { text: 'Pick your favourites' },
					action: {
						catalog_id: catalogId,
						sections: [
							{ title: 'Black', product_items: [{ product_retailer_id: 'chai-250g' }, { product_retailer_id: 'assam-100g' }] },
							{ title: 'Green', product_items: [{ product_retailer_id: 'sencha-50g' }] },
						],
					},
				},
			});
		});

		it.each([
			['11 sections', Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, product_retailer_ids: ['a'] })), 'sections'],
			['31 products', [{ title: 'All', product_retailer_ids: Array.from({ length: 31 }, (_, i) => `sku-${i}`) }], 'sections'],
			['a 25-character title', [{ title: 'x'.repeat(25), product_retailer_ids: ['a'] }], 'sections[0].title'],
			['an untitled section among several', [{ product_retailer_ids: ['a'] }, { title: 'B', product_retailer_ids: ['b'] }], 'sections[0].title'],
		])('Send Product List refuses %s and sends nothing', async (_label, sections, field) => {
			const result = await run({ resource: 'catalog', operation: 'sendProductList', catalogId, headerText: 'H', bodyText: 'B', sectionsInput: 'json', sectionsJson: JSON.stringify(sections) });
			expect(result.error?.message.toLowerCase()).toContain(fieldLabel('whatsAppCommerce', field).toLowerCase());
			expect(result.error?.message).toContain('(item 1)');
			expect(meta.received('POST')).toHaveLength(0);
		});

		it('Send Catalog: body, footer and thumbnail', async () => {
			const result = await run({ resource: 'catalog', operation: 'sendCatalog', bodyText: 'Browse our menu', footerText: 'Free delivery', thumbnailProductRetailerId: 'chai-250g' });
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({
				type: 'interactive',
				interactive: {
					type: 'catalog_message',
					body: { text: 'Browse our menu' },
					footer: { text: 'Free delivery' },
					action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'chai-250g' } },
				},
			});
		});

		it('keeps Meta\'s code when the catalog is not connected (counterpart check)', async () => {
			const result = await run({ resource: 'catalog', operation: 'sendProduct', catalogId: '999', productRetailerId: 'x' });
			expect(result.error?.message).toContain('131009');
			expect(meta.sent).toHaveLength(0);
		});
	});

	describe('Message', () => {
		const url = 'https://rzp.io/i/Ab12Cd';

		it('Send Payment Link as a CTA URL button', async () => {
			const result = await run({ resource: 'message', operation: 'sendPaymentLink', url, deliverAs: 'button', bodyText: 'Invoice INV-1 is ready', displayText: 'Pay ₹1,499', footerText: 'Secure payment' });
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({
				type: 'interactive',
				interactive: {
					type: 'cta_url',
					body: { text: 'Invoice INV-1 is ready' },
					footer: { text: 'Secure payment' },
					action: { name: 'cta_url', parameters: { display_text: 'Pay ₹1,499', url } },
				},
			});
			expect(result.items[0].json).toMatchObject({ url, deliveredAs: 'button', messageId: meta.sent[0].id });
		});

		it('Send Payment Link as a template with a URL button suffix taken from the link', async () => {
			const result = await run({
				resource: 'message',
				operation: 'sendPaymentLink',
				url,
				deliverAs: 'template',
				templateName: 'payment_reminder',
				languageCode: 'en_US',
				bodyParameters: { parameter: [{ text: 'Asha' }, { text: 'INV-1' }] },
			});
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({
				type: 'template',
				template: {
					name: 'payment_reminder',
					language: { policy: 'deterministic', code: 'en_US' },
					components: [
						{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: 'INV-1' }] },
						{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'Ab12Cd' }] },
					],
				},
			});
		});

		it('Send Payment Link as text with preview, the link placed where {{link}} is', async () => {
			const result = await run({ resource: 'message', operation: 'sendPaymentLink', url, deliverAs: 'text', text: 'Pay here: {{link}} (valid 24 h)' });
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({ type: 'text', text: { preview_url: true, body: `Pay here: ${url} (valid 24 h)` } });
		});

		it.each([
			['a button text over 20 characters', { deliverAs: 'button', bodyText: 'B', displayText: 'Pay your invoice right now' }, 'displayText'],
			['a link that is not http(s)', { deliverAs: 'button', bodyText: 'B', url: 'javascript:alert(1)' }, 'url'],
			['a template without a language', { deliverAs: 'template', templateName: 'payment_reminder', languageCode: '={{ "english" }}' }, 'languageCode'],
		])('Send Payment Link refuses %s and sends nothing', async (_label, parameters, field) => {
			const result = await run({ resource: 'message', operation: 'sendPaymentLink', url, ...parameters });
			expect(result.error?.message.toLowerCase()).toContain(fieldLabel('whatsAppCommerce', field).toLowerCase());
			expect(meta.received('POST')).toHaveLength(0);
		});

		it('Send Template: header image, body and button parameters', async () => {
			const result = await run({
				resource: 'message',
				operation: 'sendTemplate',
				templateName: 'payment_reminder',
				languageCode: 'en_US',
				headerType: 'image',
				headerValue: 'https://cdn.example.com/invoice.png',
				bodyParameters: { parameter: [{ text: 'Asha' }, { text: 'INV-1' }] },
				buttonParameters: { button: [{ index: 0, subType: 'url', value: 'Ab12Cd' }] },
			});
			expect(result.error).toBeUndefined();
			expect(sentBody()).toEqual({
				type: 'template',
				template: {
					name: 'payment_reminder',
					language: { policy: 'deterministic', code: 'en_US' },
					components: [
						{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/invoice.png' } }] },
						{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: 'INV-1' }] },
						{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'Ab12Cd' }] },
					],
				},
			});
			expect(result.items[0].json).toMatchObject({ template: 'payment_reminder', language: 'en_US', messageStatus: 'accepted' });
		});

		it('Send Template keeps Meta\'s 132000 when the parameter count is wrong, and says what to do', async () => {
			const result = await run({ resource: 'message', operation: 'sendTemplate', templateName: 'payment_reminder', languageCode: 'en_US', bodyParameters: { parameter: [{ text: 'Asha' }] } });
			expect(result.error?.message).toContain('132000');
			expect(meta.sent).toHaveLength(0);
		});

		it('Send Template: an unknown template is Meta\'s 132001; under continueOnFail the item carries it', async () => {
			const result = await run({ resource: 'message', operation: 'sendTemplate', templateName: 'nope', languageCode: 'en_US' }, [{}], true);
			expect(result.items[0].json.error).toEqual(expect.stringContaining('132001'));
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
		});

		it('outside the 24-hour window, a button is refused with 131047 and the hint to use a template', async () => {
			meta.state.openWindows = new Set();
			try {
				const result = await run({ resource: 'message', operation: 'sendPaymentLink', url, deliverAs: 'button', bodyText: 'B' });
				expect(result.error?.message).toContain('131047');
				expect(`${result.error?.message} ${result.error?.description}`).toMatch(/template/i);
				const retry = await run({ resource: 'message', operation: 'sendPaymentLink', url, deliverAs: 'template', templateName: 'payment_reminder', languageCode: 'en_US', bodyParameters: { parameter: [{ text: 'A' }, { text: 'B' }] } });
				expect(retry.error).toBeUndefined();
			} finally {
				meta.state.openWindows = null;
			}
		});
	});

	describe('Dropdowns (real LoadOptionsContext)', () => {
		it('lists catalogs and phone numbers of the WABA', async () => {
			const catalogs = await loadOptions('whatsAppCommerce', 'getCatalogs', {}, credentials(), ['waCommerceMetaApi']);
			expect(catalogs).toEqual([{ name: `Chai Point catalog (${catalogId})`, value: catalogId }]);
			const phones = await listSearch('whatsAppCommerce', 'searchPhoneNumbers', {}, credentials(), ['waCommerceMetaApi'], 'brasil');
			expect(phones.results).toEqual([{ name: '+55 11 90000 0000 (Loja Brasil)', value: '106540352242999' }]);
		});
	});
});
