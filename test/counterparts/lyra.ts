/**
 * A loopback Lyra / PayZen REST V4 for tests, the sandbox and benchmarks: payment orders (PayLinks, with
 * WhatsApp delivery), transactions, orders and refunds. It checks what Lyra checks: Basic auth
 * shopId:password, JSON bodies, integer minor amounts, ISO currencies, channel options (a WhatsApp order needs
 * a +E.164 phone), expiry at most 90 days ahead, refunds not above what is left. Like Lyra it answers
 * business errors with HTTP 200 and the V4 envelope `{status: "ERROR", answer: {errorCode, errorMessage,
 * detailedErrorCode, detailedErrorMessage}}`, so a client that reads only the HTTP code is caught.
 *
 * Error codes: INT_902 (input validation) and PSP_010 (unknown transaction) are from the spec; INT_905 for a
 * wrong shop ID or password is UNVERIFIED (Lyra's code list was not reachable), as is the refund comment being
 * returned in transactionDetails.comment.
 */
import { createHash, createHmac, randomUUID } from 'crypto';

import { basicAuth, Counterpart } from './server';
import type { RecordedRequest, Reply } from './server';

type Entity = Record<string, unknown>;

/** A business error: answered with HTTP 200 and status ERROR by serve(). */
class LyraFailure {
	constructor(readonly answer: Entity) {}
}

const CURRENCIES = new Set(['EUR', 'USD', 'GBP', 'CHF', 'BRL', 'ARS', 'COP', 'MXN', 'PEN', 'INR', 'JPY', 'XOF', 'XPF', 'KWD', 'TND']);

export class LyraCounterpart extends Counterpart {
	shopId = '69876357';
	password = 'testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M';
	hmacKey = '38453613e7f44dc58732bad3dca2bca3';
	readonly paymentOrders = new Map<string, Entity>();
	readonly transactions = new Map<string, Entity>();
	private sequence = 0;

	constructor() {
		super('Lyra');
		const services: Record<string, (body: Entity) => Entity | LyraFailure> = {
			'Charge/SDKTest': (body) => ({ _type: 'V4/Charge/SDKTest', value: body.value }),
			'Charge/CreatePaymentOrder': (body) => this.createPaymentOrder(body),
			'Charge/PaymentOrder/Get': (body) => this.found(this.paymentOrders.get(String(body.paymentOrderId)), 'paymentOrderId', 'PSP_010', 'payment order not found'),
			'Transaction/Get': (body) => this.found(this.transactions.get(String(body.uuid)), 'uuid', 'PSP_010', 'transaction not found'),
			'Order/Get': (body) => this.getOrder(body),
			'Transaction/CancelOrRefund': (body) => this.cancelOrRefund(body),
		};
		for (const [name, handler] of Object.entries(services)) {
			this.route('POST', `/api-payment/V4/${name}`, (r) => this.serve(name, r, handler));
		}
	}

	/** Credential data pointing the package's Lyra credential at this counterpart. */
	credentials(overrides: Record<string, string> = {}): Record<string, string> {
		return { baseUrl: 'custom', customBaseUrl: this.baseUrl, shopId: this.shopId, password: this.password, hmacSecretKey: this.hmacKey, ...overrides };
	}

	override reset(): void {
		super.reset();
		this.paymentOrders.clear();
		this.transactions.clear();
	}

	private mode(): string {
		return this.password.startsWith('prodpassword_') ? 'PRODUCTION' : 'TEST';
	}

	private envelope(webService: string, status: 'SUCCESS' | 'ERROR', answer: Entity): Reply {
		return {
			status: 200,
			body: {
				webService,
				version: 'V4',
				applicationVersion: '6.5.0',
				status,
				answer,
				ticket: randomUUID().replace(/-/g, ''),
				serverDate: new Date().toISOString(),
				applicationProvider: 'LYRA',
				metadata: null,
				mode: this.mode(),
				serverUrl: this.baseUrl,
				_type: 'V4/WebService/Response',
			},
		};
	}

	private error(errorCode: string, errorMessage: string, detailedErrorCode: string | null = null, detailedErrorMessage: string | null = null): LyraFailure {
		return new LyraFailure({ errorCode, errorMessage, detailedErrorCode, detailedErrorMessage, _type: 'V4/WebService/WebServiceError' });
	}

	private serve(name: string, r: RecordedRequest, handler: (body: Entity) => Entity | LyraFailure): Reply {
		const auth = basicAuth(r);
		if (!auth || auth.user !== this.shopId || auth.password !== this.password) {
			return this.envelope(name, 'ERROR', this.error('INT_905', 'invalid login or password').answer);
		}
		if (!String(r.headers['content-type'] ?? '').includes('application/json') || typeof r.body !== 'object' || r.body === null) {
			return this.envelope(name, 'ERROR', this.invalid('body', 'the body must be a JSON object').answer);
		}
		const result = handler(r.body as Entity);
		if (result instanceof LyraFailure) return this.envelope(name, 'ERROR', result.answer);
		return this.envelope(name, 'SUCCESS', result);
	}

	private invalid(field: string, message: string): LyraFailure {
		return this.error('INT_902', 'web-service input data validation error', field, message);
	}

	private found(entity: Entity | undefined, field: string, code: string, message: string): Entity | LyraFailure {
		return entity ?? this.error(code, message, field, null);
	}

	private id(): string {
		this.sequence += 1;
		return createHash('md5').update(`lyra-${this.sequence}-${randomUUID()}`).digest('hex');
	}

	private createPaymentOrder(body: Entity): Entity | LyraFailure {
		if (!Number.isInteger(body.amount) || (body.amount as number) <= 0) return this.invalid('amount', 'amount must be a positive integer in the smallest currency unit');
		const currency = String(body.currency ?? '');
		if (!CURRENCIES.has(currency)) return this.invalid('currency', `unknown currency ${currency}`);
		const orderId = body.orderId === undefined ? undefined : String(body.orderId);
		if (orderId !== undefined && (orderId.length > 64 || !/^[A-Za-z0-9_.:-]+$/.test(orderId))) return this.invalid('orderId', 'orderId: at most 64 characters of letters, digits, - _ . :');
		const channel = (body.channelOptions ?? { channelType: 'URL' }) as Entity;
		const type = String(channel.channelType ?? '');
		if (!['MAIL', 'SMS', 'URL', 'WHATSAPP'].includes(type)) return this.invalid('channelOptions.channelType', `unknown channelType ${type}`);
		if (type === 'WHATSAPP') {
			const phone = String(((channel.whatsAppOptions ?? {}) as Entity).phoneNumber ?? '');
			if (!/^\+\d{8,15}$/.test(phone)) return this.invalid('channelOptions.whatsAppOptions.phoneNumber', 'phoneNumber must be in international format (+33...)');
		}
		let expirationDate: string;
		if (body.expirationDate !== undefined) {
			const at = Date.parse(String(body.expirationDate));
			if (!Number.isFinite(at) || at <= Date.now() || at > Date.now() + 90 * 86400 * 1000) {
				return this.invalid('expirationDate', 'expirationDate must be an ISO 8601 date in the future, at most 90 days ahead');
			}
			expirationDate = new Date(at).toISOString().replace(/\.\d{3}Z$/, '+00:00');
		} else {
			expirationDate = new Date(Date.now() + 7 * 86400 * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
		}
		const paymentOrderId = this.id();
		const order: Entity = {
			_type: 'V4/PaymentOrder',
			paymentOrderId,
			paymentURL: `https://secure.lyra.com/t/${paymentOrderId.slice(0, 8)}`,
			paymentOrderStatus: 'RUNNING',
			creationDate: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
			updateDate: null,
			amount: body.amount,
			currency,
			locale: body.locale ?? 'en_GB',
			expirationDate,
			orderId: orderId ?? null,
			description: body.description ?? null,
			channelDetails: {
				channelType: type,
				...(type === 'WHATSAPP' ? { whatsAppDetails: { phoneNumber: ((channel.whatsAppOptions ?? {}) as Entity).phoneNumber } } : {}),
			},
			customer: body.customer ?? null,
			metadata: body.metadata ?? null,
			transactionDetails: [],
		};
		this.paymentOrders.set(paymentOrderId, order);
		return order;
	}

	/** The customer pays a payment order (test and sandbox helper): a captured DEBIT transaction appears. */
	payOrder(paymentOrderId: string, options: { status?: 'PAID' | 'UNPAID'; captured?: boolean } = {}): Entity {
		const order = this.paymentOrders.get(paymentOrderId);
		if (!order) throw new Error(`no Lyra payment order ${paymentOrderId}`);
		const paid = (options.status ?? 'PAID') === 'PAID';
		const transaction = this.addTransaction({ amount: order.amount as number, currency: order.currency as string, orderId: order.orderId as string, paid, captured: options.captured });
		(order.transactionDetails as Entity[]).push({ uuid: transaction.uuid, status: transaction.status, amount: transaction.amount });
		if (paid) order.paymentOrderStatus = 'PAID';
		return transaction;
	}

	/** The payment order's expiration date passes (test and sandbox helper). */
	expireOrder(paymentOrderId: string): void {
		const order = this.paymentOrders.get(paymentOrderId);
		if (!order) throw new Error(`no Lyra payment order ${paymentOrderId}`);
		order.paymentOrderStatus = 'EXPIRED';
	}

	/** A payment; `captured: false` = accepted but not captured yet (Lyra captures at the end of the day). */
	addTransaction(options: { amount: number; currency: string; orderId: string; paid?: boolean; captured?: boolean }): Entity {
		const paid = options.paid !== false;
		const transaction: Entity = {
			_type: 'V4/Transaction',
			uuid: this.id(),
			shopId: this.shopId,
			amount: options.amount,
			currency: options.currency,
			paymentMethodType: 'CARD',
			status: paid ? 'PAID' : 'UNPAID',
			detailedStatus: paid ? (options.captured === false ? 'AUTHORISED' : 'CAPTURED') : 'REFUSED',
			operationType: 'DEBIT',
			creationDate: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
			orderDetails: { orderId: options.orderId, orderTotalAmount: options.amount, orderCurrency: options.currency, mode: this.mode() },
			transactionDetails: { parentTransactionUuid: null, cardDetails: { pan: '497010XXXXXX0055', effectiveBrand: 'CB', expiryMonth: 11, expiryYear: 2030 } },
		};
		this.transactions.set(transaction.uuid as string, transaction);
		return transaction;
	}

	private getOrder(body: Entity): Entity | LyraFailure {
		const orderId = String(body.orderId ?? '');
		const transactions = [...this.transactions.values()].filter((transaction) => (transaction.orderDetails as Entity).orderId === orderId);
		if (!transactions.length) return this.error('PSP_010', 'transaction not found', 'orderId', null);
		return { _type: 'V4/OrderTransactions', orderId, transactions };
	}

	refundedOf(uuid: string): number {
		return [...this.transactions.values()]
			.filter((transaction) => transaction.operationType === 'CREDIT' && (transaction.transactionDetails as Entity).parentTransactionUuid === uuid && transaction.status !== 'UNPAID')
			.reduce((sum, transaction) => sum + (transaction.amount as number), 0);
	}

	private cancelOrRefund(body: Entity): Entity | LyraFailure {
		const payment = this.transactions.get(String(body.uuid ?? ''));
		if (!payment) return this.error('PSP_010', 'transaction not found', 'uuid', null);
		if (!['AUTO', 'REFUND_ONLY', 'CANCELLATION_ONLY'].includes(String(body.resolutionMode ?? 'AUTO'))) return this.invalid('resolutionMode', 'unknown resolutionMode');
		if (!Number.isInteger(body.amount) || (body.amount as number) <= 0) return this.invalid('amount', 'amount must be a positive integer in the smallest currency unit');
		if (body.currency !== payment.currency) return this.invalid('currency', `currency must be the transaction's (${String(payment.currency)})`);
		const mode = String(body.resolutionMode ?? 'AUTO');
		if (payment.operationType === 'DEBIT' && payment.detailedStatus === 'AUTHORISED') {
			// Not captured: only a cancellation (full) or an amount reduction (partial) is possible.
			if (mode === 'REFUND_ONLY') return this.error('PSP_108', 'transaction not captured yet: it cannot be refunded', 'resolutionMode', null);
			if ((body.amount as number) > (payment.amount as number)) return this.invalid('amount', 'amount is greater than the transaction amount');
			if ((body.amount as number) === payment.amount) Object.assign(payment, { status: 'UNPAID', detailedStatus: 'CANCELLED' });
			else payment.amount = (payment.amount as number) - (body.amount as number);
			return payment;
		}
		if (mode === 'CANCELLATION_ONLY') return this.error('PSP_108', 'transaction already captured: it cannot be cancelled', 'resolutionMode', null);
		if (payment.operationType !== 'DEBIT' || payment.detailedStatus !== 'CAPTURED') return this.error('PSP_108', 'transaction cannot be refunded in its current state', 'uuid', null);
		const left = (payment.amount as number) - this.refundedOf(payment.uuid as string);
		if (left <= 0) return this.error('PSP_108', 'transaction already fully refunded', 'uuid', null);
		if ((body.amount as number) > left) return this.invalid('amount', `amount ${String(body.amount)} is greater than the refundable amount ${left}`);
		const refund: Entity = {
			_type: 'V4/Transaction',
			uuid: this.id(),
			shopId: this.shopId,
			amount: body.amount,
			currency: payment.currency,
			paymentMethodType: 'CARD',
			status: 'RUNNING',
			detailedStatus: 'AUTHORISED',
			operationType: 'CREDIT',
			creationDate: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
			orderDetails: { ...(payment.orderDetails as Entity) },
			transactionDetails: { parentTransactionUuid: payment.uuid, ...(body.comment !== undefined ? { comment: String(body.comment) } : {}) },
		};
		this.transactions.set(refund.uuid as string, refund);
		return refund;
	}

	/** The bank captures the pending refunds (they become PAID / CAPTURED). */
	settleRefunds(): void {
		for (const transaction of this.transactions.values()) {
			if (transaction.operationType === 'CREDIT' && transaction.status === 'RUNNING') Object.assign(transaction, { status: 'PAID', detailedStatus: 'CAPTURED' });
		}
	}

	/** The IPN Lyra posts for a transaction: form fields with kr-answer signed by the password. */
	ipn(uuid: string): Record<string, string> {
		const transaction = this.transactions.get(uuid);
		if (!transaction) throw new Error(`no Lyra transaction ${uuid}`);
		const details = transaction.orderDetails as Entity;
		const answer = JSON.stringify({
			shopId: this.shopId,
			orderCycle: 'CLOSED',
			orderStatus: transaction.status,
			serverDate: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
			orderDetails: details,
			customer: {},
			transactions: [transaction],
			_type: 'V4/Payment',
		});
		return {
			'kr-hash': createHmac('sha256', this.password).update(answer).digest('hex'),
			'kr-hash-algorithm': 'sha256_hmac',
			'kr-hash-key': 'password',
			'kr-answer-type': 'V4/Payment',
			'kr-answer': answer,
		};
	}
}
