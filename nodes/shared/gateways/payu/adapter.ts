/**
 * PayU India: payment links on OneAPI (OAuth bearer from the credential's preAuthentication, JSON, decimal
 * rupees) and refunds / lookups on postservice (form with hash = sha512(key|command|var1|salt)). Rupee strings
 * are produced from integer paise by money.ts; PayU's refund token (var2) makes a repeated refund fail with
 * 106 "Token already exists" instead of refunding twice.
 *
 * Payment links have no idempotency key, only a unique invoice number: the link is looked up by it before the
 * POST and before any new attempt (effects/createOnce.ts), and "Invoice Number already exists" returns it.
 * A refund POST is not retried blindly after a 5xx either: the refund is looked up by its token first.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError, RemoteApiError } from '../../errors';
import { moneyView, toDecimalString, toMinor } from '../../money';
import { sha512Hex } from '../../signatures';
import type { HttpResponse, RequestContext, RetryPolicy } from '../../transport/http';
import { sendRequest } from '../../transport/http';
import { createOnce } from '../../effects/createOnce';
import { gatewayPolicy, remoteError, withoutServerRetries } from '../errors';
import { payuRefundToken } from '../idempotency';
import type { CreateLinkRequest, GatewayAdapter, LinkStatus, PaymentLink, PaymentStatus, Refund, RefundStatus } from '../types';
import { pacingObserver } from '../pacing';

const CREDENTIAL = 'waCommercePayUApi';

const URLS: Record<string, { api: string; postService: string }> = {
	production: { api: 'https://oneapi.payu.in', postService: 'https://info.payu.in/merchant/postservice.php?form=2' },
	test: { api: 'https://uatoneapi.payu.in', postService: 'https://test.payu.in/merchant/postservice.php?form=2' },
};

interface PayUSettings {
	api: string;
	postService: string;
	key: string;
	salt: string;
}

async function settings(ctx: RequestContext): Promise<PayUSettings> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const environment = String(credentials.environment ?? 'test');
	const urls =
		environment === 'custom'
			? { api: String(credentials.apiUrl ?? ''), postService: String(credentials.postServiceUrl ?? '') }
			: URLS[environment] ?? URLS.test;
	return {
		api: urls.api.replace(/\/+$/, ''),
		postService: urls.postService,
		key: String(credentials.merchantKey ?? ''),
		salt: String(credentials.merchantSaltSecret ?? ''),
	};
}

/** OneAPI answers HTTP 200 with status -1 on failure: the body decides. */
const linkPolicy = gatewayPolicy(
	'PayU',
	(response: HttpResponse) => {
		const body = (response.body ?? {}) as IDataObject;
		return remoteError('PayU', response, body.errorCode ? String(body.errorCode) : undefined, String(body.message ?? `HTTP ${response.statusCode}`), {
			hint: /already exists/i.test(String(body.message)) ? 'A link with this invoice number exists: use a new reference or get the existing link.' : undefined,
		});
	},
	{ isOk: (response) => response.statusCode >= 200 && response.statusCode < 300 && Number((response.body as IDataObject)?.status) === 0 },
);

const REFUND_HINTS: Record<string, string> = {
	'105': 'The refund amount is invalid or above what is left on the payment.',
	'111': 'The payment is not in a refundable state.',
	'116': 'PayU does not know this mihpayid.',
	'117': 'The refund amount does not match what PayU allows for this payment.',
	'128': 'Partial refunds are not enabled for this merchant.',
	'214': 'The same amount was refunded on this payment less than 5 minutes ago.',
};

/** postservice answers HTTP 200 with status 0 and an error_code on failure. */
const postPolicy = gatewayPolicy(
	'PayU',
	(response: HttpResponse) => {
		const body = (response.body ?? {}) as IDataObject;
		const code = body.error_code === undefined ? undefined : String(body.error_code);
		return remoteError('PayU', response, code, String(body.msg ?? `HTTP ${response.statusCode}`), { hint: code ? REFUND_HINTS[code] : undefined });
	},
	{
		// 106 "Token already exists" is the idempotency guard doing its job, handled by the refund call.
		isOk: (response) => {
			const body = (response.body ?? {}) as IDataObject;
			return response.statusCode === 200 && (Number(body.status) === 1 || String(body.error_code) === '106');
		},
	},
);

async function postService(ctx: RequestContext, command: string, vars: string[], policy: RetryPolicy = postPolicy): Promise<IDataObject> {
	const config = await settings(ctx);
	const form: Record<string, string> = {
		key: config.key,
		command,
		hash: sha512Hex(`${config.key}|${command}|${vars[0]}|${config.salt}`),
	};
	vars.forEach((value, index) => (form[`var${index + 1}`] = value));
	return (await sendRequest<IDataObject>(ctx, CREDENTIAL, { method: 'POST', url: config.postService, form }, policy, pacingObserver(ctx, 'payu'))).body;
}

/** A look-up that finds nothing is an empty list, not an error ("No action status found"). */
const lookupPolicy = gatewayPolicy(
	'PayU',
	(response: HttpResponse) => remoteError('PayU', response, undefined, String(((response.body ?? {}) as IDataObject).msg ?? `HTTP ${response.statusCode}`)),
	{
		isOk: (response) => {
			const body = (response.body ?? {}) as IDataObject;
			return response.statusCode === 200 && (Number(body.status) === 1 || /no action status found/i.test(String(body.msg)));
		},
	},
);

/** verify_payment answers status 0 with a "Not Found" entry for an unknown txnid: the caller decides. */
const verifyPolicy = gatewayPolicy(
	'PayU',
	(response: HttpResponse) => remoteError('PayU', response, undefined, String(((response.body ?? {}) as IDataObject).msg ?? `HTTP ${response.statusCode}`)),
	{
		isOk: (response) => {
			const body = (response.body ?? {}) as IDataObject;
			return response.statusCode === 200 && (Number(body.status) === 1 || typeof body.transaction_details === 'object');
		},
	},
);

/** PayU's own record of a transaction by the merchant's txnid (verify_payment), or undefined when unknown. */
export async function verifyPayment(ctx: RequestContext, txnid: string): Promise<IDataObject | undefined> {
	const answer = await postService(ctx, 'verify_payment', [txnid], verifyPolicy);
	const entry = ((answer.transaction_details ?? {}) as IDataObject)[txnid] as IDataObject | undefined;
	if (!entry || typeof entry !== 'object' || String(entry.status).toLowerCase() === 'not found') return undefined;
	return entry;
}

export interface PayURefundEntry {
	requestId: string;
	token: string;
	minor: number;
	status: RefundStatus;
	raw: IDataObject;
}

export function refundStatus(state: unknown): RefundStatus {
	const text = String(state ?? '').toLowerCase();
	if (text === 'success') return 'processed';
	if (text === 'failure' || text === 'failed' || text === 'cancelled') return 'failed';
	return 'pending';
}

/** Reads check_action_status's transaction_details ({outer: {inner: entry}}) into refund entries. */
export function refundEntries(answer: IDataObject): PayURefundEntry[] {
	const details = answer.transaction_details;
	if (!details || typeof details !== 'object') return [];
	const entries: PayURefundEntry[] = [];
	for (const inner of Object.values(details as IDataObject)) {
		if (!inner || typeof inner !== 'object') continue;
		for (const entry of Object.values(inner as IDataObject) as IDataObject[]) {
			if (!entry || typeof entry !== 'object' || (entry.action !== undefined && String(entry.action) !== 'refund')) continue;
			entries.push({
				requestId: String(entry.request_id ?? ''),
				token: String(entry.token ?? ''),
				minor: toMinor(String(entry.amount ?? '0'), 'INR', 'amount'),
				status: refundStatus(entry.status),
				raw: entry,
			});
		}
	}
	return entries;
}

/** Every refund PayU holds for a payment (check_action_status with var2 = payuid). */
async function refundsOf(ctx: RequestContext, mihpayid: string): Promise<PayURefundEntry[]> {
	return refundEntries(await postService(ctx, 'check_action_status', [mihpayid, 'payuid'], lookupPolicy));
}

async function oneApi(ctx: RequestContext, method: 'GET' | 'POST' | 'DELETE', path: string, body?: IDataObject, policy: RetryPolicy = linkPolicy): Promise<IDataObject> {
	const config = await settings(ctx);
	return (await sendRequest<IDataObject>(ctx, CREDENTIAL, { method, url: `${config.api}${path}`, refreshTokenOn401: true, ...(body ? { body } : {}) }, policy, pacingObserver(ctx, 'payu'))).body;
}

/** A link look-up that finds nothing is "no link", not an error (OneAPI answers status -1 "Invalid invoice number"). */
const UNKNOWN_INVOICE = /invalid invoice|not found|does not exist/i;
const linkLookupPolicy = gatewayPolicy('PayU', (response) => remoteError('PayU', response, undefined, String(((response.body ?? {}) as IDataObject).message ?? `HTTP ${response.statusCode}`)), {
	isOk: (response) => {
		const body = (response.body ?? {}) as IDataObject;
		return response.statusCode >= 200 && response.statusCode < 300 && (Number(body.status) === 0 || UNKNOWN_INVOICE.test(String(body.message)));
	},
});

/** The link made earlier with this invoice number, if any; an invoice number used for another amount is the user's mistake. */
async function linkByInvoice(ctx: RequestContext, request: CreateLinkRequest): Promise<PaymentLink | undefined> {
	const answer = await oneApi(ctx, 'GET', `/payment-links/${encodeURIComponent(request.reference)}`, undefined, linkLookupPolicy);
	if (Number(answer.status) !== 0 || !answer.result) return undefined;
	const link = toLink(answer.result as IDataObject, request.reference);
	if (link.amount.minor !== request.amount.minor) {
		throw new InputError(
			'reference',
			`The invoice number ${request.reference} was used for a PayU link of ${link.amount.decimal} INR, not ${toDecimalString(request.amount.minor, 'INR')} INR`,
			'PayU keeps an invoice number for one link: use a new reference for another amount; nothing was created.',
		);
	}
	return link;
}

const isInvoiceTaken = (error: unknown): boolean => error instanceof RemoteApiError && /already exists/i.test(error.message);

/** "yyyy-MM-dd HH:mm:ss" in India time, PayU's deadline format. */
export function istDeadline(epochSeconds: number): string {
	const ist = new Date((epochSeconds + 5.5 * 3600) * 1000).toISOString();
	return `${ist.slice(0, 10)} ${ist.slice(11, 19)}`;
}

export function toLink(result: IDataObject, reference: string, transactions: IDataObject[] = [], delivered = false): PaymentLink {
	const total = toMinor(String(result.totalAmount ?? result.subAmount ?? '0'), 'INR', 'totalAmount');
	const paid = transactions.filter((txn) => String(txn.status).toLowerCase() === 'success');
	const paidMinor = paid.reduce((sum, txn) => sum + toMinor(String(txn.amount ?? '0'), 'INR', 'amount'), 0);
	const state = String(result.status ?? '').toLowerCase();
	let status: LinkStatus = result.active === false ? 'cancelled' : 'created';
	if (state === 'expired') status = 'expired';
	if (paidMinor > 0) status = paidMinor >= total ? 'paid' : 'partially_paid';
	const customer = (result.customer ?? {}) as IDataObject;
	return {
		gateway: 'payu',
		linkId: String(result.invoiceNumber ?? reference),
		url: String(result.paymentLink ?? ''),
		status,
		reference: String(result.invoiceNumber ?? reference),
		amount: moneyView(total, 'INR'),
		amountPaid: moneyView(paidMinor, 'INR'),
		customer: { name: customer.name as string, email: customer.email as string, phone: customer.phone as string },
		...(result.expiryDate ? { expiresAt: String(result.expiryDate) } : {}),
		deliveredByGateway: delivered,
		paymentIds: paid.map((txn) => String(txn.mihpayid ?? txn.id)),
		raw: result,
	};
}

export const payuAdapter: GatewayAdapter = {
	id: 'payu',
	displayName: 'PayU India',
	credentialType: CREDENTIAL,
	capabilities: { cancelLink: true, nativeWhatsApp: true, refundIdempotency: 'token' },

	async createLink(ctx, request: CreateLinkRequest) {
		if (request.amount.currency !== 'INR') throw new InputError('currency', 'PayU India payment links are in INR only');
		if (request.description && request.description.length > 250) throw new InputError('description', 'PayU allows a description of at most 250 characters');
		const customer = request.customer ?? {};
		if (request.deliverOverWhatsApp && !customer.phone) {
			throw new InputError('customerPhone', 'PayU needs the customer\'s phone to deliver the link over WhatsApp');
		}
		const udf = Object.fromEntries(Object.entries(request.notes ?? {}).filter(([key]) => /^udf[1-5]$/.test(key)));
		const body: IDataObject = {
			subAmount: toDecimalString(request.amount.minor, 'INR'),
			currency: 'INR',
			description: request.description || `Order ${request.reference}`,
			source: 'API',
			invoiceNumber: request.reference,
			isPartialPaymentAllowed: false,
			...(customer.name || customer.email || customer.phone ? { customer: { name: customer.name, email: customer.email, phone: customer.phone } } : {}),
			...(Object.keys(udf).length ? { udf } : {}),
			...(request.expiresAt ? { paymentDeadline: istDeadline(request.expiresAt) } : {}),
			...(request.deliverOverWhatsApp ? { viaWhatsapp: true, whatsappRecipients: [{ phone: customer.phone }] } : {}),
		};
		const { value, replayed } = await createOnce({
			lookup: async () => await linkByInvoice(ctx, request),
			create: async () => {
				const answer = await oneApi(ctx, 'POST', '/payment-links', body, withoutServerRetries(linkPolicy));
				return toLink((answer.result ?? {}) as IDataObject, request.reference, [], Boolean(request.deliverOverWhatsApp));
			},
			isConflict: isInvoiceTaken,
		});
		return { ...value, replayed };
	},

	async getLink(ctx, linkId) {
		const answer = await oneApi(ctx, 'GET', `/payment-links/${encodeURIComponent(linkId)}`);
		const txns = await oneApi(ctx, 'GET', `/payment-links/${encodeURIComponent(linkId)}/txns`);
		const transactions = Array.isArray(txns.result) ? (txns.result as IDataObject[]) : [];
		return toLink((answer.result ?? {}) as IDataObject, linkId, transactions);
	},

	async cancelLink(ctx, linkId) {
		await oneApi(ctx, 'DELETE', `/payment-links/${encodeURIComponent(linkId)}`);
		return this.getLink(ctx, linkId);
	},

	async refund(ctx, request) {
		if (request.amount && request.amount.currency !== 'INR') throw new InputError('currency', 'PayU India refunds are in INR only');
		const token = payuRefundToken(request.idempotencyKey);
		const asRefund = (entry: PayURefundEntry, fallbackMinor: number): Refund => ({
			gateway: 'payu',
			refundId: entry.requestId || `token:${token}`,
			paymentId: request.paymentId,
			status: entry.status,
			amount: moneyView(entry.minor || fallbackMinor, 'INR'),
			raw: entry.raw,
		});
		const byToken = async (): Promise<PayURefundEntry | undefined> => (await refundsOf(ctx, request.paymentId)).find((entry) => entry.token === token);
		let amountMinor = request.amount?.minor;
		if (amountMinor === undefined) {
			// A re-run of a full refund: its token is there already (what is left would now read 0).
			const earlier = await byToken();
			if (earlier) return { ...asRefund(earlier, 0), replayed: true };
			// PayU needs the amount: a full refund is what the payment captured minus what was refunded.
			const payment = await this.getPayment(ctx, request.paymentId);
			amountMinor = payment.amount.minor - (payment.amountRefunded?.minor ?? 0);
			if (amountMinor <= 0) throw new InputError('paymentId', 'This payment has been fully refunded already');
		}
		const minor = amountMinor;
		const { value, replayed } = await createOnce<Refund>({
			// A partial refund's re-run is answered 106 by PayU itself; look up only after an uncertain attempt.
			skipFirstLookup: true,
			lookup: async () => {
				const entry = await byToken();
				return entry ? asRefund(entry, minor) : undefined;
			},
			create: async () => {
				const answer = await postService(ctx, 'cancel_refund_transaction', [request.paymentId, token, toDecimalString(minor, 'INR')], withoutServerRetries(postPolicy));
				if (String(answer.error_code) === '106') {
					// The token was used before: that refund exists already. Return it, never refund a second time.
					const entry = await byToken();
					return { ...(entry ? asRefund(entry, minor) : { gateway: 'payu', refundId: `token:${token}`, paymentId: request.paymentId, status: 'pending', amount: moneyView(minor, 'INR'), raw: answer }), replayed: true } satisfies Refund;
				}
				return { gateway: 'payu', refundId: String(answer.request_id), paymentId: request.paymentId, status: 'pending', amount: moneyView(minor, 'INR'), raw: answer } satisfies Refund;
			},
		});
		return { ...value, replayed: value.replayed === true || replayed };
	},

	async getRefund(ctx, refundId) {
		const answer = await postService(ctx, 'check_action_status', [refundId]);
		const entry = refundEntries(answer).find((item) => item.requestId === refundId) ?? refundEntries(answer)[0];
		if (!entry) throw new InputError('refundId', `PayU has no refund with request ID ${refundId}`);
		return {
			gateway: 'payu',
			refundId,
			paymentId: String(entry.raw.mihpayid ?? ''),
			status: entry.status,
			amount: moneyView(entry.minor, 'INR'),
			raw: answer,
		};
	},

	async getPayment(ctx, paymentId) {
		const answer = await postService(ctx, 'check_payment', [paymentId]);
		const details = (answer.transaction_details ?? {}) as IDataObject;
		const amount = toMinor(String(details.amt ?? details.amount ?? '0'), 'INR', 'amount');
		const refunded = (await refundsOf(ctx, paymentId)).filter((entry) => entry.status !== 'failed').reduce((total, entry) => total + entry.minor, 0);
		const state = String(details.status ?? '').toLowerCase();
		let status: PaymentStatus = state === 'success' || state === 'captured' ? 'captured' : state === 'failure' || state === 'failed' ? 'failed' : 'pending';
		if (status === 'captured' && refunded > 0) status = refunded >= amount ? 'refunded' : 'partially_refunded';
		return {
			gateway: 'payu',
			paymentId,
			status,
			amount: moneyView(amount, 'INR'),
			amountRefunded: moneyView(refunded, 'INR'),
			reference: details.txnid as string,
			method: details.mode as string,
			customer: { name: details.firstname as string, email: details.email as string, phone: details.phone as string },
			raw: answer,
		};
	},
};
