/**
 * Idempotency keys. Refunds: the same payment, amount and (optional) user key always give the same key, so a
 * re-run workflow or a retried request can never refund twice. Razorpay gets it as X-Refund-Idempotency (and in
 * the refund's notes, to find it again), Stripe as Idempotency-Key, PayU as the refund token (var2, answered 106
 * "Token already exists" on a repeat); Lyra has no idempotency, its adapter looks existing refunds up instead.
 * Other POSTs to a gateway with keys (Stripe): derived from the reference and amount (requestIdempotencyKey).
 */
import { sha256Hex } from '../signatures';

export interface RefundKeyInput {
	gateway: string;
	paymentId: string;
	/** Minor units, or undefined for "refund everything left". */
	amountMinor?: number;
	/** A user-chosen key (e.g. the ERP's credit note number) to allow two equal partial refunds on purpose. */
	userKey?: string;
}

/** 32 characters of [a-z0-9_-]: fits Razorpay (>= 10 of [A-Za-z0-9_-]), Stripe (<= 255) and PayU's token (<= 23 used). */
export function refundIdempotencyKey(input: RefundKeyInput): string {
	const material = [
		'wa-commerce-refund-v1',
		input.gateway,
		input.paymentId,
		input.amountMinor === undefined ? 'full' : String(input.amountMinor),
		(input.userKey ?? '').trim(),
	].join('|');
	return `rf_${sha256Hex(material).slice(0, 29)}`;
}

/** PayU's refund token must be alphanumeric and short: the hex part of the key, 23 characters. */
export function payuRefundToken(key: string): string {
	return key.replace(/[^a-z0-9]/gi, '').slice(2, 25);
}

/**
 * The Idempotency-Key of any other POST (Stripe accepts one on every POST, keeps it >= 24 h): the same operation
 * on the same reference (and amount, where it matters) always gives the same key, so a retry after a 5xx that
 * followed the creation, or the ERP sending the same invoice again, gets the first object back.
 */
export function requestIdempotencyKey(gateway: string, operation: string, ...material: Array<string | number>): string {
	return `wa_${sha256Hex(['wa-commerce-request-v1', gateway, operation, ...material.map(String)].join('|')).slice(0, 40)}`;
}
