/**
 * Lyra / PayZen REST V4 (and its white labels): payment orders (PayLinks, optionally sent over WhatsApp by
 * Lyra itself), refunds with Transaction/CancelOrRefund, transactions. Errors arrive with HTTP 200 and
 * `status: "ERROR"`, so the body decides.
 *
 * Lyra has no idempotency key, so no POST is ever sent again blindly after a 5xx or a timeout (it may have
 * committed). Refunds: the order's transactions are read and a refund carrying the same key (in its comment) is
 * returned instead of a new one, before the POST and before any new attempt of it (effects/createOnce.ts); an
 * amount above what is left is refused before anything is sent. The Refund > Create operation serializes
 * refunds of one payment (effects/serialize.ts), so this look-up sees every earlier refund made in this process.
 * Payment orders cannot be looked up by orderId: a 5xx on create is reported, never retried.
 */
import type { IDataObject } from 'n8n-workflow';

import { createOnce, mayHaveCommitted } from '../../effects/createOnce';
import { InputError, RemoteApiError } from '../../errors';
import { moneyView } from '../../money';
import type { HttpResponse, RequestContext, RetryPolicy } from '../../transport/http';
import { sendRequest } from '../../transport/http';
import { gatewayPolicy, remoteError, withoutServerRetries } from '../errors';
import type { CreateLinkRequest, GatewayAdapter, LinkStatus, Payment, PaymentLink, PaymentStatus, Refund } from '../types';
import { isoFromUnixSeconds } from '../../time';
import { pacingObserver } from '../pacing';

const CREDENTIAL = 'waCommerceLyraApi';

/** Lyra refuses a payment order expiring later than this. */
const MAX_EXPIRY_DAYS = 90;

const policy = gatewayPolicy(
	'Lyra',
	(response: HttpResponse) => {
		const answer = ((response.body as IDataObject)?.answer ?? {}) as IDataObject;
		return remoteError('Lyra', response, answer.errorCode as string, String(answer.errorMessage ?? `HTTP ${response.statusCode}`), {
			detail: [answer.detailedErrorCode, answer.detailedErrorMessage].filter(Boolean).join(' ') || undefined,
		});
	},
	{ isOk: (response) => response.statusCode === 200 && (response.body as IDataObject)?.status === 'SUCCESS' },
);

/** Services that change something: a 5xx may follow the commit, so it is never sent again blindly. */
const effectPolicy = withoutServerRetries(policy);

async function service(ctx: RequestContext, name: string, body: IDataObject, retry: RetryPolicy = policy): Promise<IDataObject> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const base = String(credentials.baseUrl === 'custom' ? credentials.customBaseUrl : credentials.baseUrl || 'https://api.lyra.com').replace(/\/+$/, '');
	const response = await sendRequest<IDataObject>(ctx, CREDENTIAL, { method: 'POST', url: `${base}/api-payment/V4/${name}`, body }, retry, pacingObserver(ctx, 'lyra'));
	return (response.body.answer ?? {}) as IDataObject;
}

const ORDER_STATUS: Record<string, LinkStatus> = { RUNNING: 'created', PAID: 'paid', REFUSED: 'created', EXPIRED: 'expired', CANCELLED: 'cancelled' };

export function toLink(answer: IDataObject, delivered = false): PaymentLink {
	const currency = String(answer.currency ?? 'EUR');
	const transactions = Array.isArray(answer.transactionDetails) ? (answer.transactionDetails as IDataObject[]) : [];
	const customer = (answer.customer ?? {}) as IDataObject;
	return {
		gateway: 'lyra',
		linkId: String(answer.paymentOrderId),
		url: String(answer.paymentURL ?? ''),
		status: ORDER_STATUS[String(answer.paymentOrderStatus)] ?? 'created',
		reference: String(answer.orderId ?? ''),
		amount: moneyView(Number(answer.amount), currency),
		customer: { email: customer.email as string },
		...(answer.expirationDate ? { expiresAt: String(answer.expirationDate) } : {}),
		deliveredByGateway: delivered,
		paymentIds: transactions.map((transaction) => String(transaction.uuid)),
		raw: answer,
	};
}

export function transactionStatus(transaction: IDataObject): PaymentStatus {
	const status = String(transaction.status);
	const detailed = String(transaction.detailedStatus ?? '');
	// PAID with AUTHORISED means accepted but not captured yet (Lyra captures at the end of the day).
	if (detailed === 'AUTHORISED' || detailed === 'AUTHORISED_TO_VALIDATE' || detailed === 'WAITING_AUTHORISATION_TO_VALIDATE') return 'authorized';
	if (detailed === 'CANCELLED' || detailed === 'REFUSED' || detailed === 'EXPIRED' || status === 'UNPAID') return 'failed';
	if (status === 'PAID' || detailed === 'CAPTURED') return 'captured';
	return 'pending';
}

/** Refund transactions (CREDIT) of the order that a payment belongs to. */
async function refundsOf(ctx: RequestContext, payment: IDataObject): Promise<IDataObject[]> {
	const orderId = ((payment.orderDetails ?? {}) as IDataObject).orderId;
	if (!orderId) return [];
	const order = await service(ctx, 'Order/Get', { orderId });
	const transactions = Array.isArray(order.transactions) ? (order.transactions as IDataObject[]) : [];
	return transactions.filter((transaction) => transaction.operationType === 'CREDIT' && ((transaction.transactionDetails ?? {}) as IDataObject).parentTransactionUuid === payment.uuid);
}

export function toRefund(transaction: IDataObject, paymentId: string, replayed = false): Refund {
	const status = String(transaction.status);
	return {
		gateway: 'lyra',
		refundId: String(transaction.uuid),
		paymentId,
		status: status === 'PAID' || status === 'ACCEPTED' ? 'processed' : status === 'UNPAID' ? 'failed' : 'pending',
		amount: moneyView(Number(transaction.amount), String(transaction.currency ?? 'EUR')),
		...(replayed ? { replayed } : {}),
		raw: transaction,
	};
}

export const lyraAdapter: GatewayAdapter = {
	id: 'lyra',
	displayName: 'Lyra / PayZen',
	credentialType: CREDENTIAL,
	capabilities: { cancelLink: false, nativeWhatsApp: true, refundIdempotency: 'lookup' },

	async createLink(ctx, request: CreateLinkRequest) {
		const customer = request.customer ?? {};
		if (request.expiresAt && request.expiresAt > Math.floor(Date.now() / 1000) + MAX_EXPIRY_DAYS * 86400) {
			throw new InputError('linkOptions.expiresAt', `Lyra payment orders expire at most ${MAX_EXPIRY_DAYS} days ahead`);
		}
		if (request.deliverOverWhatsApp && !customer.phone) {
			throw new InputError('customerPhone', 'Lyra needs the customer\'s phone (+country code) to send the link over WhatsApp');
		}
		const answer = await service(ctx, 'Charge/CreatePaymentOrder', {
			amount: request.amount.minor,
			currency: request.amount.currency,
			orderId: request.reference,
			channelOptions: request.deliverOverWhatsApp
				? { channelType: 'WHATSAPP', whatsAppOptions: { phoneNumber: customer.phone } }
				: { channelType: 'URL' },
			...(request.expiresAt ? { expirationDate: isoFromUnixSeconds(request.expiresAt) } : {}),
			...(request.description ? { description: request.description } : {}),
			...(customer.email ? { customer: { email: customer.email } } : {}),
			...(request.notes && Object.keys(request.notes).length ? { metadata: request.notes } : {}),
		}, effectPolicy).catch((error: unknown) => {
			if (!mayHaveCommitted(error)) throw error;
			const failure = error as RemoteApiError;
			throw new RemoteApiError('Lyra', failure.message, {
				...failure.details,
				hint: `Lyra may have created the payment order ${request.reference}, and it cannot be looked up by order ID: check the Lyra Back Office before creating it again (a second one would be a second link to pay).`,
			});
		});
		return { ...toLink(answer, Boolean(request.deliverOverWhatsApp)), replayed: false };
	},

	async getLink(ctx, linkId) {
		return toLink(await service(ctx, 'Charge/PaymentOrder/Get', { paymentOrderId: linkId }));
	},

	async cancelLink() {
		throw new InputError(
			'operation',
			'Lyra/PayZen has no API to cancel a payment order',
			'Let the order expire (set an expiry when creating it), or refund the payment if it was paid.',
		);
	},

	async refund(ctx, request) {
		const payment = await service(ctx, 'Transaction/Get', { uuid: request.paymentId });
		const currency = String(payment.currency ?? request.currency ?? 'EUR');
		if (request.amount && request.amount.currency !== currency) {
			throw new InputError('currency', `The payment is in ${currency}, the refund was typed in ${request.amount.currency}`);
		}
		const state = transactionStatus(payment);
		if (state === 'failed') throw new InputError('paymentId', `This payment was not completed (${String(payment.detailedStatus ?? payment.status)}): there is nothing to refund`);
		if (state === 'authorized') {
			// Not captured yet: Lyra can only cancel it, and cancelling part of it is not idempotent (a re-run would
			// reduce it again), so only a full cancellation is allowed now; a cancelled payment cannot be cancelled twice.
			if (request.amount && request.amount.minor !== Number(payment.amount)) {
				throw new InputError(
					'refundType',
					'Lyra has not captured this payment yet: a partial refund is possible once it is captured (usually the next day)',
					'Refund the full amount now (Lyra cancels the payment), or wait for the capture.',
				);
			}
			const asRefund = (transaction: IDataObject): Refund => ({ ...toRefund(transaction, request.paymentId), status: 'processed', amount: moneyView(Number(payment.amount), currency) });
			const { value } = await createOnce({
				// Checked just above: not cancelled yet. After an uncertain attempt, the payment tells whether it is now.
				skipFirstLookup: true,
				lookup: async () => {
					const now = await service(ctx, 'Transaction/Get', { uuid: request.paymentId });
					return String(now.detailedStatus) === 'CANCELLED' ? asRefund(now) : undefined;
				},
				create: async () =>
					asRefund(
						await service(ctx, 'Transaction/CancelOrRefund', {
							uuid: request.paymentId,
							amount: Number(payment.amount),
							currency,
							resolutionMode: 'CANCELLATION_ONLY',
							comment: `[${request.idempotencyKey}] ${request.reason ?? ''}`.trim(),
						}, effectPolicy),
					),
			});
			return value;
		}
		if (request.amount && !((payment.orderDetails ?? {}) as IDataObject).orderId) {
			// Refunds are found through the payment's order: without an order ID a repeated partial refund could not be seen.
			throw new InputError(
				'refundType',
				'This Lyra payment has no order ID, so an earlier refund of it cannot be looked up: a partial refund could be issued twice',
				'Refund the full amount (Lyra refuses a second one), or make the partial refund in the Lyra Back Office.',
			);
		}
		const marker = `[${request.idempotencyKey}]`;
		let existing: IDataObject[] = [];
		const { value, replayed } = await createOnce({
			// Before the POST and before any new attempt: the refund carrying our key, if Lyra made it already.
			lookup: async () => {
				existing = await refundsOf(ctx, payment);
				const same = existing.find((transaction) => String(((transaction.transactionDetails ?? {}) as IDataObject).comment ?? '').includes(marker));
				return same ? toRefund(same, request.paymentId) : undefined;
			},
			create: async () => {
				const refunded = existing.filter((transaction) => String(transaction.status) !== 'UNPAID').reduce((sum, transaction) => sum + Number(transaction.amount), 0);
				const left = Number(payment.amount) - refunded;
				const amount = request.amount?.minor ?? left;
				if (left <= 0) throw new InputError('paymentId', 'This payment has been fully refunded already');
				if (amount > left) {
					throw new InputError('amount', `The refund ${moneyView(amount, currency).decimal} is above what is left on the payment (${moneyView(left, currency).decimal} ${currency})`);
				}
				const answer = await service(ctx, 'Transaction/CancelOrRefund', {
					uuid: request.paymentId,
					amount,
					currency,
					// Captured: a refund, never a cancellation of what is left.
					resolutionMode: 'REFUND_ONLY',
					comment: `${marker} ${request.reason ?? ''}`.trim(),
				}, effectPolicy);
				return toRefund(answer, request.paymentId);
			},
		});
		return { ...value, replayed };
	},

	async getRefund(ctx, refundId, paymentId) {
		const answer = await service(ctx, 'Transaction/Get', { uuid: refundId });
		if (answer.operationType === 'DEBIT') {
			// A payment cancelled before capture stands for its own refund (the refund ID is the payment's UUID).
			const cancelled = String(answer.detailedStatus) === 'CANCELLED';
			return { ...toRefund(answer, refundId), status: cancelled ? 'processed' : 'pending' };
		}
		const parent = ((answer.transactionDetails ?? {}) as IDataObject).parentTransactionUuid;
		return toRefund(answer, String(paymentId ?? parent ?? ''));
	},

	async getPayment(ctx, paymentId) {
		const answer = await service(ctx, 'Transaction/Get', { uuid: paymentId });
		const currency = String(answer.currency ?? 'EUR');
		const refunds = await refundsOf(ctx, answer);
		const refunded = refunds.filter((transaction) => String(transaction.status) !== 'UNPAID').reduce((sum, transaction) => sum + Number(transaction.amount), 0);
		let status = transactionStatus(answer);
		if (status === 'captured' && refunded > 0) status = refunded >= Number(answer.amount) ? 'refunded' : 'partially_refunded';
		return {
			gateway: 'lyra',
			paymentId,
			status,
			amount: moneyView(Number(answer.amount), currency),
			amountRefunded: moneyView(refunded, currency),
			reference: ((answer.orderDetails ?? {}) as IDataObject).orderId as string,
			method: ((answer.transactionDetails ?? {}) as IDataObject).cardDetails ? 'card' : undefined,
			raw: answer,
		} satisfies Payment;
	},
};
