/**
 * The output schemas shipped with the action nodes (issue 19, item 16). n8n serves
 * `nodes/<Node>/__schema__/v1.0.0/<resource>/<operation>.json` (copied to dist by `n8n-node build`) at
 * `/schemas/<package>.<node>/1.0.0/<resource>/<operation>.json`, and the editor shows it as the input of the
 * next node before a first run, so fields can be mapped before anything is sent.
 *
 * Each schema here is derived from what the operation really outputs through n8n-core's engine against the
 * loopback counterparts; the test fails when a shipped schema and the output drift apart.
 * `UPDATE_OUTPUT_SCHEMAS=1 npx jest test/engine/outputSchemas.test.ts` rewrites them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { MetaCounterpart } from '../counterparts/meta';
import { RazorpayCounterpart } from '../counterparts/razorpay';
import { runNode, TestCredentialsHelper } from '../harness/engine';

type JsonSchema = { type: string; properties?: Record<string, JsonSchema>; items?: JsonSchema };

/** A JSON schema of the value, in the subset n8n's schema view reads (type, properties, items). */
function schemaOf(value: unknown): JsonSchema {
	// The only nulls in outputs are ids Meta withheld (userId when sent to a phone): text when present.
	if (value === null || value === undefined) return { type: 'string' };
	if (Array.isArray(value)) return value.length ? { type: 'array', items: value.map(schemaOf).reduce(merge) } : { type: 'array' };
	if (typeof value === 'object') {
		// `raw` is the gateway's own answer, which differs per gateway: shipped as an object without fields.
		const properties = Object.fromEntries(
			Object.entries(value as IDataObject).map(([key, inner]) => [key, key === 'raw' ? { type: 'object' } : schemaOf(inner)]),
		);
		return { type: 'object', properties };
	}
	return { type: typeof value };
}

function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
	if (a.type === 'null') return b;
	if (b.type === 'null' || a.type !== b.type) return a;
	if (a.type === 'object') {
		const properties = { ...a.properties };
		for (const [key, inner] of Object.entries(b.properties ?? {})) properties[key] = properties[key] ? merge(properties[key], inner) : inner;
		return { type: 'object', properties };
	}
	if (a.type === 'array' && a.items && b.items) return { type: 'array', items: merge(a.items, b.items) };
	return a.items || !b.items ? a : b;
}

const root = join(__dirname, '..', '..');
const schemaFile = (node: string, resource: string, operation: string) =>
	join(root, 'nodes', node, '__schema__', 'v1.0.0', resource, `${operation}.json`);

function checkSchema(node: string, resource: string, operation: string, items: IDataObject[]): void {
	expect(items.length).toBeGreaterThan(0);
	const derived = items.map(schemaOf).reduce(merge);
	const file = schemaFile(node, resource, operation);
	if (process.env.UPDATE_OUTPUT_SCHEMAS) {
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, `${JSON.stringify(derived, null, '\t')}\n`);
	}
	expect(existsSync(file)).toBe(true);
	expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(derived);
}

describe('WhatsApp Commerce: shipped output schemas match what each operation outputs', () => {
	const meta = new MetaCounterpart({
		templates: [
			{ name: 'order_pay', language: 'en_US', status: 'APPROVED', category: 'UTILITY' },
			{
				name: 'payment_reminder',
				language: 'en_US',
				status: 'APPROVED',
				category: 'UTILITY',
				components: [
					{ type: 'BODY', text: 'Hi {{1}}, your invoice {{2}} is due.' },
					{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Pay now', url: 'https://rzp.io/i/{{1}}' }] },
				],
			},
			{ name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY' },
		],
	});
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => {
		meta.reset();
		meta.state.payments.set('rzp-prod/ORD-9', {
			reference_id: 'ORD-9',
			status: 'captured',
			currency: 'INR',
			amount: { value: 19999, offset: 100 },
			transactions: [{ id: 'txn1', type: 'razorpay', status: 'success', amount: { value: 19999, offset: 100 } }],
		});
	});

	const phone = { __rl: true, mode: 'id', value: '106540352242922' };
	const order = {
		bodyText: 'Your order #A1',
		referenceId: 'A1-1',
		market: 'india',
		goodsType: 'physical-goods',
		paymentTypeIndia: 'payment_gateway',
		configurationName: { __rl: true, mode: 'list', value: 'rzp-prod' },
		gatewayType: 'razorpay',
		items: { item: [{ name: 'Masala Chai', amount: '199.99', quantity: 2 }] },
		tax: '10',
		orderOptions: {
			countryOfOrigin: 'India',
			importerName: 'Chai Point Imports',
			importerAddressLine1: '1 Road',
			importerCity: 'Delhi',
			importerZoneCode: 'DL',
			importerPostalCode: '110093',
			importerCountryCode: 'IN',
		},
	};
	const template = (name: string) => ({
		templateName: { __rl: true, mode: 'list', value: name },
		languageCode: { __rl: true, mode: 'list', value: 'en_US' },
	});
	const catalog = { catalogId: { __rl: true, mode: 'list', value: '194836987003835' } };

	it.each([
		['order', 'sendOrderDetails', order],
		['order', 'sendOrderDetailsTemplate', { ...order, ...template('order_pay') }],
		['order', 'sendOrderStatus', { referenceId: 'ORD-9', orderStatus: 'shipped', bodyText: 'On its way' }],
		['order', 'sendOrderStatusTemplate', { referenceId: 'ORD-9', orderStatus: 'shipped', ...template('order_update') }],
		['order', 'getPaymentStatus', { configurationName: 'rzp-prod', referenceId: 'ORD-9' }],
		['order', 'refundPayment', { configurationName: 'rzp-prod', referenceId: 'ORD-9', amount: '10.00', currency: 'INR' }],
		['catalog', 'sendCatalog', { bodyText: 'Our teas' }],
		['catalog', 'sendProduct', { ...catalog, productRetailerId: 'chai-250g' }],
		['catalog', 'sendProductList', { ...catalog, headerText: 'Teas', bodyText: 'Pick one', sections: { section: [{ title: 'Teas', productRetailerIds: 'chai-250g' }] } }],
		['message', 'sendPaymentLink', { url: 'https://rzp.io/i/Ab12Cd', deliverAs: 'button', bodyText: 'Invoice INV-1' }],
		['message', 'sendTemplate', template('order_update')],
		['paymentConfiguration', 'get', { configurationName: 'rzp-prod' }],
		['paymentConfiguration', 'list', {}],
	])('%s / %s', async (resource, operation, parameters) => {
		const result = await runNode(
			{
				type: 'whatsAppCommerce',
				parameters: { resource, operation, phoneNumberId: phone, to: '919876543210', ...(parameters as IDataObject) },
				credentials: ['waCommerceMetaApi'],
			},
			[{}],
			new TestCredentialsHelper().set('waCommerceMetaApi', {
				accessToken: meta.state.token,
				businessAccountId: meta.state.wabaId,
				apiVersion: 'v25.0',
				baseUrl: meta.baseUrl,
			}),
		);
		expect(result.error).toBeUndefined();
		checkSchema('WhatsAppCommerce', resource, operation, result.items.map((item) => item.json));
	});
});

describe('Payment Gateway: shipped output schemas match what each operation outputs', () => {
	const razorpay = new RazorpayCounterpart();
	beforeAll(async () => {
		await razorpay.start();
	});
	afterAll(async () => {
		await razorpay.stop();
	});

	const run = async (parameters: IDataObject) =>
		await runNode(
			{ type: 'paymentGateway', parameters: { gateway: 'razorpay', ...parameters }, credentials: ['waCommerceRazorpayApi'] },
			[{}],
			new TestCredentialsHelper().set('waCommerceRazorpayApi', {
				keyId: razorpay.keyId,
				keySecret: razorpay.keySecret,
				webhookSecret: 'rzp-webhook-secret-value',
				baseUrl: razorpay.baseUrl,
			}),
		);

	it('every operation, from a paid link to its refund', async () => {
		const created = await run({
			resource: 'paymentLink',
			operation: 'create',
			amount: '1499.00',
			currency: 'INR',
			reference: 'INV-1001',
			description: 'Invoice INV-1001',
			customer: { name: 'Asha', phone: '+919800000001', email: 'asha@example.com' },
		});
		expect(created.error).toBeUndefined();
		const link = created.items[0].json as IDataObject;
		checkSchema('PaymentGateway', 'paymentLink', 'create', [link]);
		const linkId = String(link.linkId);
		const paymentId = String(razorpay.markLinkPaid(linkId).id);
		const outputs: Array<[string, string, IDataObject]> = [
			['paymentLink', 'get', { linkId }],
			['payment', 'get', { paymentId }],
			['refund', 'create', { paymentId, refundType: 'partial', amount: '100.00', currency: 'INR', reason: 'Damaged' }],
		];
		for (const [resource, operation, parameters] of outputs) {
			const result = await run({ resource, operation, ...parameters });
			expect(result.error).toBeUndefined();
			checkSchema('PaymentGateway', resource, operation, result.items.map((item) => item.json));
			if (resource === 'refund') {
				const refundId = String(result.items[0].json.refundId);
				const got = await run({ resource: 'refund', operation: 'get', refundId });
				expect(got.error).toBeUndefined();
				checkSchema('PaymentGateway', 'refund', 'get', got.items.map((item) => item.json));
			}
		}
		const other = await run({ resource: 'paymentLink', operation: 'create', amount: '10.00', currency: 'INR', reference: 'INV-1002' });
		const cancelled = await run({ resource: 'paymentLink', operation: 'cancel', linkId: String(other.items[0].json.linkId) });
		expect(cancelled.error).toBeUndefined();
		checkSchema('PaymentGateway', 'paymentLink', 'cancel', cancelled.items.map((item) => item.json));
	});
});
