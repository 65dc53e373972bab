/**
 * Turns Meta's webhook envelopes into one typed event per order, payment, status, reply or configuration
 * change, so a workflow maps fields to an ERP without walking entry[].changes[].value itself.
 * Amounts are integer minor units computed exactly with money.ts (item_price is a decimal in major units;
 * payment amounts are {value, offset}).
 */
import type { IDataObject } from 'n8n-workflow';

import { fromOffsetAmount, moneyView, multiply, toMinor } from '../money';
import type { MoneyView } from '../money';
import { isoFromUnixSeconds } from '../time';

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
	phoneNumberId?: string;
	/** The output item: event, wabaId, phoneNumberId, displayPhoneNumber, then the event's own fields. */
	json: IDataObject;
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
/** Field names for errors, made once per index rather than per item of every event. */
const itemFields: Record<string, string[]> = { item_price: [], quantity: [] };
const itemField = (index: number, name: 'item_price' | 'quantity'): string =>
	index < 1000 ? (itemFields[name][index] ??= `product_items[${index}].${name}`) : `product_items[${index}].${name}`;

/** Meta's timestamps are Unix seconds as text; one delivery repeats a few of them many times. */
const isoTimes = new Map<unknown, string | undefined>();
const isoTime = (seconds: unknown): string | undefined => {
	if (seconds === undefined || seconds === null) return undefined;
	let iso = isoTimes.get(seconds);
	if (iso === undefined) {
		const n = Number(seconds);
		iso = Number.isFinite(n) && n > 0 ? isoFromUnixSeconds(n) : undefined;
		if (isoTimes.size >= 256) isoTimes.clear();
		isoTimes.set(seconds, iso);
	}
	return iso;
};

/** "Needs Testing", "Needs_Testing", "NEEDS TESTING" -> "needs_testing". */
export function normalizeConfigStatus(status: unknown): string {
	return String(status ?? '')
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
}

function orderEvent(head: Head, message: IDataObject, contact: IDataObject | undefined): IDataObject {
	const order = asObject(message.order);
	const rawItems = asArray(order.product_items);
	let currency: string | undefined;
	let sameCurrency = true;
	let totalMinor = 0;
	const items: IDataObject[] = [];
	for (let index = 0; index < rawItems.length; index++) {
		const item = rawItems[index];
		const itemCurrency = String(item.currency ?? '');
		const unit = toMinor(item.item_price as number | string, itemCurrency, itemField(index, 'item_price'));
		const quantity = Number(item.quantity);
		const line = multiply(unit, quantity, itemField(index, 'quantity'));
		const unitPrice = moneyView(unit, itemCurrency);
		if (currency === undefined) currency = unitPrice.currency;
		else if (unitPrice.currency !== currency) sameCurrency = false;
		totalMinor += line;
		items.push({
			retailerId: text(item.product_retailer_id),
			quantity,
			unitPrice,
			lineTotal: moneyView(line, itemCurrency),
		});
	}
	// A total only makes sense in one currency; Meta sends one per cart, but nothing is assumed.
	const total: MoneyView | undefined = currency && sameCurrency ? moneyView(totalMinor, currency) : undefined;
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
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

function interactiveEvent(head: Head, message: IDataObject, contact: IDataObject | undefined): IDataObject {
	const interactive = asObject(message.interactive);
	const type = String(interactive.type ?? '');
	const reply = asObject(type === 'list_reply' ? interactive.list_reply : interactive.button_reply);
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
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

function paymentStatusEvent(head: Head, status: IDataObject): IDataObject {
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
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
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

function messageStatusEvent(head: Head, status: IDataObject): IDataObject {
	const errors = asArray(status.errors).map((error) => ({
		code: Number(error.code),
		title: text(error.title),
		message: text(error.message),
		details: text(asObject(error.error_data).details),
		href: text(error.href),
	}));
	const orderFailure = errors.find((error) => ORDER_STATUS_FAILURES[error.code] !== undefined);
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
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

function configurationEvent(head: Head, value: IDataObject): IDataObject {
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
		configurationName: text(value.configuration_name),
		providerName: text(value.provider_name),
		providerMid: text(value.provider_mid),
		status: normalizeConfigStatus(value.status),
		rawStatus: text(value.status),
		createdAt: isoTime(value.created_timestamp),
		updatedAt: isoTime(value.updated_timestamp),
	};
}

/** The fields every item starts with: which event, and which WABA and number it came to. */
interface Head {
	event: MetaEventType;
	wabaId: string;
	phoneNumberId: string | undefined;
	displayPhoneNumber: string | undefined;
}

/*
 * Items are object literals of one fixed shape per event type, with undefined for what Meta did not send
 * (n8n stores items as JSON, so those keys never show in the UI). Deliberately no `{ ...envelope, ...data }`
 * and no copying to drop undefined keys: both cost microseconds an event in V8, which a 100-event delivery
 * multiplies (bench/p2.ts measures it).
 */

/** Every typed event in one webhook envelope, in delivery order. */
export function parseMetaWebhook(body: unknown): MetaEvent[] {
	const events: MetaEvent[] = [];
	for (const entry of asArray(asObject(body).entry)) {
		const wabaId = String(entry.id ?? '');
		for (const change of asArray(entry.changes)) {
			const value = asObject(change.value);
			const metadata = asObject(value.metadata);
			const phoneNumberId = text(metadata.phone_number_id);
			const displayPhoneNumber = text(metadata.display_phone_number);
			const head = (event: MetaEventType): Head => ({ event, wabaId, phoneNumberId, displayPhoneNumber });
			if (change.field === 'payment_configuration_update') {
				const json = configurationEvent(head('paymentConfigurationUpdate'), value);
				const key = `config:${String(json.configurationName)}:${String(json.status)}:${String(value.updated_timestamp ?? '')}`;
				events.push({ event: 'paymentConfigurationUpdate', dedupeKey: key, phoneNumberId, json });
				continue;
			}
			if (change.field !== 'messages') continue;
			const contacts = asArray(value.contacts);
			for (const message of asArray(value.messages)) {
				const contact = contacts.find((c) => c.wa_id === message.from) ?? contacts[0];
				const key = `msg:${String(message.id)}`;
				if (message.type === 'order') {
					events.push({ event: 'order', dedupeKey: key, phoneNumberId, json: orderEvent(head('order'), message, contact) });
				} else if (message.type === 'interactive') {
					const json = interactiveEvent(head('interactiveReply'), message, contact);
					events.push({ event: 'interactiveReply', dedupeKey: key, phoneNumberId, json });
				}
			}
			for (const status of asArray(value.statuses)) {
				const key = `status:${String(status.id)}:${String(status.status)}`;
				if (status.type === 'payment') {
					// A payment stays "pending" across failed attempts: each attempt's transaction is a new fact.
					const transaction = asObject(asObject(status.payment).transaction);
					const attemptKey = `${key}:${String(transaction.id ?? '')}:${String(transaction.status ?? '')}`;
					const json = paymentStatusEvent(head('paymentStatus'), status);
					events.push({ event: 'paymentStatus', dedupeKey: attemptKey, phoneNumberId, json });
				} else {
					const json = messageStatusEvent(head('messageStatus'), status);
					events.push({ event: 'messageStatus', dedupeKey: key, phoneNumberId, json });
				}
			}
		}
	}
	return events;
}
