/**
 * A loopback PayU India for tests, the sandbox and benchmarks: the OAuth token service, OneAPI payment links
 * and the signed postservice. It checks what PayU checks: client credentials in a form body with the payment
 * link scopes, a Bearer token it issued (and that has not expired) plus the merchantId header on OneAPI,
 * decimal rupee strings (^\d+(\.\d{1,2})?$), unique invoice numbers, the postservice hash
 * sha512(key|command|var1|salt), refund tokens (106 on a reuse), over-refunds and the 5-minute same-amount
 * rule (214). It answers in PayU's shapes: OneAPI `{status: 0 | -1, message, result, errorCode}` and
 * postservice `{status: 1 | 0, msg, error_code, ...}`, both with HTTP 200 for business errors.
 *
 * Amounts are kept in integer paise inside; the counterpart parses rupee strings itself (not with money.ts)
 * so a conversion bug in the package cannot hide behind the same bug here.
 */
import { createHash, randomUUID } from 'crypto';

import { bearerToken, Counterpart } from './server';
import type { RecordedRequest, Reply } from './server';

type Entity = Record<string, unknown>;

export const RUPEES = /^\d+(\.\d{1,2})?$/;

/** "1499.9" -> 149990; undefined when PayU would refuse the text. */
export function rupeesToPaise(value: unknown): number | undefined {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !RUPEES.test(text)) return undefined;
	const [whole, fraction = ''] = text.split('.');
	return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function paiseToRupees(paise: number): string {
	return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

const oneApi = (body: Entity): Reply => ({ status: 200, body });
const oneApiError = (message: string, errorCode: string | null = null, status = 200): Reply => ({
	status,
	body: { status: -1, message, result: null, errorCode, guid: null },
});
const post = (body: Entity): Reply => ({ status: 200, body });

export interface PayUTransaction extends Entity {
	mihpayid: string;
	txnid: string;
	/** Paise. */
	paise: number;
	status: 'success' | 'failure' | 'pending';
	invoiceNumber?: string;
}

export interface PayURefund extends Entity {
	request_id: string;
	mihpayid: string;
	token: string;
	paise: number;
	status: 'queued' | 'success' | 'failure';
	at: number;
}

export class PayUCounterpart extends Counterpart {
	merchantId = '8765432';
	merchantKey = 'gtKFFx';
	merchantSalt = 'eCwWELxiYgqO6kSQ';
	clientId = 'e7f1c9b5a3d24c0e8f6a';
	clientSecret = 'payu-oauth-client-secret-1f2e';
	/** PayU refuses partial refunds for some merchants (128). */
	partialRefundsAllowed = true;
	readonly links = new Map<string, Entity>();
	readonly transactions = new Map<string, PayUTransaction>();
	readonly refunds = new Map<string, PayURefund>();
	/** Tokens issued by the OAuth endpoint; `expireTokens()` makes them all stale (as after 2 hours). */
	readonly tokens = new Set<string>();
	private sequence = 0;

	constructor() {
		super('PayU');
		this.route('POST', '/oauth/token', (r) => this.token(r));
		this.route('POST', '/payment-links', this.guard((r) => this.createLink(r)));
		this.route('GET', '/payment-links/:invoice', this.guard((r) => this.getLink(r.params.invoice)));
		this.route('GET', '/payment-links/:invoice/txns', this.guard((r) => this.linkTransactions(r.params.invoice)));
		this.route('DELETE', '/payment-links/:invoice', this.guard((r) => this.deactivate(r.params.invoice)));
		this.route('POST', '/merchant/postservice.php', (r) => this.postService(r));
	}

	/** Credential data pointing the package's PayU credential at this counterpart. */
	credentials(overrides: Record<string, string> = {}): Record<string, string> {
		return {
			environment: 'custom',
			authUrl: this.baseUrl,
			apiUrl: this.baseUrl,
			postServiceUrl: `${this.baseUrl}/merchant/postservice.php?form=2`,
			merchantId: this.merchantId,
			merchantKey: this.merchantKey,
			merchantSaltSecret: this.merchantSalt,
			clientId: this.clientId,
			clientSecret: this.clientSecret,
			...overrides,
		};
	}

	override reset(): void {
		super.reset();
		this.links.clear();
		this.transactions.clear();
		this.refunds.clear();
		this.tokens.clear();
		this.partialRefundsAllowed = true;
	}

	/** Every issued token stops working, as PayU's do after expires_in seconds. */
	expireTokens(): void {
		this.tokens.clear();
	}

	hash(command: string, var1: string): string {
		return createHash('sha512').update(`${this.merchantKey}|${command}|${var1}|${this.merchantSalt}`).digest('hex');
	}

	private next(): number {
		this.sequence += 1;
		return this.sequence;
	}

	private token(r: RecordedRequest): Reply {
		if (!String(r.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
			return { status: 400, body: { error: 'invalid_request', error_description: 'The request must be application/x-www-form-urlencoded' } };
		}
		const form = (r.body ?? {}) as Record<string, string>;
		if (form.grant_type !== 'client_credentials') {
			return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
		}
		if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
			return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' } };
		}
		const scopes = String(form.scope ?? '').split(' ').filter(Boolean);
		const allowed = ['create_payment_links', 'update_payment_links', 'read_payment_links'];
		if (!scopes.length || scopes.some((scope) => !allowed.includes(scope))) {
			return { status: 400, body: { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.' } };
		}
		const accessToken = createHash('sha256').update(`${randomUUID()}`).digest('hex');
		this.tokens.add(accessToken);
		return {
			status: 200,
			body: { access_token: accessToken, token_type: 'bearer', expires_in: 7199, scope: scopes.join(' '), created_at: Math.floor(Date.now() / 1000) },
		};
	}

	private guard(handler: (r: RecordedRequest) => Reply): (r: RecordedRequest) => Reply {
		return (r) => {
			const token = bearerToken(r);
			if (!token || !this.tokens.has(token)) return oneApiError('Unauthorized: access token is invalid or expired', '401', 401);
			// PayU's docs name the header merchantId or mid (UNVERIFIED which): one must be there, none may differ.
			const mids = [r.headers.merchantid, r.headers.mid].filter((value) => value !== undefined);
			if (!mids.length || mids.some((value) => value !== this.merchantId)) return oneApiError('merchantId header is missing or does not match the token', '403', 403);
			if (r.method === 'POST' && !String(r.headers['content-type'] ?? '').includes('application/json')) {
				return oneApiError('Content-Type must be application/json', '415', 415);
			}
			return handler(r);
		};
	}

	private createLink(r: RecordedRequest): Reply {
		const body = (r.body ?? {}) as Entity;
		if (typeof body.subAmount !== 'string' && typeof body.subAmount !== 'number') return oneApiError('subAmount is mandatory', 'PL_001');
		const paise = rupeesToPaise(body.subAmount);
		if (paise === undefined || paise < 100) return oneApiError('Invalid subAmount: it must be a decimal amount in rupees, at least 1.00, with at most 2 decimals', 'PL_002');
		if (body.currency !== undefined && body.currency !== 'INR') return oneApiError('Only INR is supported', 'PL_003');
		if (body.source !== 'API') return oneApiError('source must be API', 'PL_004');
		const description = String(body.description ?? '');
		if (!description || description.length > 250) return oneApiError('description is mandatory and at most 250 characters', 'PL_005');
		const invoice = String(body.invoiceNumber ?? '');
		if (!invoice) return oneApiError('invoiceNumber is mandatory', 'PL_006');
		if (this.links.has(invoice)) return oneApiError('Invoice Number already exists', 'PL_007');
		const customer = (body.customer ?? {}) as Entity;
		if (customer.email !== undefined && String(customer.email).length > 50) return oneApiError('customer email is at most 50 characters', 'PL_008');
		if (customer.name !== undefined && String(customer.name).length > 60) return oneApiError('customer name is at most 60 characters', 'PL_009');
		const udf = (body.udf ?? {}) as Entity;
		for (const [key, value] of Object.entries(udf)) {
			if (!/^udf[1-5]$/.test(key)) return oneApiError(`Unknown udf field ${key}`, 'PL_010');
			if (String(value).length > 255) return oneApiError(`${key} is at most 255 characters`, 'PL_010');
		}
		let expiryDate = '';
		if (body.paymentDeadline !== undefined) {
			const deadline = String(body.paymentDeadline);
			if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(deadline)) return oneApiError('paymentDeadline must be yyyy-MM-dd HH:mm:ss', 'PL_011');
			if (Date.parse(`${deadline.replace(' ', 'T')}+05:30`) <= Date.now()) return oneApiError('paymentDeadline must be in the future', 'PL_011');
			expiryDate = deadline;
		}
		if (body.viaWhatsapp === true) {
			const recipients = body.whatsappRecipients;
			if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > 4) {
				return oneApiError('whatsappRecipients must list 1 to 4 recipients when viaWhatsapp is true', 'PL_012');
			}
			if (recipients.some((recipient) => !/^\+?\d{10,15}$/.test(String((recipient as Entity)?.phone ?? '')))) {
				return oneApiError('Invalid phone in whatsappRecipients', 'PL_012');
			}
		}
		const result: Entity = {
			invoiceNumber: invoice,
			description,
			subAmount: paise / 100,
			totalAmount: paise / 100,
			currency: 'INR',
			isPartialPaymentAllowed: Boolean(body.isPartialPaymentAllowed),
			customer: Object.keys(customer).length ? customer : null,
			udf: Object.keys(udf).length ? udf : null,
			paymentLink: `https://u.payu.in/PAYUMN/${createHash('sha1').update(invoice).digest('hex').slice(0, 10)}`,
			active: true,
			status: 'active',
			expiryDate: expiryDate || null,
			viaWhatsapp: body.viaWhatsapp === true,
			whatsappRecipients: body.viaWhatsapp === true ? body.whatsappRecipients : null,
			createdAt: new Date().toISOString(),
		};
		this.links.set(invoice, result);
		return oneApi({ status: 0, message: 'paymentLink generated', result, errorCode: null, guid: null });
	}

	private getLink(invoice: string): Reply {
		const link = this.links.get(invoice);
		if (!link) return oneApiError('Invalid invoice number', 'PL_404');
		return oneApi({ status: 0, message: 'payment link fetched', result: link, errorCode: null });
	}

	private linkTransactions(invoice: string): Reply {
		if (!this.links.has(invoice)) return oneApiError('Invalid invoice number', 'PL_404');
		const result = [...this.transactions.values()]
			.filter((txn) => txn.invoiceNumber === invoice)
			.map((txn) => ({ mihpayid: txn.mihpayid, txnid: txn.txnid, amount: paiseToRupees(txn.paise), status: txn.status, mode: txn.mode, addedon: txn.addedon }));
		return oneApi({ status: 0, message: 'transactions fetched', result, errorCode: null });
	}

	private deactivate(invoice: string): Reply {
		const link = this.links.get(invoice);
		if (!link) return oneApiError('Invalid invoice number', 'PL_404');
		if (link.status === 'paid') return oneApiError('A paid payment link cannot be deactivated', 'PL_013');
		link.active = false;
		link.status = 'inactive';
		return oneApi({ status: 0, message: 'payment link deactivated', result: null, errorCode: null });
	}

	/** The customer pays the link (test and sandbox helper): a successful transaction appears on it. */
	payLink(invoice: string, options: { paise?: number; status?: 'success' | 'failure' } = {}): PayUTransaction {
		const link = this.links.get(invoice);
		if (!link) throw new Error(`no PayU link ${invoice}`);
		const total = rupeesToPaise(link.totalAmount)!;
		const txn = this.addTransaction({ paise: options.paise ?? total, status: options.status ?? 'success', invoiceNumber: invoice });
		const customer = (link.customer ?? {}) as Entity;
		Object.assign(txn, { firstname: customer.name ?? '', email: customer.email ?? '', phone: customer.phone ?? '', productinfo: link.description });
		const paid = [...this.transactions.values()].filter((t) => t.invoiceNumber === invoice && t.status === 'success').reduce((sum, t) => sum + t.paise, 0);
		if (paid >= total) link.status = 'paid';
		return txn;
	}

	/** The link's deadline passes (test and sandbox helper). */
	expireLink(invoice: string): void {
		const link = this.links.get(invoice);
		if (!link) throw new Error(`no PayU link ${invoice}`);
		Object.assign(link, { status: 'expired', active: false });
	}

	/** A payment made outside payment links (checkout), for postservice tests. */
	addTransaction(options: { paise: number; status?: 'success' | 'failure' | 'pending'; txnid?: string; invoiceNumber?: string }): PayUTransaction {
		const n = this.next();
		const txn: PayUTransaction = {
			mihpayid: String(403993715521937000 + n),
			txnid: options.txnid ?? `PLINK${String(n).padStart(8, '0')}`,
			paise: options.paise,
			status: options.status ?? 'success',
			invoiceNumber: options.invoiceNumber,
			mode: 'UPI',
			bankcode: 'UPI',
			addedon: '2026-11-22 18:30:00',
			productinfo: 'payment',
			firstname: '',
			email: '',
			phone: '',
		};
		this.transactions.set(txn.mihpayid, txn);
		return txn;
	}

	/** PayU processes the queued refunds (they become success). */
	settleRefunds(): void {
		for (const refund of this.refunds.values()) if (refund.status === 'queued') refund.status = 'success';
	}

	/** The transaction fields PayU returns in verify_payment / check_payment. */
	transactionDetails(txn: PayUTransaction): Entity {
		return {
			mihpayid: txn.mihpayid,
			request_id: '',
			bank_ref_num: `${txn.mihpayid.slice(-8)}`,
			amt: paiseToRupees(txn.paise),
			transaction_amount: paiseToRupees(txn.paise),
			txnid: txn.txnid,
			additional_charges: '0.00',
			productinfo: txn.productinfo,
			firstname: txn.firstname,
			email: txn.email,
			phone: txn.phone,
			bankcode: txn.bankcode,
			udf1: '',
			error_code: txn.status === 'success' ? 'E000' : 'E308',
			error_Message: txn.status === 'success' ? 'NO ERROR' : 'Transaction failed',
			addedon: txn.addedon,
			mode: txn.mode,
			status: txn.status,
			unmappedstatus: txn.status === 'success' ? 'captured' : txn.status === 'failure' ? 'failed' : 'pending',
			net_amount_debit: txn.status === 'success' ? paiseToRupees(txn.paise) : '0',
		};
	}

	/**
	 * The notification PayU posts to the merchant's webhook for a transaction: form fields signed with the
	 * reverse hash sha512(SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key).
	 */
	notification(txn: PayUTransaction, overrides: Record<string, string> = {}): Record<string, string> {
		const fields: Record<string, string> = {
			mihpayid: txn.mihpayid,
			mode: String(txn.mode),
			status: txn.status,
			unmappedstatus: txn.status === 'success' ? 'captured' : 'failed',
			key: this.merchantKey,
			txnid: txn.txnid,
			amount: paiseToRupees(txn.paise),
			addedon: String(txn.addedon),
			productinfo: String(txn.productinfo ?? ''),
			firstname: String(txn.firstname ?? ''),
			email: String(txn.email ?? ''),
			phone: String(txn.phone ?? ''),
			udf1: '', udf2: '', udf3: '', udf4: '', udf5: '',
			error: txn.status === 'success' ? 'E000' : 'E308',
			error_Message: txn.status === 'success' ? 'No Error' : 'Transaction failed',
			...overrides,
		};
		const f = (name: string) => fields[name] ?? '';
		const text = [this.merchantSalt, f('status'), '', '', '', '', '', f('udf5'), f('udf4'), f('udf3'), f('udf2'), f('udf1'), f('email'), f('firstname'), f('productinfo'), f('amount'), f('txnid'), f('key')].join('|');
		fields.hash = createHash('sha512').update(text).digest('hex');
		return fields;
	}

	private postService(r: RecordedRequest): Reply {
		if (r.query.form !== '2') return { status: 200, body: 'Invalid form type' };
		if (!String(r.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
			return post({ status: 0, msg: 'Parameter missing' });
		}
		const form = (r.body ?? {}) as Record<string, string>;
		if (!form.key || !form.command || form.var1 === undefined || !form.hash) return post({ status: 0, msg: 'Parameter missing' });
		if (form.key !== this.merchantKey) return post({ status: 0, msg: 'Invalid key' });
		if (form.hash !== this.hash(form.command, form.var1)) return post({ status: 0, msg: 'Invalid Hash.' });
		switch (form.command) {
			case 'verify_payment':
				return this.verifyPayment(form.var1);
			case 'check_payment':
				return this.checkPayment(form.var1);
			case 'cancel_refund_transaction':
				return this.refund(form);
			case 'check_action_status':
				return this.actionStatus(form.var1, form.var2);
			default:
				return post({ status: 0, msg: `Invalid command ${form.command}` });
		}
	}

	private verifyPayment(var1: string): Reply {
		const txnids = var1.split('|');
		const details: Entity = {};
		let found = 0;
		for (const txnid of txnids) {
			const txn = [...this.transactions.values()].find((t) => t.txnid === txnid);
			if (txn) found += 1;
			details[txnid] = txn ? this.transactionDetails(txn) : { mihpayid: 'Not Found', status: 'Not Found' };
		}
		return post({ status: found ? 1 : 0, msg: `${found} out of ${txnids.length} Transactions Fetched Successfully`, transaction_details: details });
	}

	private checkPayment(mihpayid: string): Reply {
		const txn = this.transactions.get(mihpayid);
		if (!txn) return post({ status: 0, msg: 'Transaction not found' });
		return post({ status: 1, msg: 'Transaction Fetched Successfully', transaction_details: this.transactionDetails(txn) });
	}

	refundedPaise(mihpayid: string): number {
		return [...this.refunds.values()].filter((refund) => refund.mihpayid === mihpayid && refund.status !== 'failure').reduce((sum, refund) => sum + refund.paise, 0);
	}

	private refund(form: Record<string, string>): Reply {
		const txn = this.transactions.get(form.var1);
		if (!txn) return post({ status: 0, msg: 'Invalid payuid / transaction not found', error_code: 116, mihpayid: form.var1 });
		const token = form.var2 ?? '';
		if (!/^[A-Za-z0-9]{1,23}$/.test(token)) return post({ status: 0, msg: 'Invalid token: alphanumeric, at most 23 characters', error_code: 105, mihpayid: txn.mihpayid });
		if ([...this.refunds.values()].some((refund) => refund.token === token)) {
			return post({ status: 0, msg: 'Token already exists', error_code: 106, mihpayid: txn.mihpayid });
		}
		const paise = rupeesToPaise(form.var3);
		if (paise === undefined || paise <= 0) return post({ status: 0, msg: 'Invalid amount', error_code: 105, mihpayid: txn.mihpayid });
		if (txn.status !== 'success') return post({ status: 0, msg: 'Transaction is not in a refundable state', error_code: 111, mihpayid: txn.mihpayid });
		const left = txn.paise - this.refundedPaise(txn.mihpayid);
		if (left <= 0) return post({ status: 0, msg: 'Transaction already fully refunded', error_code: 117, mihpayid: txn.mihpayid });
		if (paise > left) return post({ status: 0, msg: 'Refund amount is greater than the refundable amount', error_code: 117, mihpayid: txn.mihpayid });
		if (paise < left && !this.partialRefundsAllowed) return post({ status: 0, msg: 'Partial refund not allowed', error_code: 128, mihpayid: txn.mihpayid });
		const now = Date.now();
		if ([...this.refunds.values()].some((refund) => refund.mihpayid === txn.mihpayid && refund.paise === paise && now - refund.at < 5 * 60 * 1000)) {
			return post({ status: 0, msg: 'Refund of the same amount on the same transaction within 5 minutes', error_code: 214, mihpayid: txn.mihpayid });
		}
		const refund: PayURefund = { request_id: String(131278000 + this.next()), mihpayid: txn.mihpayid, token, paise, status: 'queued', at: now };
		this.refunds.set(refund.request_id, refund);
		return post({ status: 1, msg: 'Refund Request Queued', request_id: refund.request_id, bank_ref_num: null, mihpayid: txn.mihpayid, error_code: 102 });
	}

	private refundDetails(refund: PayURefund): Entity {
		return {
			mihpayid: refund.mihpayid,
			request_id: refund.request_id,
			bank_ref_num: null,
			amt: paiseToRupees(this.transactions.get(refund.mihpayid)?.paise ?? 0),
			amount: paiseToRupees(refund.paise),
			action: 'refund',
			token: refund.token,
			status: refund.status,
		};
	}

	/** check_action_status: by request id (var1), or every action on a payment with var2 = "payuid". */
	private actionStatus(var1: string, var2?: string): Reply {
		if (var2 === 'payuid') {
			const refunds = [...this.refunds.values()].filter((refund) => refund.mihpayid === var1);
			if (!refunds.length) return post({ status: 0, msg: 'No action status found' });
			return post({
				status: 1,
				msg: `${refunds.length} out of ${refunds.length} Transactions Fetched Successfully`,
				transaction_details: { [var1]: Object.fromEntries(refunds.map((refund) => [refund.request_id, this.refundDetails(refund)])) },
			});
		}
		const refund = this.refunds.get(var1);
		if (!refund) return post({ status: 0, msg: 'No action status found' });
		return post({
			status: 1,
			msg: '1 out of 1 Transactions Fetched Successfully',
			transaction_details: { [var1]: { [refund.mihpayid]: this.refundDetails(refund) } },
		});
	}
}
