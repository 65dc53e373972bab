/**
 * The order_details ("Review and pay") builder: turns an order in integer minor units into Meta's
 * `action.parameters` object and enforces every check of Meta's rules (spec §7) BEFORE anything is sent.
 * Meta rejects some mistakes with an error, but others (a subtotal that does not add up, a wrong
 * configuration name) reach the customer as an order nobody can pay: catching them here is the point.
 * Pure: no n8n calls, no HTTP; every refusal is an InputError naming the field path the user must fix.
 */
import { InputError } from '../errors';
import { moneyView, multiply, sum, toOffsetAmount, type MoneyView } from '../money';

export type Market = 'india' | 'brazil';
export type GatewayType = 'billdesk' | 'payu' | 'razorpay' | 'zaakpay';

export interface OrderItemInput {
	name: string;
	retailerId?: string;
	/** Unit price, minor units. */
	amount: number;
	/** Discounted unit price, minor units (must be below `amount`). */
	saleAmount?: number;
	quantity: number;
	imageUrl?: string;
	countryOfOrigin?: string;
	importerName?: string;
	importerAddress?: ImporterAddress;
}

export interface ImporterAddress {
	address_line1: string;
	address_line2?: string;
	city: string;
	zone_code: string;
	postal_code: string;
	country_code: string;
}

export interface Beneficiary {
	name: string;
	address_line1: string;
	address_line2?: string;
	city: string;
	state: string;
	country: string;
	postal_code: string;
}

export type PaymentSetting =
	| {
			type: 'payment_gateway';
			gateway: GatewayType;
			configurationName: string;
			/** Gateway pass-through fields (receipt, notes, udf1..4, extra1..2, additional_info1..7). */
			passThrough?: Record<string, unknown>;
	  }
	| { type: 'upi_intent_link'; link: string }
	| { type: 'payment_link'; uri: string; successUrl?: string; cancelUrl?: string }
	| {
			type: 'pix_dynamic_code';
			code: string;
			merchantName: string;
			key: string;
			keyType: string;
			/** Pix with redirect: `APPSWITCH` opens the buyer's bank app (other values unconfirmed: passed as given). */
			flowType?: string;
	  }
	| { type: 'boleto'; digitableLine: string };

export interface OrderDetailsInput {
	market: Market;
	referenceId: string;
	goodsType?: 'digital-goods' | 'physical-goods';
	payment: PaymentSetting;
	items: OrderItemInput[];
	catalogId?: string;
	tax: number;
	taxDescription?: string;
	shipping?: number;
	shippingDescription?: string;
	discount?: number;
	discountDescription?: string;
	discountProgramName?: string;
	/** When given, must equal the computed value (an ERP's own total is checked, never trusted). */
	expectedSubtotal?: number;
	expectedTotal?: number;
	expiration?: { timestamp: number; description: string };
	beneficiary?: Beneficiary;
	preferredPaymentMethods?: string[];
	enabledPaymentOptions?: string[];
	/** Current time in epoch seconds (injected so the expiration check is testable). */
	now: number;
	/**
	 * Brazil only: a "simplified" order_details with no `order` object, just this total (minor units) and the
	 * payment settings; items, tax, shipping and discount are then not sent.
	 */
	simplifiedTotal?: number;
}

export interface OrderAmounts {
	subtotal: MoneyView;
	tax: MoneyView;
	shipping: MoneyView;
	discount: MoneyView;
	total: MoneyView;
}

export interface BuiltOrderDetails {
	parameters: Record<string, unknown>;
	amounts: OrderAmounts;
}

/** UPI payments above INR 5,00,000 must go through the web options (spec §1a). */
const UPI_LIMIT_PAISE = 500_000_00;
const PASS_THROUGH_FIELDS: Record<GatewayType, RegExp> = {
	razorpay: /^(receipt|notes)$/,
	payu: /^udf[1-4]$/,
	zaakpay: /^extra[12]$/,
	billdesk: /^additional_info[1-7]$/,
};
const PASS_THROUGH_MAX: Record<GatewayType, number> = { razorpay: 256, payu: 255, zaakpay: 180, billdesk: 120 };
export const PREFERRED_METHODS = ['amazonpay', 'bhim', 'cred', 'gpay', 'mobikwik', 'paytm', 'phonepe'];
const PIX_KEY_TYPES = ['CNPJ', 'CPF', 'EMAIL', 'EVP', 'PHONE'];

function maxLength(value: string | undefined, max: number, field: string, label: string): void {
	if (value !== undefined && value.length > max) {
		throw new InputError(field, `${label} is ${value.length} characters; Meta allows at most ${max}`);
	}
}

function required(value: string | undefined, field: string, label: string): string {
	const text = (value ?? '').trim();
	if (!text) throw new InputError(field, `${label} is required`);
	return text;
}

function checkReferenceId(referenceId: string, market: Market): void {
	const id = required(referenceId, 'referenceId', 'Reference ID');
	if (market === 'india' && !/^[A-Za-z0-9._-]{1,35}$/.test(id)) {
		throw new InputError(
			'referenceId',
			`"${id}" is not a valid reference ID: use at most 35 letters, digits, ".", "_" or "-"`,
			'Each order details message needs a new reference ID; to resend an order, add a suffix such as "-2".',
		);
	}
	if (market === 'brazil') maxLength(id, 60, 'referenceId', 'Reference ID');
}

function checkItems(input: OrderDetailsInput): number[] {
	if (input.items.length === 0) throw new InputError('items', 'The order needs at least one item');
	const withImages = input.items.some((item) => item.imageUrl);
	if (withImages && input.items.length > 10) {
		throw new InputError('items', `Items with images allow at most 10 items (got ${input.items.length})`);
	}
	if (withImages && input.catalogId) {
		throw new InputError('orderOptions.catalogId', 'Items with images cannot be combined with a catalog ID');
	}
	return input.items.map((item, index) => {
		const at = `items[${index}]`;
		required(item.name, `${at}.name`, 'Item name');
		maxLength(item.name, 60, `${at}.name`, 'Item name');
		if (!Number.isSafeInteger(item.amount) || item.amount <= 0) {
			throw new InputError(`${at}.amount`, 'Item amount must be greater than 0');
		}
		if (item.saleAmount !== undefined && !(item.saleAmount >= 0 && item.saleAmount < item.amount)) {
			throw new InputError(`${at}.saleAmount`, 'The sale amount must be lower than the item amount');
		}
		if (input.market === 'brazil') required(item.retailerId, `${at}.retailerId`, 'Retailer ID (Brazil)');
		if (item.imageUrl && item.retailerId) {
			throw new InputError(`${at}.retailerId`, 'An item with an image cannot have a retailer ID');
		}
		if (input.market === 'india' && !input.catalogId) {
			required(item.countryOfOrigin, `${at}.countryOfOrigin`, 'Country of origin (needed without a catalog ID)');
			required(item.importerName, `${at}.importerName`, 'Importer name (needed without a catalog ID)');
			const address = item.importerAddress;
			if (!address) throw new InputError(`${at}.importerAddress`, 'Importer address is required without a catalog ID');
			for (const key of ['address_line1', 'city', 'zone_code', 'postal_code', 'country_code'] as const) {
				required(address[key], `${at}.importerAddress.${key}`, `Importer address ${key}`);
			}
			maxLength(address.address_line1, 100, `${at}.importerAddress.address_line1`, 'Address line 1');
			maxLength(address.address_line2, 100, `${at}.importerAddress.address_line2`, 'Address line 2');
		}
		return multiply(item.saleAmount ?? item.amount, item.quantity, `${at}.quantity`);
	});
}

function checkBeneficiary(beneficiary: Beneficiary): void {
	const at = 'beneficiary';
	required(beneficiary.name, `${at}.name`, 'Beneficiary name');
	maxLength(beneficiary.name, 200, `${at}.name`, 'Beneficiary name');
	for (const key of ['address_line1', 'city', 'state', 'country', 'postal_code'] as const) {
		required(beneficiary[key], `${at}.${key}`, `Beneficiary ${key}`);
	}
	maxLength(beneficiary.address_line1, 100, `${at}.address_line1`, 'Address line 1');
	maxLength(beneficiary.address_line2, 100, `${at}.address_line2`, 'Address line 2');
	if (!/^\d{6}$/.test(beneficiary.postal_code)) {
		throw new InputError(`${at}.postal_code`, `"${beneficiary.postal_code}" is not an Indian postal code (6 digits)`);
	}
}

function checkPassThrough(gateway: GatewayType, fields: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined || value === '') continue;
		const field = `passThrough.${key}`;
		if (!PASS_THROUGH_FIELDS[gateway].test(key)) {
			throw new InputError(field, `"${key}" is not a pass-through field of ${gateway}`);
		}
		if (key === 'notes') {
			const notes = value as Record<string, unknown>;
			if (typeof notes !== 'object' || notes === null || Array.isArray(notes)) {
				throw new InputError(field, 'Razorpay notes must be key-value pairs');
			}
			const entries = Object.entries(notes);
			if (entries.length > 15) throw new InputError(field, `Razorpay allows at most 15 notes (got ${entries.length})`);
			for (const [name, note] of entries) maxLength(String(note), 256, `${field}.${name}`, `Note "${name}"`);
			out.notes = Object.fromEntries(entries.map(([name, note]) => [name, String(note)]));
			continue;
		}
		const text = String(value);
		if (key === 'receipt') maxLength(text, 40, field, 'Razorpay receipt');
		else maxLength(text, PASS_THROUGH_MAX[gateway], field, key);
		out[key] = text;
	}
	return out;
}

function buildPaymentSetting(input: OrderDetailsInput, totalMinor: number): Record<string, unknown> {
	const payment = input.payment;
	const indiaTypes = ['payment_gateway', 'upi_intent_link', 'payment_link'];
	const brazilTypes = ['pix_dynamic_code', 'boleto', 'payment_link'];
	if (!(input.market === 'india' ? indiaTypes : brazilTypes).includes(payment.type)) {
		throw new InputError('paymentType', `"${payment.type}" is not a payment option in ${input.market === 'india' ? 'India' : 'Brazil'}`);
	}
	switch (payment.type) {
		case 'payment_gateway': {
			const name = required(payment.configurationName, 'configurationName', 'Payment configuration name');
			maxLength(name, 60, 'configurationName', 'Configuration name');
			if (!(payment.gateway in PASS_THROUGH_FIELDS)) {
				throw new InputError('gatewayType', `"${String(payment.gateway)}" is not billdesk, payu, razorpay or zaakpay`);
			}
			const passThrough = checkPassThrough(payment.gateway, payment.passThrough ?? {});
			return {
				type: 'payment_gateway',
				payment_gateway: {
					type: payment.gateway,
					configuration_name: name,
					...(Object.keys(passThrough).length ? { [payment.gateway]: passThrough } : {}),
				},
			};
		}
		case 'upi_intent_link': {
			const link = required(payment.link, 'upiLink', 'UPI intent link');
			checkUpiLink(link);
			return { type: 'upi_intent_link', upi_intent_link: { link } };
		}
		case 'payment_link': {
			const uri = required(payment.uri, 'paymentLinkUri', 'Payment link URL');
			checkUrl(uri, 'paymentLinkUri');
			if (payment.successUrl) checkUrl(payment.successUrl, 'orderOptions.successUrl');
			if (payment.cancelUrl) checkUrl(payment.cancelUrl, 'orderOptions.cancelUrl');
			return {
				type: 'payment_link',
				payment_link: {
					uri,
					...(payment.successUrl ? { success_url: payment.successUrl } : {}),
					...(payment.cancelUrl ? { cancel_url: payment.cancelUrl } : {}),
				},
			};
		}
		case 'pix_dynamic_code': {
			if (!PIX_KEY_TYPES.includes(payment.keyType)) {
				throw new InputError('pixKeyType', `"${payment.keyType}" is not one of ${PIX_KEY_TYPES.join(', ')}`);
			}
			return {
				type: 'pix_dynamic_code',
				pix_dynamic_code: {
					code: required(payment.code, 'pixCode', 'Pix copy-and-paste code'),
					merchant_name: required(payment.merchantName, 'pixMerchantName', 'Pix merchant name'),
					key: required(payment.key, 'pixKey', 'Pix key'),
					key_type: payment.keyType,
					...(payment.flowType ? { flow_type: checkFlowType(payment.flowType) } : {}),
				},
			};
		}
		case 'boleto':
			return { type: 'boleto', boleto: { digitable_line: required(payment.digitableLine, 'boletoDigitableLine', 'Boleto digitable line') } };
	}
	// Unreachable for typed callers; a value from an expression could still land here.
	throw new InputError('paymentType', `unknown payment type (total ${totalMinor})`);
}

function checkFlowType(flowType: string): string {
	const value = flowType.trim().toUpperCase();
	if (!/^[A-Z_]{1,40}$/.test(value)) throw new InputError('pixFlowType', `"${flowType}" is not a Pix flow type such as APPSWITCH`);
	return value;
}

/** Brazil's "simplified" order_details: the total and how to pay, no `order` object (spec meta-2026 §4.1). */
function buildSimplified(input: OrderDetailsInput, total: number): BuiltOrderDetails {
	if (input.market !== 'brazil') {
		throw new InputError('brazilOrderSummary', 'Only Brazil accepts an order without items; India orders need the itemized order');
	}
	checkReferenceId(input.referenceId, input.market);
	if (!Number.isSafeInteger(total) || total <= 0) throw new InputError('simplifiedTotal', 'The total must be greater than 0');
	const zero = moneyView(0, 'BRL');
	return {
		parameters: {
			reference_id: input.referenceId.trim(),
			type: input.goodsType ?? 'digital-goods',
			payment_type: 'br',
			currency: 'BRL',
			total_amount: toOffsetAmount(total, 'BRL'),
			payment_settings: [buildPaymentSetting(input, total)],
		},
		amounts: { subtotal: moneyView(total, 'BRL'), tax: zero, shipping: zero, discount: zero, total: moneyView(total, 'BRL') },
	};
}

function checkUpiLink(link: string): void {
	const match = /^upi:\/\/pay\?(.*)$/.exec(link);
	if (!match) throw new InputError('upiLink', 'A UPI intent link starts with "upi://pay?"');
	const keys = match[1].split('&').map((pair) => pair.split('=')[0]);
	const unexpected = keys.filter((key) => !['pa', 'pn', 'mc', 'purpose', 'tr'].includes(key));
	if (unexpected.length) {
		throw new InputError('upiLink', `The UPI link may only carry pa, pn, mc, purpose and tr (found ${unexpected.join(', ')})`);
	}
	if (!keys.includes('pa')) throw new InputError('upiLink', 'The UPI link needs the payee address (pa)');
}

export function checkUrl(url: string, field: string): void {
	if (!/^https?:\/\/[^\s]+$/i.test(url)) throw new InputError(field, `"${url}" is not an http(s) URL`);
}

function offsetAmount(minor: number, currency: string, description?: string, extra: Record<string, unknown> = {}) {
	return { ...toOffsetAmount(minor, currency), ...(description ? { description } : {}), ...extra };
}

/** Builds `action.parameters` of an order_details message, or throws the first rule it breaks. */
export function buildOrderDetails(input: OrderDetailsInput): BuiltOrderDetails {
	if (input.simplifiedTotal !== undefined) return buildSimplified(input, input.simplifiedTotal);
	const currency = input.market === 'india' ? 'INR' : 'BRL';
	checkReferenceId(input.referenceId, input.market);
	const lineTotals = checkItems(input);
	const subtotal = sum(lineTotals);
	const tax = input.tax;
	const shipping = input.shipping ?? 0;
	const discount = input.discount ?? 0;
	for (const [field, value] of [['tax', tax], ['orderOptions.shipping', shipping], ['orderOptions.discount', discount]] as const) {
		if (!Number.isSafeInteger(value) || value < 0) throw new InputError(field, 'The amount must be 0 or more');
	}
	maxLength(input.taxDescription, 60, 'orderOptions.taxDescription', 'Tax description');
	maxLength(input.shippingDescription, 60, 'orderOptions.shippingDescription', 'Shipping description');
	maxLength(input.discountDescription, 60, 'orderOptions.discountDescription', 'Discount description');
	maxLength(input.discountProgramName, 60, 'orderOptions.discountProgramName', 'Discount program name');
	const total = subtotal + tax + shipping - discount;
	if (input.expectedSubtotal !== undefined && input.expectedSubtotal !== subtotal) {
		throw new InputError(
			'orderOptions.subtotal',
			`The given subtotal ${moneyView(input.expectedSubtotal, currency).decimal} does not match the items (${moneyView(subtotal, currency).decimal})`,
			'Leave the subtotal empty to have it computed, or fix the items.',
		);
	}
	if (input.expectedTotal !== undefined && input.expectedTotal !== total) {
		throw new InputError(
			'orderOptions.total',
			`The given total ${moneyView(input.expectedTotal, currency).decimal} does not match subtotal + tax + shipping - discount (${moneyView(total, currency).decimal})`,
			'Leave the total empty to have it computed, or fix the amounts.',
		);
	}
	if (total <= 0) throw new InputError('orderOptions.discount', 'The order total must be greater than 0');
	if (input.expiration) {
		maxLength(input.expiration.description, 120, 'orderOptions.expirationDescription', 'Expiration description');
		required(input.expiration.description, 'orderOptions.expirationDescription', 'Expiration description');
		if (!Number.isSafeInteger(input.expiration.timestamp) || input.expiration.timestamp < input.now + 300) {
			throw new InputError('orderOptions.expiration', 'The order must stay payable for at least 5 minutes from now');
		}
	}
	if (input.beneficiary) checkBeneficiary(input.beneficiary);
	const paymentSetting = buildPaymentSetting(input, total);
	if (input.market === 'india' && input.payment.type === 'payment_gateway') {
		const options = input.enabledPaymentOptions ?? [];
		if (total > UPI_LIMIT_PAISE && !(options.length === 1 && options[0] === 'web')) {
			throw new InputError(
				'orderOptions.enabledPaymentOptions',
				'Orders above INR 5,00,000 cannot be paid by UPI: set the enabled payment options to "web"',
			);
		}
		const settings = paymentSetting.payment_gateway as Record<string, unknown>;
		for (const method of input.preferredPaymentMethods ?? []) {
			if (!PREFERRED_METHODS.includes(method)) {
				throw new InputError('orderOptions.preferredPaymentMethods', `"${method}" is not one of ${PREFERRED_METHODS.join(', ')}`);
			}
		}
		if (input.preferredPaymentMethods?.length) {
			settings.preferred_payment_methods = input.preferredPaymentMethods.map((method) => ({ method }));
		}
		if (options.length) settings.enabled_payment_options = options;
	}

	const items = input.items.map((item) => ({
		...(item.retailerId ? { retailer_id: item.retailerId } : {}),
		name: item.name,
		amount: offsetAmount(item.amount, currency),
		...(item.saleAmount !== undefined ? { sale_amount: offsetAmount(item.saleAmount, currency) } : {}),
		quantity: item.quantity,
		...(item.imageUrl ? { image: { link: item.imageUrl } } : {}),
		...(item.countryOfOrigin ? { country_of_origin: item.countryOfOrigin } : {}),
		...(item.importerName ? { importer_name: item.importerName } : {}),
		...(item.importerAddress ? { importer_address: item.importerAddress } : {}),
	}));
	const order: Record<string, unknown> = {
		status: 'pending',
		...(input.catalogId ? { catalog_id: input.catalogId } : {}),
		...(input.expiration
			? { expiration: { timestamp: String(input.expiration.timestamp), description: input.expiration.description } }
			: {}),
		items,
		subtotal: offsetAmount(subtotal, currency),
		tax: offsetAmount(tax, currency, input.taxDescription),
		...(input.shipping !== undefined ? { shipping: offsetAmount(shipping, currency, input.shippingDescription) } : {}),
		...(input.discount !== undefined
			? {
					discount: offsetAmount(discount, currency, input.discountDescription, input.discountProgramName ? { discount_program_name: input.discountProgramName } : {}),
				}
			: {}),
	};
	const parameters: Record<string, unknown> = {
		reference_id: input.referenceId.trim(),
		type: input.goodsType ?? 'digital-goods',
		...(input.market === 'brazil' ? { payment_type: 'br' } : {}),
		...(input.beneficiary ? { beneficiaries: [input.beneficiary] } : {}),
		currency,
		total_amount: toOffsetAmount(total, currency),
		payment_settings: [paymentSetting],
		order,
	};
	return {
		parameters,
		amounts: {
			subtotal: moneyView(subtotal, currency),
			tax: moneyView(tax, currency),
			shipping: moneyView(shipping, currency),
			discount: moneyView(discount, currency),
			total: moneyView(total, currency),
		},
	};
}

/** Body, footer and header checks shared by the message and the template (spec §1, §7.8). */
export function checkMessageTexts(texts: { body?: string; footer?: string; headerImageUrl?: string }): void {
	if (texts.body !== undefined) {
		required(texts.body, 'bodyText', 'Body text');
		maxLength(texts.body, 1024, 'bodyText', 'Body text');
	}
	maxLength(texts.footer, 60, 'orderOptions.footerText', 'Footer text');
	if (texts.headerImageUrl) checkUrl(texts.headerImageUrl, 'orderOptions.headerImageUrl');
}
