/**
 * Meta's checks on commerce messages (order_details, order_status and their templates), as the
 * counterpart enforces them: the spec's §7, answered with Meta's error shapes. Written independently
 * from the node's own validation (nodes/shared/meta/orderDetails.ts) so each catches the other's mistakes.
 */
import type { MessageValidator } from './meta';
import { metaError } from './meta';
import type { Reply } from './server';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});
const invalid = (details: string): Reply => metaError(400, 131009, '(#131009) Parameter value is not valid', details);
const missing = (details: string): Reply => metaError(400, 131008, '(#131008) Required parameter is missing', details);

/** An amount object: integer value, offset 100. Returns the value or an error text. */
function amountValue(value: unknown, path: string): number | string {
	const amount = obj(value);
	if (!Number.isInteger(amount.value)) return `${path}.value must be an integer`;
	if (amount.offset !== 100) return `${path}.offset must be 100`;
	return amount.value as number;
}

function tooLong(value: unknown, max: number): boolean {
	return typeof value === 'string' && value.length > max;
}

/** The §7 checks of one order_details parameters object. */
export function checkOrderDetails(parameters: Obj, nowSeconds = Math.floor(Date.now() / 1000)): string | undefined {
	const brazil = parameters.payment_type === 'br';
	const reference = String(parameters.reference_id ?? '');
	if (brazil ? reference.length < 1 || reference.length > 60 : !/^[A-Za-z0-9._-]{1,35}$/.test(reference)) {
		return 'reference_id is invalid';
	}
	if (!['digital-goods', 'physical-goods'].includes(String(parameters.type))) return 'type must be digital-goods or physical-goods';
	if (parameters.currency !== (brazil ? 'BRL' : 'INR')) return `currency must be ${brazil ? 'BRL' : 'INR'}`;
	const settings = parameters.payment_settings;
	if (!Array.isArray(settings) || settings.length === 0) return 'payment_settings is required';
	for (const entry of settings as Obj[]) {
		const problem = checkPaymentSetting(entry, brazil);
		if (problem) return problem;
	}
	const total = amountValue(parameters.total_amount, 'total_amount');
	if (typeof total === 'string') return total;
	if (total <= 0) return 'total_amount must be greater than 0';
	for (const beneficiary of (parameters.beneficiaries as Obj[] | undefined) ?? []) {
		if (tooLong(beneficiary.name, 200)) return 'beneficiaries.name is too long';
		if (tooLong(beneficiary.address_line1, 100) || tooLong(beneficiary.address_line2, 100)) return 'beneficiaries address line is too long';
		if (!/^\d{6}$/.test(String(beneficiary.postal_code ?? ''))) return 'beneficiaries.postal_code must have 6 digits';
	}
	const order = parameters.order === undefined ? undefined : obj(parameters.order);
	if (!order) return brazil ? undefined : 'order is required';
	if (order.status !== 'pending') return 'order.status must be pending';
	const items = order.items;
	if (!Array.isArray(items) || items.length === 0) return 'order.items is required';
	const hasImage = (items as Obj[]).some((item) => item.image !== undefined);
	if (hasImage && (items.length > 10 || order.catalog_id !== undefined)) return 'items with images: at most 10, no catalog_id';
	let subtotal = 0;
	for (const [index, item] of (items as Obj[]).entries()) {
		if (typeof item.name !== 'string' || item.name.length === 0 || item.name.length > 60) return `items[${index}].name is invalid`;
		const amount = amountValue(item.amount, `items[${index}].amount`);
		if (typeof amount === 'string') return amount;
		let unit = amount;
		if (item.sale_amount !== undefined) {
			const sale = amountValue(item.sale_amount, `items[${index}].sale_amount`);
			if (typeof sale === 'string') return sale;
			if (sale >= amount) return `items[${index}].sale_amount must be lower than amount`;
			unit = sale;
		}
		if (!Number.isInteger(item.quantity) || (item.quantity as number) <= 0) return `items[${index}].quantity must be a positive integer`;
		if (brazil && !item.retailer_id) return `items[${index}].retailer_id is required`;
		if (item.image !== undefined && item.retailer_id !== undefined) return `items[${index}] with an image cannot have retailer_id`;
		if (!brazil && order.catalog_id === undefined) {
			const address = obj(item.importer_address);
			if (!item.country_of_origin || !item.importer_name || !address.address_line1 || !address.city || !address.postal_code || !address.country_code) {
				return `items[${index}] needs country_of_origin, importer_name and importer_address without catalog_id`;
			}
		}
		subtotal += unit * (item.quantity as number);
	}
	const given = amountValue(order.subtotal, 'order.subtotal');
	if (typeof given === 'string') return given;
	if (given !== subtotal) return `order.subtotal ${given} does not equal the items' sum ${subtotal}`;
	if (order.tax === undefined) return 'order.tax is required';
	const parts: Record<string, number> = {};
	for (const key of ['tax', 'shipping', 'discount']) {
		if (order[key] === undefined) {
			parts[key] = 0;
			continue;
		}
		const value = amountValue(order[key], `order.${key}`);
		if (typeof value === 'string') return value;
		if (tooLong(obj(order[key]).description, 60)) return `order.${key}.description is too long`;
		parts[key] = value;
	}
	if (total !== subtotal + parts.tax + parts.shipping - parts.discount) {
		return `total_amount ${total} does not equal subtotal + tax + shipping - discount`;
	}
	if (order.expiration !== undefined) {
		const expiration = obj(order.expiration);
		if (typeof expiration.timestamp !== 'string' || Number(expiration.timestamp) < nowSeconds + 300) {
			return 'order.expiration.timestamp must be a string at least 300 seconds in the future';
		}
		if (tooLong(expiration.description, 120)) return 'order.expiration.description is too long';
	}
	if (!brazil) {
		const gateway = (settings as Obj[]).find((entry) => entry.type === 'payment_gateway');
		const options = obj(gateway?.payment_gateway).enabled_payment_options as string[] | undefined;
		if (gateway && total > 50_000_000 && !(options?.length === 1 && options[0] === 'web')) {
			return 'UPI is not available above INR 5,00,000: set enabled_payment_options to ["web"]';
		}
	}
	return undefined;
}

function checkPaymentSetting(entry: Obj, brazil: boolean): string | undefined {
	const type = String(entry.type);
	const allowed = brazil ? ['pix_dynamic_code', 'boleto', 'payment_link'] : ['payment_gateway', 'upi_intent_link', 'payment_link'];
	if (!allowed.includes(type)) return `payment_settings.type ${type} is not supported`;
	const body = obj(entry[type]);
	if (type === 'payment_gateway') {
		const gateway = String(body.type);
		if (!['billdesk', 'razorpay', 'payu', 'zaakpay'].includes(gateway)) return 'payment_gateway.type is invalid';
		if (typeof body.configuration_name !== 'string' || !body.configuration_name || body.configuration_name.length > 60) {
			return 'payment_gateway.configuration_name is invalid';
		}
		for (const other of ['billdesk', 'razorpay', 'payu', 'zaakpay']) {
			if (other !== gateway && body[other] !== undefined) return `payment_gateway.${other} does not match type ${gateway}`;
		}
		const razorpay = obj(body.razorpay);
		if (razorpay.receipt !== undefined && (String(razorpay.receipt).length < 1 || String(razorpay.receipt).length > 40)) {
			return 'razorpay.receipt must have 1-40 characters';
		}
		const notes = obj(razorpay.notes);
		if (Object.keys(notes).length > 15 || Object.values(notes).some((note) => tooLong(note, 256))) return 'razorpay.notes is invalid';
	}
	if (type === 'upi_intent_link' && !/^upi:\/\/pay\?/.test(String(body.link ?? ''))) return 'upi_intent_link.link is invalid';
	if (type === 'payment_link' && !/^https?:\/\//.test(String(body.uri ?? ''))) return 'payment_link.uri is invalid';
	if (type === 'pix_dynamic_code' && !(body.code && body.merchant_name && body.key && ['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP'].includes(String(body.key_type)))) {
		return 'pix_dynamic_code is invalid';
	}
	if (type === 'boleto' && !body.digitable_line) return 'boleto.digitable_line is required';
	return undefined;
}

const STATUSES = ['pending', 'processing', 'partially_shipped', 'shipped', 'completed', 'canceled'];

function checkOrderStatus(parameters: Obj): string | undefined {
	if (!parameters.reference_id) return 'reference_id is required';
	const order = obj(parameters.order);
	if (!STATUSES.includes(String(order.status))) return `order.status ${String(order.status)} is invalid`;
	if (tooLong(order.description, 120)) return 'order.description is too long';
	return undefined;
}

export const validateCommerceMessage: MessageValidator = (message) => {
	if (message.type === 'interactive') {
		const interactive = obj(message.interactive);
		const action = obj(interactive.action);
		if (interactive.type === 'order_details') {
			if (action.name !== 'review_and_pay') return invalid('action.name must be review_and_pay');
			const body = obj(interactive.body);
			if (typeof body.text !== 'string' || body.text.length === 0) return missing('body.text is required');
			if (tooLong(body.text, 1024)) return invalid('body.text is too long');
			if (tooLong(obj(interactive.footer).text, 60)) return invalid('footer.text is too long');
			if (interactive.header !== undefined && obj(interactive.header).type !== 'image') return invalid('header must be an image');
			const problem = checkOrderDetails(obj(action.parameters));
			return problem ? invalid(problem) : undefined;
		}
		if (interactive.type === 'order_status') {
			if (action.name !== 'review_order') return invalid('action.name must be review_order');
			const problem = checkOrderStatus(obj(action.parameters));
			return problem ? invalid(problem) : undefined;
		}
		return undefined;
	}
	if (message.type === 'template') {
		for (const component of (obj(message.template).components as Obj[] | undefined) ?? []) {
			if (component.type === 'button' && component.sub_type === 'order_details') {
				const parameter = ((component.parameters as Obj[] | undefined) ?? [])[0] ?? {};
				const problem = checkOrderDetails(obj(obj(parameter.action).order_details));
				if (problem) return invalid(problem);
			}
			if (component.type === 'order_status') {
				const parameter = ((component.parameters as Obj[] | undefined) ?? [])[0] ?? {};
				const problem = checkOrderStatus(obj(parameter.order_status));
				if (problem) return invalid(problem);
			}
		}
	}
	return undefined;
};
