/**
 * Turns Meta's webhook envelopes into one typed event per order, payment, status, reply or configuration
 * change, so a workflow maps fields to an ERP without walking entry[].changes[].value itself.
 * Amounts are integer minor units computed exactly with money.ts (item_price is a decimal in major units;
 * payment amounts are {value, offset}).
 */
import type { IDataObject } from 'n8n-workflow';

import { fromOffsetAmount, moneyView, multiply, sum, toMinor } from '../money';
import type { MoneyView } from '../money';

export type MetaEventType =
	| 'order'
	| 'paymentStatus'
	| 'messageStatus'
	| 'interactiveReply'
	| 'paymentConfigurationUpdate';

export interface MetaEvent {
	event: MetaEventType;
	/** Key used to drop Meta's duplicate deliveries (message id, or status id + status). */
	dedupeKey: string;
	wabaId: string;
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	data: IDataObject;
}

/** Asynchronous order_status failures Meta reports as message statuses; the order message did not land. */
export const ORDER_STATUS_FAILURES: Record<number, string> = {
	2040: 'The order_status message refers to an order the customer cannot see; check the reference id.',
	2046: 'The order_status transition is not allowed (e.g. from a final status); send a valid next status.',
	2047: 'The order_status update repeats or conflicts with the current status; fetch the order and retry with the right status.',
};

const asObject = (value: unknown): IDataObject =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
const asArray = (value: unknown): IDataObject[] => (Array.isArray(value) ? (value as IDataObject[]) : []);
const text = (value: unknown): string | undefined =>
	value === undefined || value === null ? undefined : String(value);
const isoTime = (seconds: unknown): string | undefined => {
	const n = Number(seconds);
	return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : undefined;
};

/** "Needs Testing", "Needs_Testing", "NEEDS TESTING" -> "needs_testing". */
export function normalizeConfigStatus(status: unknown): string {
	return String(status ?? '')
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
}

function orderEvent(message: IDataObject, contact: IDataObject | undefined): IDataObject {
	const order = asObject(message.order);
	const rawItems = asArray(order.product_items);
	const currencies = new Set(rawItems.map((item) => String(item.currency ?? '').toUpperCase()));
	const currency = rawItems.length ? String(rawItems[0].currency ?? '').toUpperCase() : undefined;
	const items = rawItems.map((item, index) => {
		const itemCurrency = String(item.currency ?? '');
		const unit = toMinor(item.item_price as number | string, itemCurrency, `product_items[${index}].item_price`);
		const quantity = Number(item.quantity);
		const line = multiply(unit, quantity, `product_items[${index}].quantity`);
		return {
			retailerId: text(item.product_retailer_id),
			quantity,
			unitPrice: moneyView(unit, itemCurrency),
			lineTotal: moneyView(line, itemCurrency),
		} as IDataObject;
	});
	let total: MoneyView | undefined;
	if (currency && currencies.size === 1) {
		total = moneyView(sum(items.map((item) => (item.lineTotal as MoneyView).minor)), currency);
	}
	return {
		messageId: text(message.id),
		from: text(message.from),
		customerName: text(asObject(asObject(contact).profile).name),
		timestamp: isoTime(message.timestamp),
		catalogId: text(order.catalog_id),
		text: text(order.text),
		currency,
		items,
		itemCount: items.length,
		total,
		context: message.context ? asObject(message.context) : undefined,
	};
}

function interactiveEvent(message: IDataObject, contact: IDataObject | undefined): IDataObject {
	const interactive = asObject(message.interactive);
	const type = String(interactive.type ?? '');
	const reply = asObject(type === 'list_reply' ? interactive.list_reply : interactive.button_reply);
	return {
		messageId: text(message.id),
		from: text(message.from),
		customerName: text(asObject(asObject(contact).profile).name),
		timestamp: isoTime(message.timestamp),
		replyType: type === 'list_reply' ? 'list' : 'button',
		replyId: text(reply.id),
		title: text(reply.title),
		description: text(reply.description),
		context: message.context ? asObject(message.context) : undefined,
	};
}

function paymentStatusEvent(status: IDataObject): IDataObject {
	const payment = asObject(status.payment);
	const currency = String(payment.currency ?? '');
	const transaction = asObject(payment.transaction);
	const amount = payment.amount
		? moneyView(fromOffsetAmount(asObject(payment.amount) as never, currency, 'payment.amount'), currency)
		: undefined;
	const refunds = asArray(payment.refunds).map((refund, index) => ({
		refundId: text(refund.id),
		status: text(refund.status),
		speed: text(refund.speed_processed),
		amount: refund.amount
			? moneyView(fromOffsetAmount(asObject(refund.amount) as never, currency, `refunds[${index}].amount`), currency)
			: undefined,
		createdAt: isoTime(refund.created_timestamp),
		updatedAt: isoTime(refund.updated_timestamp),
	}));
	const error = transaction.error ? asObject(transaction.error) : undefined;
	return {
		statusId: text(status.id),
		recipientId: text(status.recipient_id),
		status: text(status.status),
		timestamp: isoTime(status.timestamp),
		referenceId: text(payment.reference_id),
		amount,
		receipt: text(payment.receipt),
		notes: payment.notes ? asObject(payment.notes) : undefined,
		transactionId: text(transaction.id),
		pgTransactionId: text(transaction.pg_transaction_id),
		gateway: text(transaction.type),
		transactionStatus: text(transaction.status),
		method: text(asObject(transaction.method).type),
		error: error ? { code: text(error.code), reason: text(error.reason) } : undefined,
		refunds,
	};
}

function messageStatusEvent(status: IDataObject): IDataObject {
	const errors = asArray(status.errors).map((error) => ({
		code: Number(error.code),
		title: text(error.title),
		message: text(error.message),
		details: text(asObject(error.error_data).details),
		href: text(error.href),
	}));
	const orderFailure = errors.find((error) => ORDER_STATUS_FAILURES[error.code] !== undefined);
	return {
		messageId: text(status.id),
		status: text(status.status),
		recipientId: text(status.recipient_id),
		timestamp: isoTime(status.timestamp),
		bizOpaqueCallbackData: text(status.biz_opaque_callback_data),
		conversation: status.conversation ? asObject(status.conversation) : undefined,
		pricing: status.pricing ? asObject(status.pricing) : undefined,
		errors,
		orderStatusFailure: orderFailure !== undefined,
		hint: orderFailure ? ORDER_STATUS_FAILURES[orderFailure.code] : undefined,
	};
}

function configurationEvent(value: IDataObject): IDataObject {
	return {
		configurationName: text(value.configuration_name),
		providerName: text(value.provider_name),
		providerMid: text(value.provider_mid),
		status: normalizeConfigStatus(value.status),
		rawStatus: text(value.status),
		createdAt: isoTime(value.created_timestamp),
		updatedAt: isoTime(value.updated_timestamp),
	};
}

/** Drops undefined fields so items stay readable in the n8n UI. */
function compact(data: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as IDataObject;
}

/** Every typed event in one webhook envelope, in delivery order. */
export function parseMetaWebhook(body: unknown): MetaEvent[] {
	const events: MetaEvent[] = [];
	for (const entry of asArray(asObject(body).entry)) {
		const wabaId = String(entry.id ?? '');
		for (const change of asArray(entry.changes)) {
			const value = asObject(change.value);
			const metadata = asObject(value.metadata);
			const base = {
				wabaId,
				phoneNumberId: text(metadata.phone_number_id),
				displayPhoneNumber: text(metadata.display_phone_number),
			};
			if (change.field === 'payment_configuration_update') {
				const data = configurationEvent(value);
				events.push({
					...base,
					event: 'paymentConfigurationUpdate',
					dedupeKey: `config:${data.configurationName}:${data.status}:${value.updated_timestamp ?? ''}`,
					data: compact(data),
				});
				continue;
			}
			if (change.field !== 'messages') continue;
			const contacts = asArray(value.contacts);
			for (const message of asArray(value.messages)) {
				const contact = contacts.find((c) => c.wa_id === message.from) ?? contacts[0];
				const key = `msg:${String(message.id)}`;
				if (message.type === 'order') {
					events.push({ ...base, event: 'order', dedupeKey: key, data: compact(orderEvent(message, contact)) });
				} else if (message.type === 'interactive') {
					const data = interactiveEvent(message, contact);
					events.push({ ...base, event: 'interactiveReply', dedupeKey: key, data: compact(data) });
				}
			}
			for (const status of asArray(value.statuses)) {
				const key = `status:${String(status.id)}:${String(status.status)}`;
				if (status.type === 'payment') {
					// A payment stays "pending" across failed attempts: each attempt's transaction is a new fact.
					const transaction = asObject(asObject(status.payment).transaction);
					const attemptKey = `${key}:${String(transaction.id ?? '')}:${String(transaction.status ?? '')}`;
					events.push({ ...base, event: 'paymentStatus', dedupeKey: attemptKey, data: compact(paymentStatusEvent(status)) });
				} else {
					events.push({ ...base, event: 'messageStatus', dedupeKey: key, data: compact(messageStatusEvent(status)) });
				}
			}
		}
	}
	return events;
}
