/**
 * Razorpay: Payment Links API, refunds with X-Refund-Idempotency, payments. Amounts are integer paise on the
 * wire, so money passes through unchanged; statuses are mapped to the package's common words.
 *
 * Payment links have no idempotency key, only a unique reference_id: the link is looked up by reference before
 * the POST and before any new attempt of it (effects/createOnce.ts), and "reference ID already attempted" returns
 * the existing link. Refunds carry X-Refund-Idempotency, and the same key in their notes so a re-run finds the
 * first refund (and says replayed) before sending anything.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError, RemoteApiError } from '../../errors';
import { moneyView } from '../../money';
import { createOnce } from '../../effects/createOnce';
import type { HttpRequest, HttpResponse, RequestContext, RetryPolicy } from '../../transport/http';
import { sendRequest } from '../../transport/http';
import { gatewayPolicy, remoteError, withoutServerRetries } from '../errors';
import { assertRefundCurrency } from '../refundChecks';
import type { CreateLinkRequest, GatewayAdapter, LinkStatus, Payment, PaymentLink, PaymentStatus, Refund, RefundStatus } from '../types';
import { isoFromUnixSeconds } from '../../time';
import { pacingObserver } from '../pacing';

const CREDENTIAL = 'waCommerceRazorpayApi';

interface RazorpayError {
	error?: { code?: string; description?: string; field?: string; reason?: string };
}

const HINTS: Record<string, string> = {
	'The refund amount provided is greater than amount captured.': 'Refund at most what is left on the payment (see Payment > Get).',
	'The payment has been fully refunded already.': 'Nothing is left to refund on this payment.',
};

const policy = gatewayPolicy('Razorpay', (response: HttpResponse) => {
	const error = (response.body as RazorpayError)?.error ?? {};
	const description = error.description ?? `HTTP ${response.statusCode}`;
	return remoteError('Razorpay', response, error.code, description, {
		detail: error.field ? `field: ${error.field}` : error.reason,
		hint: HINTS[description] ?? (/reference ID already attempted/i.test(description) ? 'A link with this reference already exists: use a new reference (e.g. add -2) or get the existing link.' : undefined),
	});
});

async function call<T = IDataObject>(ctx: RequestContext, request: Omit<HttpRequest, 'url'> & { path: string }, retry: RetryPolicy = policy): Promise<T> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const base = String(credentials.baseUrl || 'https://api.razorpay.com').replace(/\/+$/, '');
	const { path, ...rest } = request;
	return (await sendRequest<T>(ctx, CREDENTIAL, { ...rest, url: `${base}${path}` }, retry, pacingObserver(ctx, 'razorpay'))).body;
}

/** Where the refund's idempotency key is kept on the refund itself, to find it again. */
const REFUND_KEY_NOTE = 'wa_refund_key';

const isReferenceTaken = (error: unknown): boolean => error instanceof RemoteApiError && /reference ID already attempted/i.test(error.message);

/** The link made earlier with this reference, if any; a reference used for another amount is the user's mistake. */
async function linkByReference(ctx: RequestContext, request: CreateLinkRequest): Promise<PaymentLink | undefined> {
	const answer = await call<{ payment_links?: IDataObject[] }>(ctx, { method: 'GET', path: '/v1/payment_links', qs: { reference_id: request.reference } });
	const raw = (answer.payment_links ?? []).find((link) => link.reference_id === request.reference);
	if (!raw) return undefined;
	const link = toLink(raw);
	if (link.amount.minor !== request.amount.minor || link.amount.currency !== request.amount.currency) {
		throw new InputError(
			'reference',
			`The reference ${request.reference} was used for a Razorpay link of ${link.amount.decimal} ${link.amount.currency} (${link.linkId}), not ${moneyView(request.amount.minor, request.amount.currency).decimal} ${request.amount.currency}`,
			'Razorpay keeps a reference for one link: use a new reference for another amount (e.g. add -2); nothing was created.',
		);
	}
	return link;
}

const LINK_STATUS: Record<string, LinkStatus> = {
	created: 'created',
	issued: 'created',
	paid: 'paid',
	partially_paid: 'partially_paid',
	expired: 'expired',
	cancelled: 'cancelled',
};
const REFUND_STATUS: Record<string, RefundStatus> = { pending: 'pending', created: 'pending', processed: 'processed', failed: 'failed' };

function toLink(raw: IDataObject): PaymentLink {
	const currency = String(raw.currency ?? 'INR');
	const customer = (raw.customer ?? {}) as IDataObject;
	const payments = Array.isArray(raw.payments) ? (raw.payments as IDataObject[]) : [];
	return {
		gateway: 'razorpay',
		linkId: String(raw.id),
		url: String(raw.short_url ?? ''),
		status: LINK_STATUS[String(raw.status)] ?? 'created',
		reference: String(raw.reference_id ?? ''),
		amount: moneyView(Number(raw.amount), currency),
		amountPaid: moneyView(Number(raw.amount_paid ?? 0), currency),
		customer: { name: customer.name as string, email: customer.email as string, phone: customer.contact as string },
		...(raw.expire_by ? { expiresAt: isoFromUnixSeconds(Number(raw.expire_by)) } : {}),
		deliveredByGateway: false,
		paymentIds: payments.map((payment) => String(payment.payment_id ?? payment.id)),
		raw,
	};
}

function toRefund(raw: IDataObject, replayed = false): Refund {
	return {
		gateway: 'razorpay',
		refundId: String(raw.id),
		paymentId: String(raw.payment_id),
		status: REFUND_STATUS[String(raw.status)] ?? 'pending',
		amount: moneyView(Number(raw.amount), String(raw.currency ?? 'INR')),
		...(replayed ? { replayed } : {}),
		raw,
	};
}

function toPayment(raw: IDataObject): Payment {
	const currency = String(raw.currency ?? 'INR');
	const refunded = Number(raw.amount_refunded ?? 0);
	let status: PaymentStatus = ({ created: 'pending', authorized: 'authorized', captured: 'captured', failed: 'failed', refunded: 'refunded' } as Record<string, PaymentStatus>)[String(raw.status)] ?? 'pending';
	if (status === 'captured' && refunded > 0) status = refunded >= Number(raw.amount) ? 'refunded' : 'partially_refunded';
	return {
		gateway: 'razorpay',
		paymentId: String(raw.id),
		status,
		amount: moneyView(Number(raw.amount), currency),
		amountRefunded: moneyView(refunded, currency),
		reference: (raw.order_id as string) ?? undefined,
		method: raw.method as string,
		customer: { email: raw.email as string, phone: raw.contact as string },
		raw,
	};
}

export const razorpayAdapter: GatewayAdapter = {
	id: 'razorpay',
	displayName: 'Razorpay',
	credentialType: CREDENTIAL,
	capabilities: { cancelLink: true, nativeWhatsApp: false, refundIdempotency: 'header' },

	async createLink(ctx, request: CreateLinkRequest) {
		if (request.reference.length > 40) throw new InputError('reference', 'Razorpay allows a reference of at most 40 characters');
		if (request.notes && Object.keys(request.notes).length > 15) throw new InputError('notes', 'Razorpay allows at most 15 notes');
		// Razorpay refuses expire_by earlier than 15 minutes ahead; say so before sending anything.
		if (request.expiresAt && request.expiresAt < Math.floor(Date.now() / 1000) + 15 * 60) {
			throw new InputError('linkOptions.expiresAt', 'A Razorpay payment link must expire at least 15 minutes from now', 'Choose a later expiry, or leave it empty (no expiry).');
		}
		const customer = request.customer ?? {};
		const body: IDataObject = {
			amount: request.amount.minor,
			currency: request.amount.currency,
			reference_id: request.reference,
			...(request.description ? { description: request.description } : {}),
			...(customer.name || customer.email || customer.phone
				? { customer: { ...(customer.name ? { name: customer.name } : {}), ...(customer.email ? { email: customer.email } : {}), ...(customer.phone ? { contact: customer.phone } : {}) } }
				: {}),
			// The link goes out over WhatsApp from the workflow: Razorpay's own SMS/email would duplicate it.
			notify: { sms: false, email: false },
			...(request.expiresAt ? { expire_by: request.expiresAt } : {}),
			...(request.notes && Object.keys(request.notes).length ? { notes: request.notes } : {}),
			...(request.callbackUrl ? { callback_url: request.callbackUrl, callback_method: 'get' } : {}),
		};
		const { value, replayed } = await createOnce({
			lookup: async () => await linkByReference(ctx, request),
			create: async () => toLink(await call(ctx, { method: 'POST', path: '/v1/payment_links', body }, withoutServerRetries(policy))),
			isConflict: isReferenceTaken,
		});
		return { ...value, replayed };
	},

	async getLink(ctx, linkId) {
		return toLink(await call(ctx, { method: 'GET', path: `/v1/payment_links/${encodeURIComponent(linkId)}` }));
	},

	async cancelLink(ctx, linkId) {
		return toLink(await call(ctx, { method: 'POST', path: `/v1/payment_links/${encodeURIComponent(linkId)}/cancel` }));
	},

	async refund(ctx, request) {
		if (request.amount) assertRefundCurrency(await razorpayAdapter.getPayment(ctx, request.paymentId), request.amount);
		// A re-run: the refund with this key exists already, nothing is sent (and the output says replayed).
		const earlier = await call<{ items?: IDataObject[] }>(ctx, { method: 'GET', path: `/v1/payments/${encodeURIComponent(request.paymentId)}/refunds` });
		const same = (earlier.items ?? []).find((refund) => ((refund.notes ?? {}) as IDataObject)[REFUND_KEY_NOTE] === request.idempotencyKey);
		if (same) return toRefund(same, true);
		const body: IDataObject = {
			...(request.amount ? { amount: request.amount.minor } : {}),
			speed: 'normal',
			notes: { ...(request.notes ?? {}), ...(request.reason ? { reason: request.reason } : {}), [REFUND_KEY_NOTE]: request.idempotencyKey },
		};
		// Same key on every attempt: Razorpay answers a retry after a committed refund with that refund.
		const raw = await call(ctx, {
			method: 'POST',
			path: `/v1/payments/${encodeURIComponent(request.paymentId)}/refund`,
			headers: { 'X-Refund-Idempotency': request.idempotencyKey },
			body,
		});
		return toRefund(raw);
	},

	async getRefund(ctx, refundId) {
		return toRefund(await call(ctx, { method: 'GET', path: `/v1/refunds/${encodeURIComponent(refundId)}` }));
	},

	async getPayment(ctx, paymentId) {
		return toPayment(await call(ctx, { method: 'GET', path: `/v1/payments/${encodeURIComponent(paymentId)}` }));
	},
};
