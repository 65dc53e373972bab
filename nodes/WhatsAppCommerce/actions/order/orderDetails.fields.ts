/**
 * The order fields shared by Send Order Details and Send Order Details Template, and the one function that
 * reads them into the pure builder's input (nodes/shared/meta/orderDetails.ts). Amounts are typed as decimal
 * strings in major units ("199.99") and converted exactly by money.ts; items come either from the UI or as a
 * JSON array from an ERP (the WhatsApp Commerce Trigger's items can be mapped in directly).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import type {
	Beneficiary,
	GatewayType,
	ImporterAddress,
	Market,
	OrderDetailsInput,
	OrderItemInput,
	PaymentSetting,
} from '../../../shared/meta/orderDetails';
import { PREFERRED_METHODS } from '../../../shared/meta/orderDetails';
import { graphRequest, metaCredential } from '../../../shared/meta/graph';
import { fromOffsetAmount, parseMinor, toMinor } from '../../../shared/money';
import { paymentConfigurationField } from '../pickers';

export const ORDER_DETAILS_OPERATIONS = ['sendOrderDetails', 'sendOrderDetailsTemplate'];

const on = (extra: IDataObject = {}) => ({
	show: { resource: ['order'], operation: ORDER_DETAILS_OPERATIONS, ...extra },
});
/** Fields of an itemized order: hidden when a Brazil order is sent as "total only". */
const itemized = (extra: IDataObject = {}) => ({ ...on(extra), hide: { brazilOrderSummary: ['simplified'] } });
const india = (extra: IDataObject = {}) => on({ market: ['india'], ...extra });
const gateway = (gateways: GatewayType[]) => india({ paymentTypeIndia: ['payment_gateway'], gatewayType: gateways });

const itemFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Item name shown to the customer (at most 60 characters)' },
	{ displayName: 'Unit Amount', name: 'amount', type: 'string', default: '', placeholder: '199.99', description: 'Price of one unit in major units, e.g. 199.99 (converted exactly, never rounded)' },
	{ displayName: 'Quantity', name: 'quantity', type: 'number', default: 1, typeOptions: { minValue: 1 } },
	{ displayName: 'Retailer ID', name: 'retailerId', type: 'string', default: '', description: 'The product\'s content ID in the catalog (required in Brazil)' },
	{ displayName: 'Sale Amount', name: 'saleAmount', type: 'string', default: '', description: 'Discounted unit price in major units, lower than the unit amount; used for the subtotal' },
	{ displayName: 'Image URL', name: 'imageUrl', type: 'string', default: '', description: 'Item image (at most 10 items with images; not with a retailer ID or catalog ID)' },
];

export const orderDetailsFields: INodeProperties[] = [
	{
		displayName: 'Country',
		name: 'market',
		type: 'options',
		default: 'india',
		description: 'Where the customer pays: order details payments exist in India (WhatsApp Pay) and Brazil',
		options: [
			{ name: 'Brazil (Pix, Boleto, Link)', value: 'brazil' },
			{ name: 'India (WhatsApp Pay, UPI, Link)', value: 'india' },
		],
		displayOptions: on(),
	},
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ORDER-1001',
		description: 'Your order ID, unique per message (India: at most 35 letters, digits, ".", "_", "-"). To resend an order, add a suffix such as -2.',
		hint: 'Unique per message; India: up to 35 letters, digits, . _ - (resend as ORDER-1001-2)',
		displayOptions: on(),
	},
	{
		displayName: 'Goods Type',
		name: 'goodsType',
		type: 'options',
		default: 'physical-goods',
		options: [
			{ name: 'Digital Goods', value: 'digital-goods' },
			{ name: 'Physical Goods', value: 'physical-goods' },
		],
		displayOptions: on(),
	},
	{
		displayName: 'Payment Type',
		name: 'paymentTypeIndia',
		type: 'options',
		default: 'payment_gateway',
		options: [
			{ name: 'Payment Gateway (WhatsApp Pay)', value: 'payment_gateway', description: 'Razorpay, PayU, Zaakpay or BillDesk through a payment configuration' },
			{ name: 'Payment Link', value: 'payment_link', description: 'A link to your own checkout page (allow-listed businesses)' },
			{ name: 'UPI Intent Link', value: 'upi_intent_link', description: 'A upi://pay link opening the customer\'s UPI app' },
		],
		displayOptions: india(),
	},
	{
		displayName: 'Payment Type',
		name: 'paymentTypeBrazil',
		type: 'options',
		default: 'pix_dynamic_code',
		options: [
			{ name: 'Boleto', value: 'boleto' },
			{ name: 'Payment Link', value: 'payment_link' },
			{ name: 'Pix (Dynamic Code)', value: 'pix_dynamic_code' },
		],
		displayOptions: on({ market: ['brazil'] }),
	},
	paymentConfigurationField(india({ paymentTypeIndia: ['payment_gateway'] }), 'The payment configuration set up in WhatsApp Manager; its provider is checked against Gateway before sending'),
	{
		displayName: 'Gateway of the Configuration',
		name: 'gatewayType',
		type: 'options',
		default: 'razorpay',
		description: 'The provider the Payment Configuration pays through; it decides which pass-through fields below exist',
		hint: 'Must be the provider shown next to the Payment Configuration; checked with Meta before sending',
		options: [
			{ name: 'BillDesk', value: 'billdesk' },
			{ name: 'PayU', value: 'payu' },
			{ name: 'Razorpay', value: 'razorpay' },
			{ name: 'Zaakpay', value: 'zaakpay' },
		],
		displayOptions: india({ paymentTypeIndia: ['payment_gateway'] }),
	},
	{
		displayName: 'Razorpay Receipt',
		name: 'razorpayReceipt',
		type: 'string',
		default: '',
		placeholder: 'INV-1001',
		description: 'Receipt number stored on the Razorpay order (1-40 characters); returned in the payment webhook',
		hint: 'Optional, up to 40 characters; Razorpay returns it with the payment',
		displayOptions: gateway(['razorpay']),
	},
	{
		displayName: 'Razorpay Notes',
		name: 'razorpayNotes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Note',
		default: {},
		description: 'Up to 15 key-value notes stored on the Razorpay order (e.g. your CRM ID)',
		displayOptions: gateway(['razorpay']),
		options: [
			{
				displayName: 'Note',
				name: 'note',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Pass-Through Fields',
		name: 'passThroughFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description: 'Values handed to the gateway and returned in the payment webhook and lookup (PayU udf1-4, Zaakpay extra1-2, BillDesk additional_info1-7)',
		displayOptions: gateway(['billdesk', 'payu', 'zaakpay']),
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: 'udf1', placeholder: 'udf1' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'UPI Intent Link',
		name: 'upiLink',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'upi://pay?pa=shop@upi&pn=Shop&mc=5411&purpose=00&tr=ORDER1001',
		description: 'Only pa, pn, mc, purpose and tr are allowed',
		displayOptions: india({ paymentTypeIndia: ['upi_intent_link'] }),
	},
	{
		displayName: 'Payment Link URL',
		name: 'paymentLinkUri',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://pay.example.com/ORDER-1001',
		description: 'The checkout page (e.g. the URL a Payment Gateway node created)',
		displayOptions: { show: { resource: ['order'], operation: ORDER_DETAILS_OPERATIONS, paymentTypeIndia: ['payment_link'], market: ['india'] } },
	},
	{
		displayName: 'Payment Link URL',
		name: 'paymentLinkUriBrazil',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://pay.example.com/ORDER-1001',
		displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['payment_link'] }),
	},
	{ displayName: 'Pix Code', name: 'pixCode', type: 'string', required: true, default: '', description: 'The dynamic Pix "copia e cola" code', displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['pix_dynamic_code'] }) },
	{ displayName: 'Pix Merchant Name', name: 'pixMerchantName', type: 'string', required: true, default: '', displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['pix_dynamic_code'] }) },
	{ displayName: 'Pix Key', name: 'pixKey', type: 'string', required: true, default: '', displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['pix_dynamic_code'] }) },
	{
		displayName: 'Pix Key Type',
		name: 'pixKeyType',
		type: 'options',
		default: 'CNPJ',
		options: [
			{ name: 'CNPJ', value: 'CNPJ' },
			{ name: 'CPF', value: 'CPF' },
			{ name: 'Email', value: 'EMAIL' },
			{ name: 'EVP (Random Key)', value: 'EVP' },
			{ name: 'Phone', value: 'PHONE' },
		],
		displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['pix_dynamic_code'] }),
	},
	{
		displayName: 'Pix Flow Type',
		name: 'pixFlowType',
		type: 'string',
		default: '',
		placeholder: 'APPSWITCH',
		description: 'Optional. APPSWITCH opens the buyer\'s bank app (Pix with redirect); WhatsApp then marks the order paid itself once the bank completes it.',
		displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['pix_dynamic_code'] }),
	},
	{
		displayName: 'Order Summary',
		name: 'brazilOrderSummary',
		type: 'options',
		default: 'itemized',
		options: [
			{ name: 'Itemized', value: 'itemized', description: 'Items, subtotal and tax are shown to the customer' },
			{ name: 'Total Only (Simplified)', value: 'simplified', description: 'No order object: the customer sees the total and how to pay' },
		],
		displayOptions: on({ market: ['brazil'] }),
	},
	{
		displayName: 'Total Amount',
		name: 'simplifiedTotal',
		type: 'string',
		required: true,
		default: '',
		placeholder: '129.90',
		description: 'The amount to pay in BRL, in major units (e.g. 129.90)',
		displayOptions: on({ market: ['brazil'], brazilOrderSummary: ['simplified'] }),
	},
	{ displayName: 'Boleto Digitable Line', name: 'boletoDigitableLine', type: 'string', required: true, default: '', displayOptions: on({ market: ['brazil'], paymentTypeBrazil: ['boleto'] }) },
	{
		displayName: 'Items Input',
		name: 'itemsInput',
		type: 'options',
		default: 'define',
		options: [
			{ name: 'Define Below', value: 'define', description: 'Type the items in this node' },
			{ name: 'From JSON', value: 'json', description: 'An array of items from an expression, e.g. an ERP order or the trigger\'s items' },
		],
		displayOptions: itemized(),
	},
	{
		displayName: 'Items',
		name: 'items',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Item',
		default: {},
		displayOptions: itemized({ itemsInput: ['define'] }),
		options: [{ displayName: 'Item', name: 'item', values: itemFields }],
	},
	{
		displayName: 'Items (JSON)',
		name: 'itemsJson',
		type: 'json',
		default: '',
		placeholder: '[{"name": "Masala Chai", "amount": "199.99", "quantity": 2, "retailer_id": "chai-250g"}]',
		hint: 'Map an array like [{"name": "Masala Chai", "amount": "199.99", "quantity": 2}], e.g. the trigger\'s items',
		description: 'Array of items: name, amount (decimal string in major units, or {value, offset}, or {minor}), quantity, and optionally retailer_id, sale_amount, image, country_of_origin, importer_name, importer_address',
		displayOptions: itemized({ itemsInput: ['json'] }),
	},
	{
		displayName: 'Tax',
		name: 'tax',
		type: 'string',
		required: true,
		default: '0',
		description: 'Tax in major units (required by Meta; may be 0)',
		hint: 'In rupees for India, reais for Brazil (e.g. 18.00); 0 when there is none',
		displayOptions: itemized(),
	},
	{
		displayName: 'Beneficiary (Shipping Address)',
		name: 'beneficiary',
		type: 'fixedCollection',
		placeholder: 'Add Beneficiary',
		default: {},
		description: 'Who receives shipped physical goods (India)',
		displayOptions: india({ goodsType: ['physical-goods'] }),
		options: [
			{
				displayName: 'Beneficiary',
				name: 'details',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Address Line 1', name: 'address_line1', type: 'string', default: '' },
					{ displayName: 'Address Line 2', name: 'address_line2', type: 'string', default: '' },
					{ displayName: 'City', name: 'city', type: 'string', default: '' },
					{ displayName: 'State', name: 'state', type: 'string', default: '' },
					{ displayName: 'Postal Code', name: 'postal_code', type: 'string', default: '', placeholder: '411001' },
				],
			},
		],
	},
	{
		displayName: 'Order Options',
		name: 'orderOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: on(),
		options: [
			{ displayName: 'Cancel URL', name: 'cancelUrl', type: 'string', default: '', description: 'Payment link only: where the customer lands after cancelling' },
			{ displayName: 'Catalog ID', name: 'catalogId', type: 'string', default: '', description: 'The catalog the items come from (without it, every item needs importer details)' },
			{ displayName: 'Country of Origin', name: 'countryOfOrigin', type: 'string', default: '', description: 'Used for items without their own (needed without a catalog ID)' },
			{ displayName: 'Discount', name: 'discount', type: 'string', default: '', description: 'Discount in major units' },
			{ displayName: 'Discount Description', name: 'discountDescription', type: 'string', default: '' },
			{ displayName: 'Discount Program Name', name: 'discountProgramName', type: 'string', default: '' },
			{
				displayName: 'Enabled Payment Options',
				name: 'enabledPaymentOptions',
				type: 'options',
				default: 'upi',
				description: 'Payment gateway only. Orders above INR 5,00,000 must use Web.',
				options: [
					{ name: 'UPI', value: 'upi' },
					{ name: 'Web (Cards, Netbanking, Wallets)', value: 'web' },
				],
			},
			{ displayName: 'Expected Subtotal', name: 'subtotal', type: 'string', default: '', description: 'Your system\'s subtotal in major units; when set, it must equal the items\' sum or nothing is sent' },
			{ displayName: 'Expected Total', name: 'total', type: 'string', default: '', description: 'Your system\'s total in major units; when set, it must equal subtotal + tax + shipping - discount or nothing is sent' },
			{ displayName: 'Expiration', name: 'expiration', type: 'dateTime', default: '', description: 'When the order can no longer be paid (at least 5 minutes from now)' },
			{ displayName: 'Expiration Description', name: 'expirationDescription', type: 'string', default: 'Pay before the order expires', description: 'Shown with the expiration (at most 120 characters)' },
			{ displayName: 'Footer Text', name: 'footerText', type: 'string', default: '', description: 'At most 60 characters' },
			{ displayName: 'Header Image URL', name: 'headerImageUrl', type: 'string', default: '' },
			{ displayName: 'Importer Address Line 1', name: 'importerAddressLine1', type: 'string', default: '' },
			{ displayName: 'Importer City', name: 'importerCity', type: 'string', default: '' },
			{ displayName: 'Importer Country Code', name: 'importerCountryCode', type: 'string', default: 'IN' },
			{ displayName: 'Importer Name', name: 'importerName', type: 'string', default: '', description: 'Used for items without their own (needed without a catalog ID)' },
			{ displayName: 'Importer Postal Code', name: 'importerPostalCode', type: 'string', default: '' },
			{ displayName: 'Importer Zone Code', name: 'importerZoneCode', type: 'string', default: '', description: 'State code, e.g. DL' },
			{
				displayName: 'Preferred Payment Methods',
				name: 'preferredPaymentMethods',
				type: 'multiOptions',
				default: [],
				description: 'Payment gateway only: UPI apps shown first',
				options: PREFERRED_METHODS.map((method) => ({ name: method, value: method })),
			},
			{ displayName: 'Shipping', name: 'shipping', type: 'string', default: '', description: 'Shipping cost in major units' },
			{ displayName: 'Shipping Description', name: 'shippingDescription', type: 'string', default: '' },
			{ displayName: 'Success URL', name: 'successUrl', type: 'string', default: '', description: 'Payment link only: where the customer lands after paying' },
			{ displayName: 'Tax Description', name: 'taxDescription', type: 'string', default: '' },
		],
	},
];

type Reader = (name: string, fallback?: unknown) => unknown;

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value).trim());

/** A searchable list's value ({__rl, mode, value}) or a plain string saved by an older version. */
const pickedValue = (value: unknown): string => (value && typeof value === 'object' ? str((value as IDataObject).value) : str(value));

/** A decimal amount in major units; empty means "not given". */
function optionalAmount(value: unknown, currency: string, field: string): number | undefined {
	return str(value) === '' ? undefined : toMinor(str(value), currency, field);
}

/** An item amount from JSON: "199.99", 199.99, {value, offset} (Meta) or {minor} (our own outputs). */
function jsonAmount(value: unknown, currency: string, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'object') {
		const amount = value as IDataObject;
		if ('minor' in amount) return parseMinor(amount.minor as number, `${field}.minor`);
		if ('value' in amount && 'offset' in amount) {
			return fromOffsetAmount(amount as { value: number; offset: number }, currency, field);
		}
		throw new InputError(field, 'an amount object needs {value, offset} or {minor}');
	}
	return toMinor(value as string | number, currency, field);
}

function pick(item: IDataObject, ...keys: string[]): unknown {
	for (const key of keys) if (item[key] !== undefined && item[key] !== null && item[key] !== '') return item[key];
	return undefined;
}

function readJsonItems(raw: unknown, currency: string): OrderItemInput[] {
	let parsed = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') throw new InputError('itemsJson', 'Items (JSON) is empty: map an array of items');
		try {
			parsed = JSON.parse(raw);
		} catch {
			parsed = undefined;
		}
		if (parsed === undefined) throw new InputError('itemsJson', 'Items (JSON) is not valid JSON');
	}
	if (!Array.isArray(parsed)) throw new InputError('itemsJson', 'Items (JSON) must be an array of items');
	return parsed.map((entry, index) => {
		const at = `items[${index}]`;
		if (typeof entry !== 'object' || entry === null) throw new InputError(at, 'each item must be an object');
		const item = entry as IDataObject;
		const amount = jsonAmount(pick(item, 'amount', 'unitPrice', 'unit_price', 'price', 'item_price'), currency, `${at}.amount`);
		if (amount === undefined) throw new InputError(`${at}.amount`, 'Item amount is required');
		const image = pick(item, 'imageUrl', 'image');
		const address = pick(item, 'importerAddress', 'importer_address') as ImporterAddress | undefined;
		return {
			name: str(pick(item, 'name', 'title')),
			retailerId: str(pick(item, 'retailerId', 'retailer_id', 'product_retailer_id')) || undefined,
			amount,
			saleAmount: jsonAmount(pick(item, 'saleAmount', 'sale_amount'), currency, `${at}.saleAmount`),
			quantity: Number(pick(item, 'quantity') ?? 1),
			imageUrl: typeof image === 'object' && image ? str((image as IDataObject).link) : str(image) || undefined,
			countryOfOrigin: str(pick(item, 'countryOfOrigin', 'country_of_origin')) || undefined,
			importerName: str(pick(item, 'importerName', 'importer_name')) || undefined,
			importerAddress: address,
		};
	});
}

function readUiItems(raw: IDataObject, currency: string): OrderItemInput[] {
	const rows = (raw.item as IDataObject[] | undefined) ?? [];
	return rows.map((row, index) => {
		const at = `items[${index}]`;
		const amount = optionalAmount(row.amount, currency, `${at}.amount`);
		if (amount === undefined) throw new InputError(`${at}.amount`, 'Item amount is required');
		return {
			name: str(row.name),
			retailerId: str(row.retailerId) || undefined,
			amount,
			saleAmount: optionalAmount(row.saleAmount, currency, `${at}.saleAmount`),
			quantity: Number(row.quantity ?? 1),
			imageUrl: str(row.imageUrl) || undefined,
		};
	});
}

function readPayment(param: Reader, market: Market): PaymentSetting {
	if (market === 'brazil') {
		const type = str(param('paymentTypeBrazil', 'pix_dynamic_code'));
		if (type === 'boleto') return { type, digitableLine: str(param('boletoDigitableLine')) };
		if (type === 'payment_link') return { type, uri: str(param('paymentLinkUriBrazil')) };
		return {
			type: 'pix_dynamic_code',
			code: str(param('pixCode')),
			merchantName: str(param('pixMerchantName')),
			key: str(param('pixKey')),
			keyType: str(param('pixKeyType', 'CNPJ')),
			flowType: str(param('pixFlowType', '')) || undefined,
		};
	}
	const options = param('orderOptions', {}) as IDataObject;
	const type = str(param('paymentTypeIndia', 'payment_gateway'));
	if (type === 'upi_intent_link') return { type, link: str(param('upiLink')) };
	if (type === 'payment_link') {
		return { type, uri: str(param('paymentLinkUri')), successUrl: str(options.successUrl) || undefined, cancelUrl: str(options.cancelUrl) || undefined };
	}
	const gatewayType = str(param('gatewayType', 'razorpay')) as GatewayType;
	const passThrough: Record<string, unknown> = {};
	if (gatewayType === 'razorpay') {
		passThrough.receipt = str(param('razorpayReceipt', ''));
		const notes = ((param('razorpayNotes', {}) as IDataObject).note as IDataObject[] | undefined) ?? [];
		if (notes.length) passThrough.notes = Object.fromEntries(notes.map((note) => [str(note.key), str(note.value)]));
	} else {
		const fields = ((param('passThroughFields', {}) as IDataObject).field as IDataObject[] | undefined) ?? [];
		for (const field of fields) passThrough[str(field.name)] = str(field.value);
	}
	return { type: 'payment_gateway', gateway: gatewayType, configurationName: pickedValue(param('configurationName')), passThrough };
}

function readExpiration(options: IDataObject): OrderDetailsInput['expiration'] {
	const raw = str(options.expiration);
	if (!raw) return undefined;
	const seconds = /^\d{9,11}$/.test(raw) ? Number(raw) : Math.floor(Date.parse(raw) / 1000);
	if (!Number.isFinite(seconds)) throw new InputError('orderOptions.expiration', `"${raw}" is not a date`);
	return { timestamp: seconds, description: str(options.expirationDescription ?? 'Pay before the order expires') };
}

/** Reads every order field of item `itemIndex` into the builder's input (no sending, no arithmetic). */
export function readOrderDetails(ctx: IExecuteFunctions, itemIndex: number): OrderDetailsInput {
	const param: Reader = (name, fallback = '') => ctx.getNodeParameter(name, itemIndex, fallback);
	const market = str(param('market', 'india')) as Market;
	if (market !== 'india' && market !== 'brazil') throw new InputError('market', `"${market}" is not india or brazil`);
	const currency = market === 'india' ? 'INR' : 'BRL';
	const options = param('orderOptions', {}) as IDataObject;
	if (market === 'brazil' && str(param('brazilOrderSummary', 'itemized')) === 'simplified') {
		return {
			market,
			referenceId: str(param('referenceId')),
			goodsType: str(param('goodsType', 'digital-goods')) as OrderDetailsInput['goodsType'],
			payment: readPayment(param, market),
			items: [],
			tax: 0,
			simplifiedTotal: toMinor(str(param('simplifiedTotal')) || '0', currency, 'simplifiedTotal'),
			now: Math.floor(Date.now() / 1000),
		};
	}
	const items =
		str(param('itemsInput', 'define')) === 'json'
			? readJsonItems(param('itemsJson', ''), currency)
			: readUiItems(param('items', {}) as IDataObject, currency);
	const importerAddress: ImporterAddress | undefined = str(options.importerAddressLine1)
		? {
				address_line1: str(options.importerAddressLine1),
				city: str(options.importerCity),
				zone_code: str(options.importerZoneCode),
				postal_code: str(options.importerPostalCode),
				country_code: str(options.importerCountryCode || 'IN'),
			}
		: undefined;
	// Order-level importer details fill the gaps of items that have none (one importer for the whole shop).
	for (const item of items) {
		item.countryOfOrigin ??= str(options.countryOfOrigin) || undefined;
		item.importerName ??= str(options.importerName) || undefined;
		item.importerAddress ??= importerAddress;
	}
	const beneficiaryRaw = (param('beneficiary', {}) as IDataObject).details as IDataObject | undefined;
	const beneficiary: Beneficiary | undefined =
		market === 'india' && beneficiaryRaw && str(beneficiaryRaw.name)
			? {
					name: str(beneficiaryRaw.name),
					address_line1: str(beneficiaryRaw.address_line1),
					...(str(beneficiaryRaw.address_line2) ? { address_line2: str(beneficiaryRaw.address_line2) } : {}),
					city: str(beneficiaryRaw.city),
					state: str(beneficiaryRaw.state),
					country: 'India',
					postal_code: str(beneficiaryRaw.postal_code),
				}
			: undefined;
	const methods = options.preferredPaymentMethods as string[] | undefined;
	return {
		market,
		referenceId: str(param('referenceId')),
		goodsType: str(param('goodsType', 'physical-goods')) as OrderDetailsInput['goodsType'],
		payment: readPayment(param, market),
		items,
		catalogId: str(options.catalogId) || undefined,
		tax: toMinor(str(param('tax', '0')) || '0', currency, 'tax'),
		taxDescription: str(options.taxDescription) || undefined,
		shipping: optionalAmount(options.shipping, currency, 'orderOptions.shipping'),
		shippingDescription: str(options.shippingDescription) || undefined,
		discount: optionalAmount(options.discount, currency, 'orderOptions.discount'),
		discountDescription: str(options.discountDescription) || undefined,
		discountProgramName: str(options.discountProgramName) || undefined,
		expectedSubtotal: optionalAmount(options.subtotal, currency, 'orderOptions.subtotal'),
		expectedTotal: optionalAmount(options.total, currency, 'orderOptions.total'),
		expiration: readExpiration(options),
		beneficiary,
		preferredPaymentMethods: methods?.length ? methods : undefined,
		enabledPaymentOptions: str(options.enabledPaymentOptions) ? [str(options.enabledPaymentOptions)] : undefined,
		now: Math.floor(Date.now() / 1000),
	};
}

/** The WABA's payment configurations per execution, so a batch of orders looks them up once. */
const configurationsOf = new WeakMap<object, Promise<IDataObject[]>>();

async function paymentConfigurations(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	let configurations = configurationsOf.get(ctx);
	if (!configurations) {
		configurations = (async () => {
			const { businessAccountId } = await metaCredential(ctx);
			const answer = await graphRequest<{ data?: Array<{ payment_configurations?: IDataObject[] }> }>(ctx, {
				method: 'GET',
				path: `/${encodeURIComponent(businessAccountId)}/payment_configurations`,
			});
			return (answer.data ?? []).flatMap((entry) => entry.payment_configurations ?? []);
		})();
		configurationsOf.set(ctx, configurations);
		// A failed look-up is not remembered: the next item asks again.
		configurations.catch(() => configurationsOf.delete(ctx));
	}
	return await configurations;
}

const GATEWAY_NAMES: Record<string, string> = { billdesk: 'BillDesk', payu: 'PayU', razorpay: 'Razorpay', zaakpay: 'Zaakpay' };

/**
 * "Gateway of the Configuration" decides which pass-through fields are sent; the Payment Configuration names
 * its provider at Meta. Before sending, the two must agree (issue 19, item 8): a PayU configuration with
 * Razorpay's receipt and notes would be refused or lose the merchant's references.
 */
export async function checkGatewayMatchesConfiguration(ctx: IExecuteFunctions, input: OrderDetailsInput): Promise<void> {
	const payment = input.payment;
	if (input.market !== 'india' || payment.type !== 'payment_gateway') return;
	const found = (await paymentConfigurations(ctx)).find((configuration) => configuration.configuration_name === payment.configurationName);
	if (!found) {
		throw new InputError(
			'configurationName',
			`The WhatsApp Business Account has no payment configuration named "${payment.configurationName}"`,
			'Choose a Payment Configuration from the list (WhatsApp Manager > Payment configurations).',
		);
	}
	const provider = str(found.provider_name).toLowerCase();
	if (provider && provider !== payment.gateway) {
		throw new InputError(
			'gatewayType',
			`The Payment Configuration "${payment.configurationName}" pays through ${GATEWAY_NAMES[provider] ?? provider}, not ${GATEWAY_NAMES[payment.gateway] ?? payment.gateway}`,
			`Set "Gateway of the Configuration" to ${GATEWAY_NAMES[provider] ?? provider}, or choose another Payment Configuration.`,
		);
	}
}
