import type { IDataObject } from 'n8n-workflow';

import { runNode, TestCredentialsHelper } from '../harness/engine';
import { loadOptions } from '../harness/methods';
import { MetaCounterpart } from '../counterparts/meta';
import { fieldLabel } from '../../nodes/shared/fieldLabels';

describe('WhatsApp Commerce: Send Order Details (+ Template) through the real engine', () => {
	const meta = new MetaCounterpart({
		templates: [
			{ name: 'order_pay', language: 'en_US', status: 'APPROVED', category: 'UTILITY' },
			{ name: 'order_pay', language: 'hi', status: 'APPROVED', category: 'UTILITY' },
			{ name: 'draft_one', language: 'en_US', status: 'PENDING', category: 'UTILITY' },
			{ name: 'shipped_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY' },
		],
	});
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
	const run = (parameters: Record<string, unknown>, input: IDataObject[] = [{}], continueOnFail = false) =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					operation: 'sendOrderDetails',
					phoneNumberId: { __rl: true, mode: 'id', value: phone },
					to: '919876543210',
					...parameters,
				},
				credentials: ['waCommerceMetaApi'],
				...(continueOnFail ? { continueOnFail: true } : {}),
			},
			input,
			credentials(),
		);

	const importer = {
		countryOfOrigin: 'India',
		importerName: 'Chai Point Imports',
		importerAddressLine1: '1 Road',
		importerCity: 'Delhi',
		importerZoneCode: 'DL',
		importerPostalCode: '110093',
		importerCountryCode: 'IN',
	};
	const importerAddress = { address_line1: '1 Road', city: 'Delhi', zone_code: 'DL', postal_code: '110093', country_code: 'IN' };
	const razorpayOrder = {
		bodyText: 'Your order #A1',
		referenceId: 'A1-1',
		market: 'india',
		goodsType: 'physical-goods',
		paymentTypeIndia: 'payment_gateway',
		configurationName: 'rzp-prod',
		gatewayType: 'razorpay',
		razorpayReceipt: 'A1',
		razorpayNotes: { note: [{ key: 'crm', value: '42' }] },
		itemsInput: 'define',
		items: { item: [{ name: 'Bread', amount: '100.00', quantity: 2 }] },
		tax: '10',
		beneficiary: {
			details: { name: 'R K', address_line1: '12 MG Rd', city: 'Pune', state: 'MH', postal_code: '411001' },
		},
		orderOptions: { ...importer, shipping: '5', discount: '5', footerText: 'Thank you' },
	};

	it('sends the spec\'s consistent Razorpay example exactly, with the amounts computed in paise', async () => {
		const result = await run(razorpayOrder);
		expect(result.error).toBeUndefined();
		const [request] = meta.received('POST');
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/v25.0/${phone}/messages`);
		expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
		expect(request.body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '919876543210',
			type: 'interactive',
			interactive: {
				type: 'order_details',
				body: { text: 'Your order #A1' },
				footer: { text: 'Thank you' },
				action: {
					name: 'review_and_pay',
					parameters: {
						reference_id: 'A1-1',
						type: 'physical-goods',
						beneficiaries: [{ name: 'R K', address_line1: '12 MG Rd', city: 'Pune', state: 'MH', country: 'India', postal_code: '411001' }],
						currency: 'INR',
						total_amount: { value: 21000, offset: 100 },
						payment_settings: [
							{ type: 'payment_gateway', payment_gateway: { type: 'razorpay', configuration_name: 'rzp-prod', razorpay: { receipt: 'A1', notes: { crm: '42' } } } },
						],
						order: {
							status: 'pending',
							items: [
								{ name: 'Bread', amount: { value: 10000, offset: 100 }, quantity: 2, country_of_origin: 'India', importer_name: 'Chai Point Imports', importer_address: importerAddress },
							],
							subtotal: { value: 20000, offset: 100 },
							tax: { value: 1000, offset: 100 },
							shipping: { value: 500, offset: 100 },
							discount: { value: 500, offset: 100 },
						},
					},
				},
			},
		});
		expect(result.items[0].json).toMatchObject({
			messageId: meta.sent[0].id,
			waId: '919876543210',
			referenceId: 'A1-1',
			amounts: {
				subtotal: { minor: 20000, currency: 'INR', decimal: '200.00' },
				tax: { minor: 1000, currency: 'INR', decimal: '10.00' },
				total: { minor: 21000, currency: 'INR', decimal: '210.00' },
			},
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('takes items as JSON from an ERP and sums 0.1 + 0.2 and 3 x 19.99 exactly', async () => {
		const result = await run({
			...razorpayOrder,
			beneficiary: {},
			goodsType: 'digital-goods',
			itemsInput: 'json',
			itemsJson: '={{ $json.lines }}',
			orderOptions: { catalogId: '194836987003835', expiration: '2099-01-01T00:00:00Z', expirationDescription: 'Pay by New Year' },
			tax: '0',
		}, [{ lines: [
			{ name: 'Dime', retailer_id: 'dime', amount: '0.1', quantity: 1 },
			{ name: 'Two dimes', retailer_id: 'dimes', amount: 0.2, quantity: 1 },
			{ name: 'Tea', product_retailer_id: 'tea', unitPrice: { minor: 1999, currency: 'INR' }, quantity: 3 },
		] }]);
		expect(result.error).toBeUndefined();
		const parameters = (meta.sent[0].message.interactive as { action: { parameters: Record<string, any> } }).action.parameters;
		expect(parameters.order.items.map((item: any) => [item.retailer_id, item.amount.value, item.quantity])).toEqual([
			['dime', 10, 1],
			['dimes', 20, 1],
			['tea', 1999, 3],
		]);
		expect(parameters.order.subtotal).toEqual({ value: 6027, offset: 100 });
		expect(parameters.total_amount).toEqual({ value: 6027, offset: 100 });
		expect(parameters.order.catalog_id).toBe('194836987003835');
		expect(parameters.order.expiration).toEqual({ timestamp: '4070908800', description: 'Pay by New Year' });
		expect(result.items[0].json.amounts).toMatchObject({ total: { minor: 6027, decimal: '60.27' } });
	});

	it('sends a Brazil Pix order with payment_type br and BRL', async () => {
		const result = await run({
			bodyText: 'Seu pedido',
			referenceId: 'pedido-123',
			market: 'brazil',
			goodsType: 'physical-goods',
			paymentTypeBrazil: 'pix_dynamic_code',
			pixCode: '00020101021226700014br.gov.bcb.pix',
			pixMerchantName: 'Loja',
			pixKey: '12345678000199',
			pixKeyType: 'CNPJ',
			itemsInput: 'define',
			items: { item: [{ name: 'Camiseta', retailerId: 'tee-1', amount: '49.90', quantity: 2 }] },
			tax: '0',
		});
		expect(result.error).toBeUndefined();
		const parameters = (meta.sent[0].message.interactive as { action: { parameters: Record<string, any> } }).action.parameters;
		expect(parameters).toMatchObject({
			reference_id: 'pedido-123',
			payment_type: 'br',
			currency: 'BRL',
			total_amount: { value: 9980, offset: 100 },
			payment_settings: [{ type: 'pix_dynamic_code', pix_dynamic_code: { code: '00020101021226700014br.gov.bcb.pix', merchant_name: 'Loja', key: '12345678000199', key_type: 'CNPJ' } }],
		});
	});

	it('refuses a given total that disagrees, naming the field and the item, and sends nothing', async () => {
		const result = await run({ ...razorpayOrder, orderOptions: { ...razorpayOrder.orderOptions, total: '200.00' } }, [{}, {}]);
		expect(result.error?.message).toContain('Order Options › Expected Total');
		expect(result.error?.message).toContain('(item 1)');
		expect(result.error?.message).toContain('210.00');
		expect(meta.received('POST')).toHaveLength(0);
	});

	it.each([
		['an item without importer details', { ...razorpayOrder, orderOptions: {} }, 'items[0].countryOfOrigin'],
		['a reference ID with spaces', { ...razorpayOrder, referenceId: 'A 1' }, 'referenceId'],
		['an amount with 3 decimals', { ...razorpayOrder, items: { item: [{ name: 'Bread', amount: '1.005', quantity: 1 }] } }, 'items[0].amount'],
		['a sale amount above the price', { ...razorpayOrder, items: { item: [{ name: 'Bread', amount: '1.00', saleAmount: '2.00', quantity: 1 }] } }, 'items[0].saleAmount'],
		['a PayU field on a Razorpay configuration', { ...razorpayOrder, gatewayType: 'payu', passThroughFields: { field: [{ name: 'receipt', value: 'x' }] } }, 'passThrough.receipt'],
		['UPI above INR 5,00,000', { ...razorpayOrder, items: { item: [{ name: 'Gold', amount: '600000', quantity: 1 }] } }, 'orderOptions.enabledPaymentOptions'],
		['a UPI link with extra fields', { ...razorpayOrder, paymentTypeIndia: 'upi_intent_link', upiLink: 'upi://pay?pa=a@upi&am=5' }, 'upiLink'],
		['an expiration in the past', { ...razorpayOrder, orderOptions: { ...razorpayOrder.orderOptions, expiration: '2020-01-01T00:00:00Z' } }, 'orderOptions.expiration'],
		['items JSON that is not an array', { ...razorpayOrder, itemsInput: 'json', itemsJson: '{"name":"x"}' }, 'itemsJson'],
	])('refuses %s before sending', async (_label, parameters, field) => {
		const result = await run(parameters);
		expect(result.error?.message.toLowerCase()).toContain(fieldLabel('whatsAppCommerce', field).toLowerCase());
		expect(meta.received('POST')).toHaveLength(0);
	});

	it('with continueOnFail, a bad item becomes an error item paired to it and the good one is sent', async () => {
		const result = await run(
			{ ...razorpayOrder, referenceId: '={{ $json.ref }}' },
			[{ ref: 'has space' }, { ref: 'A2-1' }],
			true,
		);
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.error).toContain('Reference ID');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[1].json.referenceId).toBe('A2-1');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(meta.received('POST')).toHaveLength(1);
	});

	it('the counterpart refuses what Meta refuses (its own §7 check) when a mistake slips through', async () => {
		meta.validateMessage = () => undefined;
		const { checkOrderDetails } = await import('../counterparts/metaValidation');
		const wrong = { reference_id: 'X1', type: 'digital-goods', currency: 'INR', total_amount: { value: 100, offset: 100 },
			payment_settings: [{ type: 'upi_intent_link', upi_intent_link: { link: 'upi://pay?pa=a@upi' } }],
			order: { status: 'pending', catalog_id: '1', items: [{ name: 'A', amount: { value: 100, offset: 100 }, quantity: 1 }], subtotal: { value: 90, offset: 100 }, tax: { value: 0, offset: 100 } } };
		expect(checkOrderDetails(wrong)).toContain('subtotal');
	});

	it('Send Order Details Template puts the order in the ORDER_DETAILS button of an approved template', async () => {
		const result = await run({
			...razorpayOrder,
			operation: 'sendOrderDetailsTemplate',
			templateName: 'order_pay',
			languageCode: 'en_US',
			orderOptions: { ...razorpayOrder.orderOptions, headerImageUrl: 'https://cdn.example.com/a1.png' },
		});
		expect(result.error).toBeUndefined();
		const body = meta.received('POST')[0].body as Record<string, any>;
		expect(body.type).toBe('template');
		expect(body.template.name).toBe('order_pay');
		expect(body.template.language).toEqual({ policy: 'deterministic', code: 'en_US' });
		expect(body.template.components[0]).toEqual({ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/a1.png' } }] });
		expect(body.template.components[1]).toMatchObject({ type: 'button', sub_type: 'order_details', index: 0 });
		expect(body.template.components[1].parameters[0].action.order_details.total_amount).toEqual({ value: 21000, offset: 100 });
		expect(result.items[0].json).toMatchObject({ referenceId: 'A1-1', messageStatus: 'accepted' });
	});

	it('lists approved templates and their languages in the dropdowns (real LoadOptionsContext)', async () => {
		const names = await loadOptions('whatsAppCommerce', 'getTemplates', {}, credentials(), ['waCommerceMetaApi']);
		expect(names.map((option) => option.value)).toEqual(['order_pay', 'shipped_update']);
		const languages = await loadOptions('whatsAppCommerce', 'getTemplateLanguages', { templateName: 'order_pay' }, credentials(), ['waCommerceMetaApi']);
		expect(languages.map((option) => option.value)).toEqual(['en_US', 'hi']);
		const configurations = await loadOptions('whatsAppCommerce', 'getPaymentConfigurations', {}, credentials(), ['waCommerceMetaApi']);
		expect(configurations.map((option) => option.value)).toEqual(['rzp-prod']);
		expect(meta.received('GET')[0].headers.authorization).toBe(`Bearer ${meta.state.token}`);
	});
});
