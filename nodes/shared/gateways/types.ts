/**
 * One interface for every payment gateway, so the Payment Gateway node and trigger never branch on the
 * gateway: each gateway is one folder (gateways/<id>/) with an adapter (API calls) and a webhook module
 * (verification + normalisation), both using money.ts, signatures.ts and transport/http.ts.
 *
 * Every amount is integer minor units; statuses are normalised so a workflow can switch gateways
 * without rewiring.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Money, MoneyView } from '../money';
import type { RequestContext } from '../transport/http';

export type GatewayId = 'razorpay' | 'payu' | 'stripe' | 'lyra';

export interface Customer {
	name?: string;
	email?: string;
	/** E.164 without spaces, e.g. +919876543210. */
	phone?: string;
}

export interface CreateLinkRequest {
	amount: Money;
	/** The merchant's order/invoice id (Razorpay reference_id, PayU invoiceNumber, Stripe client_reference_id, Lyra orderId). */
	reference: string;
	description?: string;
	customer?: Customer;
	/** Epoch seconds. */
	expiresAt?: number;
	notes?: Record<string, string>;
	callbackUrl?: string;
	/** Ask the gateway to deliver the link over WhatsApp itself (Lyra, PayU only). */
	deliverOverWhatsApp?: boolean;
	/** Stripe only: Checkout Session (default, single use, real expiry) or Payment Link. */
	stripeObject?: 'checkoutSession' | 'paymentLink';
}

export type LinkStatus = 'created' | 'paid' | 'partially_paid' | 'expired' | 'cancelled';
export type RefundStatus = 'pending' | 'processed' | 'failed';
export type PaymentStatus = 'pending' | 'authorized' | 'captured' | 'failed' | 'refunded' | 'partially_refunded';

export interface PaymentLink {
	gateway: GatewayId;
	linkId: string;
	url: string;
	status: LinkStatus;
	reference: string;
	amount: MoneyView;
	amountPaid?: MoneyView;
	customer?: Customer;
	/** ISO 8601. */
	expiresAt?: string;
	/** True when the gateway itself sent the link over WhatsApp. */
	deliveredByGateway?: boolean;
	/** Payment ids seen on the link (for refunds). */
	paymentIds?: string[];
	/** Create only: true when the link existed before this call (same reference sent again) and was returned, not made. */
	replayed?: boolean;
	raw: IDataObject;
}

export interface RefundRequest {
	paymentId: string;
	/** Omitted = full refund of what remains. */
	amount?: Money;
	/** Needed when amount is omitted and the gateway cannot infer it. */
	currency?: string;
	reason?: string;
	notes?: Record<string, string>;
	/** Derived from payment + amount + optional user key (see idempotency.ts); the same key never refunds twice. */
	idempotencyKey: string;
}

export interface Refund {
	gateway: GatewayId;
	refundId: string;
	paymentId: string;
	status: RefundStatus;
	amount: MoneyView;
	/** True when a refund with the same key existed before this call and was returned instead of creating one. */
	replayed?: boolean;
	raw: IDataObject;
}

export interface Payment {
	gateway: GatewayId;
	paymentId: string;
	status: PaymentStatus;
	amount: MoneyView;
	amountRefunded?: MoneyView;
	reference?: string;
	method?: string;
	customer?: Customer;
	raw: IDataObject;
}

export interface GatewayAdapter {
	id: GatewayId;
	displayName: string;
	credentialType: string;
	capabilities: {
		cancelLink: boolean;
		nativeWhatsApp: boolean;
		refundIdempotency: 'header' | 'token' | 'lookup';
	};
	createLink(ctx: RequestContext, request: CreateLinkRequest): Promise<PaymentLink>;
	getLink(ctx: RequestContext, linkId: string): Promise<PaymentLink>;
	cancelLink(ctx: RequestContext, linkId: string): Promise<PaymentLink>;
	refund(ctx: RequestContext, request: RefundRequest): Promise<Refund>;
	getRefund(ctx: RequestContext, refundId: string, paymentId?: string): Promise<Refund>;
	getPayment(ctx: RequestContext, paymentId: string): Promise<Payment>;
}

export type GatewayEventType =
	| 'payment.succeeded'
	| 'payment.failed'
	| 'link.paid'
	| 'link.partially_paid'
	| 'link.expired'
	| 'link.cancelled'
	| 'refund.processed'
	| 'refund.failed';

/** A notes object when it has keys, otherwise undefined (gateways send `[]`, `{}` or nothing when there are none). */
export function nonEmpty(value: unknown): IDataObject | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	return Object.keys(value).length > 0 ? (value as IDataObject) : undefined;
}

export interface GatewayEvent {
	gateway: GatewayId;
	event: GatewayEventType;
	/** Unique per delivery of the same fact, used to drop duplicates. */
	eventId: string;
	/**
	 * The same for every event about one fact, whatever event type carried it: `refund:<gateway>:<refundId>` for a
	 * processed refund (`refund.failed:<gateway>:<refundId>` for a failed one), `payment:<gateway>:<paymentId>` for a
	 * payment's success (payment.succeeded, link.paid, link.partially_paid). Absent for other events (failures,
	 * expiries, cancellations): each delivery of those is its own fact. Set by withSemanticKey (semanticKey.ts).
	 */
	semanticKey?: string;
	reference?: string;
	paymentId?: string;
	linkId?: string;
	refundId?: string;
	amount?: MoneyView;
	customer?: Customer;
	/**
	 * The Notes given when the link was created, as the gateway hands them back (Razorpay notes, Stripe metadata,
	 * PayU udf1-udf5, Lyra metadata): where a workflow keeps its own ids, e.g. the customer's WhatsApp number.
	 */
	notes?: IDataObject;
	/** ISO 8601. */
	occurredAt: string;
	/** True when the gateway's API confirmed the notification (PayU verify_payment) before it was emitted. */
	confirmed?: boolean;
	raw: IDataObject;
}

/** What a trigger hands a webhook module: the request exactly as received. */
export interface WebhookRequest {
	rawBody: Buffer;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed body (JSON or form fields). */
	body: IDataObject;
	query: IDataObject;
}

export type VerifyResult = { ok: true } | { ok: false; status: 400 | 401; reason: string };
