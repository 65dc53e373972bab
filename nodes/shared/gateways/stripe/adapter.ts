/**
 * Stripe: Checkout Sessions (default: single use, real expiry, expire = cancel) or Payment Links (reusable
 * URL, deactivated on cancel), refunds, PaymentIntents as payments. Bodies are form-encoded (form.ts); amounts
 * are integer minor units, through amounts.ts for Stripe's special currencies.
 *
 * Every POST carries an Idempotency-Key derived from the reference (and amount): Stripe answers a repeat with
 * the first object and `Idempotent-Replayed: true`, so a retry after a 5xx that followed the creation, a re-run
 * or the ERP sending the same invoice again never makes a second session, link or refund.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError, RemoteApiError } from '../../errors';
import type { AttemptObserver, HttpRequest, HttpResponse, RequestContext } from '../../transport/http';
import { headerValue, sendRequest } from '../../transport/http';
import { gatewayPolicy, remoteError } from '../errors';
import { requestIdempotencyKey } from '../idempotency';
import { assertRefundCurrency } from '../refundChecks';
import type { CreateLinkRequest, GatewayAdapter, LinkStatus, Payment, PaymentLink, PaymentStatus, Refund, RefundStatus } from '../types';
import { fromStripeAmount, toStripeAmount } from './amounts';
import { toStripeForm, type FormValue } from './form';
import { isoFromUnixSeconds } from '../../time';
import { pacingObserver } from '../pacing';

const CREDENTIAL = 'waCommerceStripeApi';

interface StripeError {
	error?: { type?: string; code?: string; message?: string; param?: string };
}

const HINTS: Record<string, string> = {
	charge_already_refunded: 'Nothing is left to refund on this payment.',
	amount_too_large: 'Refund at most what is left on the payment (see Payment > Get).',
	idempotency_key_in_use: 'The same refund is being processed right now: check Refund > Get in a moment.',
	resource_missing: 'Stripe does not know this ID: check it belongs to the same account and mode (test/live).',
};

const policy = gatewayPolicy('Stripe', (response: HttpResponse) => {
	const error = (response.body as StripeError)?.error ?? {};
	return remoteError('Stripe', response, error.code ?? error.type, error.message ?? `HTTP ${response.statusCode}`, {
		detail: error.param ? `param: ${error.param}` : undefined,
		hint: error.code ? HINTS[error.code] : undefined,
	});
});

type StripeRequest = Omit<HttpRequest, 'url' | 'form'> & { path: string; form?: Record<string, FormValue>; idempotencyKey?: string };

/**
 * One Stripe call. `replayed`: Stripe answered with a result it had stored for this Idempotency-Key before this
 * call. When an earlier attempt of this same call got a 5xx (it may have committed), a replay is this call's own
 * object, not an earlier one: replayed false, so the workflow still tells the customer about it.
 */
async function send<T = IDataObject>(ctx: RequestContext, request: StripeRequest): Promise<{ response: HttpResponse<T>; replayed: boolean }> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const base = String(credentials.baseUrl || 'https://api.stripe.com').replace(/\/+$/, '');
	const { path, form, idempotencyKey, ...rest } = request;
	const pacing = pacingObserver(ctx, 'stripe');
	let uncertainAttempt = false;
	const observer: AttemptObserver = {
		...pacing,
		onRetry(outcome, delayMs) {
			if (!outcome.throttled) uncertainAttempt = true;
			pacing.onRetry?.(outcome, delayMs);
		},
	};
	const headers = { ...(rest.headers ?? {}), ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) };
	const response = await sendRequest<T>(ctx, CREDENTIAL, { ...rest, headers, url: `${base}${path}`, ...(form ? { form: toStripeForm(form) } : {}) }, policy, observer);
	const replayed = String(headerValue(response.headers, 'idempotent-replayed') ?? '') === 'true' && !uncertainAttempt;
	return { response, replayed };
}

async function call<T = IDataObject>(ctx: RequestContext, request: StripeRequest): Promise<T> {
	return (await send<T>(ctx, request)).response.body;
}

/** Stripe refuses a known key sent with other parameters: say which reference and what to do. */
async function create(ctx: RequestContext, request: StripeRequest, reference: string): Promise<{ raw: IDataObject; replayed: boolean }> {
	const { response, replayed } = await send(ctx, request).catch((error: unknown) => {
		if (!(error instanceof RemoteApiError) || error.details.code !== 'idempotency_error') throw error;
		throw new RemoteApiError('Stripe', error.message, {
			...error.details,
			hint: `A link for reference ${reference} and this amount was created in the last 24 hours with other details (description, expiry, customer or notes): get that link with Payment Link > Get, or cancel it and use a new reference.`,
		});
	});
	return { raw: response.body, replayed };
}

/** A Payment Link object carries no amount: Stripe gives it only through its line items. */
async function paymentLinkWithAmount(ctx: RequestContext, raw: IDataObject): Promise<PaymentLink> {
	const items = await call<{ data?: IDataObject[] }>(ctx, { method: 'GET', path: `/v1/payment_links/${encodeURIComponent(String(raw.id))}/line_items` });
	const total = (items.data ?? []).reduce((sum, item) => sum + Number(item.amount_total ?? 0), 0);
	return toLink(raw, total);
}

function sessionStatus(raw: IDataObject): LinkStatus {
	if (raw.status === 'complete' && raw.payment_status !== 'unpaid') return 'paid';
	if (raw.status === 'expired') return 'expired';
	return 'created';
}

function paymentLinkStatus(raw: IDataObject): LinkStatus {
	const completed = ((raw.restrictions ?? {}) as IDataObject).completed_sessions as IDataObject | undefined;
	// Limited to one payment (as this package creates them): the link is paid once that payment completed.
	if (completed && Number(completed.count) >= Number(completed.limit)) return 'paid';
	return raw.active === false ? 'cancelled' : 'created';
}

/** `amountMinor` is needed for Payment Links (the object has no amount); sessions carry amount_total. */
function toLink(raw: IDataObject, amountMinor?: number): PaymentLink {
	const isSession = raw.object === 'checkout.session';
	const currency = String(raw.currency ?? 'usd').toUpperCase();
	const metadata = (raw.metadata ?? {}) as IDataObject;
	const details = (raw.customer_details ?? {}) as IDataObject;
	const total = Number(raw.amount_total ?? amountMinor ?? 0);
	const email = (details.email ?? raw.customer_email) as string | undefined;
	return {
		gateway: 'stripe',
		linkId: String(raw.id),
		url: String(raw.url ?? ''),
		status: isSession ? sessionStatus(raw) : paymentLinkStatus(raw),
		reference: String(raw.client_reference_id ?? metadata.reference ?? ''),
		amount: fromStripeAmount(total, currency),
		customer: { name: (details.name as string) ?? undefined, email: email ?? undefined, phone: (details.phone as string) ?? undefined },
		...(raw.expires_at ? { expiresAt: isoFromUnixSeconds(Number(raw.expires_at)) } : {}),
		deliveredByGateway: false,
		paymentIds: raw.payment_intent ? [String(raw.payment_intent)] : [],
		raw,
	};
}

const REFUND_STATUS: Record<string, RefundStatus> = {
	pending: 'pending',
	requires_action: 'pending',
	succeeded: 'processed',
	failed: 'failed',
	canceled: 'failed',
};

function toRefund(raw: IDataObject, replayed = false): Refund {
	return {
		gateway: 'stripe',
		refundId: String(raw.id),
		paymentId: String(raw.payment_intent ?? raw.charge ?? ''),
		status: REFUND_STATUS[String(raw.status)] ?? 'pending',
		amount: fromStripeAmount(Number(raw.amount), String(raw.currency ?? 'usd')),
		...(replayed ? { replayed } : {}),
		raw,
	};
}

function toPayment(raw: IDataObject): Payment {
	const currency = String(raw.currency ?? 'usd').toUpperCase();
	const charge = ((raw.latest_charge && typeof raw.latest_charge === 'object' ? raw.latest_charge : {}) as IDataObject);
	const refunded = Number(charge.amount_refunded ?? 0);
	let status: PaymentStatus =
		raw.status === 'succeeded' ? 'captured' : raw.status === 'requires_capture' ? 'authorized' : raw.status === 'canceled' ? 'failed' : 'pending';
	if (status === 'captured' && refunded > 0) status = refunded >= Number(raw.amount) ? 'refunded' : 'partially_refunded';
	const metadata = (raw.metadata ?? {}) as IDataObject;
	return {
		gateway: 'stripe',
		paymentId: String(raw.id),
		status,
		amount: fromStripeAmount(Number(raw.amount), currency),
		amountRefunded: fromStripeAmount(refunded, currency),
		reference: (metadata.reference as string) ?? undefined,
		method: Array.isArray(raw.payment_method_types) ? String(raw.payment_method_types[0]) : undefined,
		raw,
	};
}

export const stripeAdapter: GatewayAdapter = {
	id: 'stripe',
	displayName: 'Stripe',
	credentialType: CREDENTIAL,
	capabilities: { cancelLink: true, nativeWhatsApp: false, refundIdempotency: 'header' },

	async createLink(ctx, request: CreateLinkRequest) {
		const currency = request.amount.currency.toLowerCase();
		const lineItem = {
			price_data: { currency, unit_amount: toStripeAmount(request.amount), product_data: { name: request.description || `Order ${request.reference}` } },
			quantity: 1,
		};
		const metadata = { ...(request.notes ?? {}), reference: request.reference };
		const amountKey = [request.reference, request.amount.minor, request.amount.currency];
		if (request.stripeObject === 'paymentLink') {
			const { raw, replayed } = await create(ctx, {
				method: 'POST',
				path: '/v1/payment_links',
				idempotencyKey: requestIdempotencyKey('stripe', 'paymentLink.create', ...amountKey),
				form: {
					line_items: [lineItem],
					metadata,
					payment_intent_data: { metadata },
					// One order, one payment: a Payment Link is otherwise reusable by anyone holding the URL.
					restrictions: { completed_sessions: { limit: 1 } },
					...(request.callbackUrl ? { after_completion: { type: 'redirect', redirect: { url: request.callbackUrl } } } : {}),
				},
			}, request.reference);
			return { ...toLink(raw, toStripeAmount(request.amount)), replayed };
		}
		const now = Math.floor(Date.now() / 1000);
		if (request.expiresAt && (request.expiresAt < now + 1800 || request.expiresAt > now + 86400)) {
			throw new InputError('expiresAt', 'A Stripe Checkout Session expires between 30 minutes and 24 hours from now', 'Choose an expiry in that range, or use the Payment Link object (no expiry).');
		}
		// Stripe requires success_url for hosted Checkout and has no confirmation page of its own for it; a made-up
		// URL would strand the customer on an error page right after paying, so ask for the merchant's page instead.
		if (!request.callbackUrl) {
			throw new InputError(
				'linkOptions.callbackUrl',
				'Stripe Checkout needs a Callback URL: Stripe sends the customer there after paying',
				'Add Options > Callback URL (your thank-you page, or https://wa.me/<your WhatsApp number> to bring the customer back to the chat), or set Stripe Object to Payment Link, which shows Stripe\'s own confirmation page.',
			);
		}
		const { raw, replayed } = await create(ctx, {
			method: 'POST',
			path: '/v1/checkout/sessions',
			idempotencyKey: requestIdempotencyKey('stripe', 'checkoutSession.create', ...amountKey),
			form: {
				mode: 'payment',
				line_items: [lineItem],
				client_reference_id: request.reference,
				metadata,
				payment_intent_data: { metadata },
				...(request.customer?.email ? { customer_email: request.customer.email } : {}),
				...(request.expiresAt ? { expires_at: request.expiresAt } : {}),
				success_url: request.callbackUrl,
			},
		}, request.reference);
		return { ...toLink(raw), replayed };
	},

	async getLink(ctx, linkId) {
		if (linkId.startsWith('plink_')) return await paymentLinkWithAmount(ctx, await call(ctx, { method: 'GET', path: `/v1/payment_links/${encodeURIComponent(linkId)}` }));
		return toLink(await call(ctx, { method: 'GET', path: `/v1/checkout/sessions/${encodeURIComponent(linkId)}` }));
	},

	async cancelLink(ctx, linkId) {
		if (linkId.startsWith('plink_')) {
			const raw = await call(ctx, { method: 'POST', path: `/v1/payment_links/${encodeURIComponent(linkId)}`, form: { active: false }, idempotencyKey: requestIdempotencyKey('stripe', 'paymentLink.deactivate', linkId) });
			return await paymentLinkWithAmount(ctx, raw);
		}
		return toLink(await call(ctx, { method: 'POST', path: `/v1/checkout/sessions/${encodeURIComponent(linkId)}/expire`, idempotencyKey: requestIdempotencyKey('stripe', 'checkoutSession.expire', linkId) }));
	},

	async refund(ctx, request) {
		if (request.amount) assertRefundCurrency(await stripeAdapter.getPayment(ctx, request.paymentId), request.amount);
		const { response, replayed } = await send(ctx, {
			method: 'POST',
			path: '/v1/refunds',
			idempotencyKey: request.idempotencyKey,
			form: {
				payment_intent: request.paymentId,
				...(request.amount ? { amount: toStripeAmount(request.amount) } : {}),
				...(request.reason && ['duplicate', 'fraudulent', 'requested_by_customer'].includes(request.reason) ? { reason: request.reason } : {}),
				metadata: { ...(request.notes ?? {}), ...(request.reason ? { reason: request.reason } : {}) },
			},
		});
		// Stripe answers a repeated Idempotency-Key with the first refund (Idempotent-Replayed): nothing was refunded twice.
		return toRefund(response.body, replayed);
	},

	async getRefund(ctx, refundId) {
		return toRefund(await call(ctx, { method: 'GET', path: `/v1/refunds/${encodeURIComponent(refundId)}` }));
	},

	async getPayment(ctx, paymentId) {
		return toPayment(await call(ctx, { method: 'GET', path: `/v1/payment_intents/${encodeURIComponent(paymentId)}`, qs: { 'expand[]': 'latest_charge' } }));
	},
};
