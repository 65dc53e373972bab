/**
 * Turns Meta's webhook envelopes into one typed event per order, payment, status, reply, identity change or
 * configuration change, so a workflow maps fields to an ERP without walking entry[].changes[].value itself.
 * Amounts are integer minor units computed exactly with money.ts (item_price is a decimal in major units;
 * payment amounts are {value, offset}).
 *
 * One bad event never costs the others: a delivery is signed and answered as a whole, so an event that cannot
 * be read (e.g. an item_price with more decimals than its currency has) becomes an item of its own type with an
 * `error` naming the field, and the rest of the delivery runs. Only a body that is not a Meta webhook at all
 * throws (`NotAMetaWebhookError`).
 */
import type { IDataObject } from 'n8n-workflow';

import { ANY_EVENT_SPACE } from '../effects/deliveries';
import type { EventIdentity, KeyScheme } from '../effects/deliveries';
import { InputError } from '../errors';
import { fromOffsetAmount, moneyView, multiply, toMinor } from '../money';
import type { MoneyView } from '../money';
import { isoFromUnixSeconds } from '../time';
import { type CustomerIdentity, customerOfMessage, customerOfStatus } from './customer';

export type MetaEventType =
	| 'order'
	| 'paymentStatus'
	| 'messageStatus'
	| 'interactiveReply'
	| 'identityChange'
	| 'paymentConfigurationUpdate'
	| 'templateStatus';

export interface MetaEvent {
	event: MetaEventType;
	/** Key used to drop Meta's duplicate deliveries (message id, or status id + status). */
	dedupeKey: string;
	/**
	 * The same identity as (table, id) for the in-process duplicate memory (effects/deliveries.ts): a message's
	 * or status's id exactly as the body gave it, under `msg` or `status:<status>`; the whole key under `*`
	 * for every other event. `splitMetaEventKey` gives the same pair back from `dedupeKey`.
	 */
	dedupeSpace: string;
	dedupeId: string;
	phoneNumberId?: string;
	/** The output item: event, wabaId, phoneNumberId, displayPhoneNumber, then the event's own fields. */
	json: IDataObject;
}

/** The body is not a WhatsApp Business Account webhook (no `entry` list, or another object type). */
export class NotAMetaWebhookError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NotAMetaWebhookError';
	}
}

/** Asynchronous order_status failures Meta reports as message statuses; the order message did not land. */
export const ORDER_STATUS_FAILURES: Record<number, string> = {
	2040: 'The order_status message refers to an order the customer cannot see; check the reference id.',
	2046: 'The order_status transition is not allowed (e.g. from a final status); send a valid next status.',
	2047: 'The order_status update repeats or conflicts with the current status; fetch the order and retry with the right status.',
};

/** Gateway pass-through fields Meta hands back in payment webhooks and lookups (spec §3.2), by gateway. */
export const PASS_THROUGH_KEYS = [
	'receipt',
	'notes',
	'udf1',
	'udf2',
	'udf3',
	'udf4',
	'extra1',
	'extra2',
	'additional_info1',
	'additional_info2',
	'additional_info3',
	'additional_info4',
	'additional_info5',
	'additional_info6',
	'additional_info7',
] as const;
const GATEWAYS = ['razorpay', 'payu', 'zaakpay', 'billdesk'];

/** Events whose identity is their whole key (few of them: configuration, template, identity, payment attempts). */
const WHOLE_KEY = ANY_EVENT_SPACE;
/** A table per status Meta sends for a message (constant strings: looked up once per event). */
const STATUS_SPACES = new Map(['sent', 'delivered', 'read', 'failed', 'deleted', 'played', 'warning'].map((s) => [s, `status:${s}`]));
const MESSAGE_KEY_PREFIX = 'msg:';

/**
 * (space, id) of a `dedupeKey`, as the parser gave them: `msg:<id>` -> (msg, id); `status:<id>:<status>` with
 * a known status and an id without ':' (wamids are base64) -> (status:<status>, id); anything else -> (*, key).
 */
export function splitMetaEventKey(key: string): EventIdentity {
	if (key.startsWith(MESSAGE_KEY_PREFIX)) return { space: 'msg', id: key.slice(MESSAGE_KEY_PREFIX.length) };
	const parts = key.split(':');
	const space = parts.length === 3 && parts[0] === 'status' ? STATUS_SPACES.get(parts[2]) : undefined;
	return space !== undefined && parts[1] !== '' ? { space, id: parts[1] } : { space: WHOLE_KEY, id: key };
}

/** How the trigger's duplicate memory tells Meta's events apart (effects/deliveries.ts). */
export const META_EVENT_KEYS: KeyScheme<MetaEvent> = {
	space: (event) => event.dedupeSpace,
	id: (event) => event.dedupeId,
	parts: splitMetaEventKey,
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
		// Out-of-range seconds make Date throw: a timestamp is never worth losing the event.
		iso = Number.isFinite(n) && n > 0 && n < 8.64e12 ? isoFromUnixSeconds(n) : undefined;
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

/** The fields every item starts with: which event, and which WABA and number it came to. */
interface Head {
	event: MetaEventType;
	wabaId: string;
	phoneNumberId: string | undefined;
	displayPhoneNumber: string | undefined;
}

/*
 * Items are object literals of one fixed shape per event type, with undefined (or null for the customer's
 * ids, which may legitimately be absent) for what Meta did not send (n8n stores items as JSON, so undefined
 * keys never show in the UI). Deliberately no `{ ...envelope, ...data }` on the good path: spreads cost
 * microseconds an event in V8, which a 100-event delivery multiplies (bench/p2.ts measures it).
 */

/** The head and the customer of an inbound message: what every message item starts with. */
function messageBase(head: Head, message: IDataObject, customer: CustomerIdentity): IDataObject {
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
		messageId: text(message.id),
		userId: customer.userId,
		waId: customer.waId,
		username: customer.username,
		parentUserId: customer.parentUserId,
		replyTo: customer.replyTo,
		/** Kept for workflows written before usernames: the phone, null when Meta withholds it. */
		from: customer.waId,
		customerName: customer.profileName ?? undefined,
		timestamp: isoTime(message.timestamp),
		context: message.context ? asObject(message.context) : undefined,
	};
}

function orderEvent(head: Head, message: IDataObject, customer: CustomerIdentity): IDataObject {
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
		userId: customer.userId,
		waId: customer.waId,
		username: customer.username,
		parentUserId: customer.parentUserId,
		replyTo: customer.replyTo,
		from: customer.waId,
		customerName: customer.profileName ?? undefined,
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

/** A Flow's answer arrives as JSON text; a workflow wants the object. */
function parseFlowResponse(raw: unknown): IDataObject {
	if (raw && typeof raw === 'object') return raw as IDataObject;
	try {
		const parsed: unknown = JSON.parse(String(raw ?? ''));
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as IDataObject;
	} catch {
		// reported below with the field name
	}
	throw new InputError('interactive.nfm_reply.response_json', 'the Flow answer is not a JSON object');
}

/**
 * Every way a customer answers something the business sent, each in its own shape under `replyType`:
 * `button` / `list` (interactive replies), `quickReply` (a template's quick-reply button: message type
 * `button`), `flow` (a WhatsApp Flow's `nfm_reply`, with `response_json` parsed), `paymentMethod` (Brazil
 * one-click), and `other` with Meta's raw object for anything newer than this package.
 */
function replyEvent(head: Head, message: IDataObject, customer: CustomerIdentity): IDataObject {
	const json = messageBase(head, message, customer);
	if (message.type === 'button') {
		const button = asObject(message.button);
		json.replyType = 'quickReply';
		json.replyId = text(button.payload);
		json.title = text(button.text);
		json.payload = text(button.payload);
		return json;
	}
	const interactive = asObject(message.interactive);
	const type = String(interactive.type ?? '');
	json.interactiveType = type;
	if (type === 'button_reply' || type === 'list_reply') {
		const reply = asObject(interactive[type]);
		json.replyType = type === 'list_reply' ? 'list' : 'button';
		json.replyId = text(reply.id);
		json.title = text(reply.title);
		json.description = text(reply.description);
	} else if (type === 'nfm_reply') {
		const nfm = asObject(interactive.nfm_reply);
		json.replyType = 'flow';
		json.flowName = text(nfm.name);
		json.body = text(nfm.body);
		json.responseJson = text(typeof nfm.response_json === 'string' ? nfm.response_json : JSON.stringify(nfm.response_json));
		const response = parseFlowResponse(nfm.response_json);
		json.response = response;
		json.flowToken = text(response.flow_token);
	} else if (type === 'payment_method') {
		const method = asObject(interactive.payment_method);
		json.replyType = 'paymentMethod';
		json.paymentMethod = text(method.payment_method);
		json.referenceId = text(method.reference_id);
		json.lastFourDigits = text(method.last_four_digits);
		json.credentialId = text(method.credential_id);
		json.paymentTimestamp = isoTime(method.payment_timestamp);
	} else {
		json.replyType = 'other';
		json.raw = interactive;
	}
	return json;
}

/**
 * An identity change: Meta regenerated the customer's BSUID (`system.type: user_changed_user_id`, after a
 * phone-number change) or the phone changed (`user_changed_number`). Workflows re-key stored contacts on it.
 */
function systemIdentityEvent(head: Head, message: IDataObject, customer: CustomerIdentity): IDataObject {
	const system = asObject(message.system);
	const json = messageBase(head, message, customer);
	const newUserId = text(system.user_id) ?? null;
	const newWaId = text(system.wa_id) ?? null;
	json.changeType = text(system.type);
	json.previousUserId = customer.userId;
	json.previousWaId = customer.waId;
	json.userId = newUserId ?? customer.userId;
	json.waId = newWaId ?? customer.waId;
	json.from = json.waId;
	json.parentUserId = text(system.parent_user_id) ?? customer.parentUserId;
	json.replyTo = (json.waId as string | null) ?? (json.userId as string | null);
	json.body = text(system.body);
	return json;
}

/** The `user_id_update` webhook field: one event per BSUID change it lists. */
function userIdUpdateEvent(head: Head, update: IDataObject, contacts: IDataObject[]): IDataObject {
	const ids = asObject(update.user_id);
	const previous = text(ids.previous) ?? null;
	const current = text(ids.current) ?? null;
	const contact = contacts.find((c) => c.user_id === current || c.user_id === previous) ?? {};
	const waId = text(update.wa_id) ?? text(contact.wa_id) ?? null;
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
		changeType: 'user_id_update',
		previousUserId: previous,
		userId: current,
		waId,
		username: text(asObject(contact.profile).username) ?? null,
		parentUserId: text(asObject(update.parent_user_id).current) ?? text(update.parent_user_id) ?? null,
		replyTo: waId ?? current,
		timestamp: isoTime(update.timestamp),
	};
}

/** Pass-through fields wherever Meta (or a BSP relay) puts them: the payment, its transaction, or a gateway object. */
function passThroughOf(payment: IDataObject, transaction: IDataObject): IDataObject | undefined {
	const found: IDataObject = {};
	const sources = [transaction, payment, ...GATEWAYS.map((gateway) => asObject(payment[gateway]))];
	for (const key of PASS_THROUGH_KEYS) {
		for (const source of sources) {
			const value = source[key];
			if (value !== undefined && value !== null && value !== '') {
				found[key] = key === 'notes' ? asObject(value) : String(value);
				break;
			}
		}
	}
	return Object.keys(found).length ? found : undefined;
}

/** Refunds from `payment.refunds`, `transaction.refunds` and `payment.transactions[].refunds`, once each. */
function refundsOf(payment: IDataObject, transaction: IDataObject, currency: string): IDataObject[] {
	const lists: Array<[IDataObject[], string]> = [
		[asArray(payment.refunds), 'payment.refunds'],
		[asArray(transaction.refunds), 'payment.transaction.refunds'],
		...asArray(payment.transactions).map((t, i): [IDataObject[], string] => [asArray(t.refunds), `payment.transactions[${i}].refunds`]),
	];
	const seen = new Set<string>();
	const refunds: IDataObject[] = [];
	for (const [list, path] of lists) {
		list.forEach((refund, index) => {
			const refundId = text(refund.id);
			if (refundId !== undefined) {
				if (seen.has(refundId)) return;
				seen.add(refundId);
			}
			refunds.push({
				refundId,
				status: text(refund.status),
				speed: text(refund.speed_processed),
				amount: refund.amount
					? moneyView(fromOffsetAmount(asObject(refund.amount) as never, currency, `${path}[${index}].amount`), currency)
					: undefined,
				createdAt: isoTime(refund.created_timestamp),
				updatedAt: isoTime(refund.updated_timestamp),
			});
		});
	}
	return refunds;
}

function paymentStatusEvent(head: Head, status: IDataObject, customer: CustomerIdentity): IDataObject {
	const payment = asObject(status.payment);
	const currency = String(payment.currency ?? '');
	// The webhook has one `transaction`; lookup-shaped relays send `transactions[]` (the latest attempt last).
	const transactions = asArray(payment.transactions);
	const transaction = asObject(payment.transaction ?? transactions[transactions.length - 1]);
	const amount = payment.amount
		? moneyView(fromOffsetAmount(asObject(payment.amount) as never, currency, 'payment.amount'), currency)
		: undefined;
	const transactionAmount = transaction.amount
		? moneyView(fromOffsetAmount(asObject(transaction.amount) as never, currency, 'payment.transaction.amount'), currency)
		: undefined;
	const error = asObject(transaction.error ?? payment.error ?? status.error);
	const passThrough = passThroughOf(payment, transaction);
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
		statusId: text(status.id),
		recipientId: text(status.recipient_id),
		recipientUserId: text(status.recipient_user_id),
		userId: customer.userId,
		waId: customer.waId,
		replyTo: customer.replyTo,
		status: text(status.status),
		timestamp: isoTime(status.timestamp),
		referenceId: text(payment.reference_id),
		amount,
		currency: currency || undefined,
		receipt: passThrough?.receipt,
		notes: passThrough?.notes,
		passThrough,
		transactionId: text(transaction.id),
		pgTransactionId: text(transaction.pg_transaction_id),
		gateway: text(transaction.type),
		transactionStatus: text(transaction.status),
		transactionAmount,
		method: text(asObject(transaction.method).type),
		transactionCreatedAt: isoTime(transaction.created_timestamp),
		transactionUpdatedAt: isoTime(transaction.updated_timestamp),
		// The gateway's reason for a failed attempt; `error` is kept for an event this package could not read.
		transactionError:
			error.code !== undefined || error.reason !== undefined ? { code: text(error.code), reason: text(error.reason) } : undefined,
		refunds: refundsOf(payment, transaction, currency),
	};
}

function messageStatusEvent(head: Head, status: IDataObject, customer: CustomerIdentity): IDataObject {
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
		recipientUserId: text(status.recipient_user_id),
		recipientParentUserId: text(status.recipient_parent_user_id ?? status.parent_recipient_user_id),
		userId: customer.userId,
		waId: customer.waId,
		username: customer.username,
		replyTo: customer.replyTo,
		timestamp: isoTime(status.timestamp),
		bizOpaqueCallbackData: text(status.biz_opaque_callback_data),
		conversation: status.conversation ? asObject(status.conversation) : undefined,
		// Every message may cost money since October 2026: the pricing object is the merchant's bill line.
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

/**
 * `message_template_status_update` (app callback only: Meta never sends it to a number's or WABA's override).
 * `value.event` is the new status (APPROVED, REJECTED, PAUSED, DISABLED, ...).
 */
function templateStatusEvent(head: Head, value: IDataObject): IDataObject {
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
		templateId: text(value.message_template_id),
		templateName: text(value.message_template_name),
		language: text(value.message_template_language),
		status: text(value.event),
		reason: text(value.reason) ?? null,
		category: text(value.message_template_category),
		otherInfo: value.other_info ? asObject(value.other_info) : undefined,
	};
}

/** What an item says about the one event that could not be read: the field, and what is wrong with it. */
function describeFailure(error: unknown): IDataObject {
	if (error instanceof InputError) return { field: error.field, message: `${error.field}: ${error.message}` };
	return { field: undefined, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Builds one event's item; if Meta's data breaks a rule, the item still goes out, with the fields that are
 * safe to read, Meta's raw object, and `error` naming the field, so the workflow can route it.
 */
function safely(build: () => IDataObject, fallback: () => IDataObject, raw: IDataObject): IDataObject {
	try {
		return build();
	} catch (error) {
		return failedItem(error, fallback, raw);
	}
}

function failedItem(error: unknown, fallback: () => IDataObject, raw: IDataObject): IDataObject {
	let base: IDataObject;
	try {
		base = fallback();
	} catch {
		base = {};
	}
	return { ...base, raw, error: describeFailure(error) };
}

type MessageBuilder = (head: Head, message: IDataObject, customer: CustomerIdentity) => IDataObject;

/** `safely` for an inbound message, without two closures per event (a 100-event delivery builds 100 of them). */
function safeMessage(build: MessageBuilder, head: Head, message: IDataObject, customer: CustomerIdentity): IDataObject {
	try {
		return build(head, message, customer);
	} catch (error) {
		return failedItem(error, () => messageBase(head, message, customer), message);
	}
}

function headOf(wabaId: string, phoneNumberId: string | undefined, displayPhoneNumber: string | undefined) {
	return (event: MetaEventType): Head => ({ event, wabaId, phoneNumberId, displayPhoneNumber });
}

const isReply = (message: IDataObject): boolean => message.type === 'interactive' || message.type === 'button';
const isIdentitySystem = (message: IDataObject): boolean => {
	const type = asObject(message.system).type;
	return message.type === 'system' && (type === 'user_changed_user_id' || type === 'user_changed_number');
};

/** Which events to build: by type and business number (a trigger's Events and Phone Numbers). */
export type MetaEventFilter = (event: MetaEventType, phoneNumberId: string | undefined) => boolean;

const EVERY_EVENT: MetaEventFilter = () => true;

/**
 * Every typed event in one webhook envelope that `keep` accepts, in delivery order. Events it refuses are never
 * built: most of Meta's traffic is message statuses (sent, delivered, read for every message), which an order
 * trigger does not want. Throws only when the body is not a Meta webhook.
 */
export function parseMetaWebhook(body: unknown, keep: MetaEventFilter = EVERY_EVENT): MetaEvent[] {
	const envelope = asObject(body);
	if (!Array.isArray(envelope.entry)) throw new NotAMetaWebhookError('The body has no "entry" list: not a Meta webhook');
	if (envelope.object !== undefined && envelope.object !== 'whatsapp_business_account') {
		throw new NotAMetaWebhookError(`The body is a "${String(envelope.object)}" webhook, not a WhatsApp Business Account one`);
	}
	const events: MetaEvent[] = [];
	for (const entry of asArray(envelope.entry)) {
		const wabaId = String(entry.id ?? '');
		for (const change of asArray(entry.changes)) {
			const value = asObject(change.value);
			const metadata = asObject(value.metadata);
			const phoneNumberId = text(metadata.phone_number_id);
			const head = headOf(wabaId, phoneNumberId, text(metadata.display_phone_number));
			if (change.field === 'payment_configuration_update') {
				if (!keep('paymentConfigurationUpdate', phoneNumberId)) continue;
				const json = configurationEvent(head('paymentConfigurationUpdate'), value);
				const key = `config:${String(json.configurationName)}:${String(json.status)}:${String(value.updated_timestamp ?? '')}`;
				events.push({ event: 'paymentConfigurationUpdate', dedupeKey: key, dedupeSpace: WHOLE_KEY, dedupeId: key, phoneNumberId, json });
				continue;
			}
			if (change.field === 'message_template_status_update') {
				if (!keep('templateStatus', phoneNumberId)) continue;
				const json = templateStatusEvent(head('templateStatus'), value);
				// The same template may change status again later: the entry's time tells the facts apart.
				const key = `template:${String(json.templateId)}:${String(json.language)}:${String(json.status)}:${String(entry.time ?? '')}`;
				events.push({ event: 'templateStatus', dedupeKey: key, dedupeSpace: WHOLE_KEY, dedupeId: key, phoneNumberId, json });
				continue;
			}
			const contacts = asArray(value.contacts);
			if (change.field === 'user_id_update') {
				if (!keep('identityChange', phoneNumberId)) continue;
				for (const update of asArray(value.user_id_update)) {
					const json = userIdUpdateEvent(head('identityChange'), update, contacts);
					const key = `identity:${String(json.previousUserId)}:${String(json.userId)}`;
					events.push({ event: 'identityChange', dedupeKey: key, dedupeSpace: WHOLE_KEY, dedupeId: key, phoneNumberId, json });
				}
				continue;
			}
			if (change.field !== 'messages') continue;
			for (const message of asArray(value.messages)) {
				const type: MetaEventType | undefined =
					message.type === 'order' ? 'order' : isReply(message) ? 'interactiveReply' : isIdentitySystem(message) ? 'identityChange' : undefined;
				if (type === undefined || !keep(type, phoneNumberId)) continue;
				const id = String(message.id);
				const key = `${MESSAGE_KEY_PREFIX}${id}`;
				const customer = customerOfMessage(message, contacts);
				if (type === 'order') {
					const h = head('order');
					const json = safeMessage(orderEvent, h, message, customer);
					events.push({ event: 'order', dedupeKey: key, dedupeSpace: 'msg', dedupeId: id, phoneNumberId, json });
				} else if (type === 'interactiveReply') {
					const h = head('interactiveReply');
					const json = safeMessage(replyEvent, h, message, customer);
					events.push({ event: 'interactiveReply', dedupeKey: key, dedupeSpace: 'msg', dedupeId: id, phoneNumberId, json });
				} else {
					const json = systemIdentityEvent(head('identityChange'), message, customer);
					events.push({ event: 'identityChange', dedupeKey: key, dedupeSpace: 'msg', dedupeId: id, phoneNumberId, json });
				}
			}
			for (const status of asArray(value.statuses)) {
				if (!keep(status.type === 'payment' ? 'paymentStatus' : 'messageStatus', phoneNumberId)) continue;
				const id = String(status.id);
				const key = `status:${id}:${String(status.status)}`;
				const customer = customerOfStatus(status, contacts);
				if (status.type === 'payment') {
					// A payment stays "pending" across failed attempts: each attempt's transaction is a new fact.
					const transaction = asObject(asObject(status.payment).transaction);
					const attemptKey = `${key}:${String(transaction.id ?? '')}:${String(transaction.status ?? '')}`;
					const h = head('paymentStatus');
					const json = safely(
						() => paymentStatusEvent(h, status, customer),
						() => paymentFallback(h, status, customer),
						status,
					);
					events.push({ event: 'paymentStatus', dedupeKey: attemptKey, dedupeSpace: WHOLE_KEY, dedupeId: attemptKey, phoneNumberId, json });
				} else {
					const json = messageStatusEvent(head('messageStatus'), status, customer);
					// The id alone under its status's table when splitMetaEventKey can give that pair back from the key.
					const space = id.includes(':') || id === '' ? undefined : STATUS_SPACES.get(String(status.status));
					events.push(
						space === undefined
							? { event: 'messageStatus', dedupeKey: key, dedupeSpace: WHOLE_KEY, dedupeId: key, phoneNumberId, json }
							: { event: 'messageStatus', dedupeKey: key, dedupeSpace: space, dedupeId: id, phoneNumberId, json },
					);
				}
			}
		}
	}
	return events;
}

/** What a payment item can still say when its amounts cannot be read. */
function paymentFallback(head: Head, status: IDataObject, customer: CustomerIdentity): IDataObject {
	const payment = asObject(status.payment);
	const transaction = asObject(payment.transaction);
	return {
		event: head.event,
		wabaId: head.wabaId,
		phoneNumberId: head.phoneNumberId,
		displayPhoneNumber: head.displayPhoneNumber,
		statusId: text(status.id),
		recipientId: text(status.recipient_id),
		recipientUserId: text(status.recipient_user_id),
		userId: customer.userId,
		waId: customer.waId,
		replyTo: customer.replyTo,
		status: text(status.status),
		timestamp: isoTime(status.timestamp),
		referenceId: text(payment.reference_id),
		transactionId: text(transaction.id),
		gateway: text(transaction.type),
		transactionStatus: text(transaction.status),
	};
}
