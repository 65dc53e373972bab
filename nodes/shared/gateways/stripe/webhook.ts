/**
 * Stripe webhooks: Stripe-Signature `t=<unix>,v1=<hex>[,v1=...]`, v1 = hex HMAC-SHA256(secret, `${t}.${raw body}`);
 * any v1 may match (secret rotation). Timestamps older than the tolerance are refused to stop replays; a
 * timestamp in the future is accepted, as stripe-node's Webhooks.constructEvent does (it refuses only
 * `now - t > tolerance`): `t` is signed, so it cannot be moved forward by a replayer, and a host clock behind
 * Stripe's must not refuse every delivery.
 *
 * charge.refunded carries the charge with its refunds (`refunds.data`, when the endpoint's API version includes
 * them): one refund event per refund, so it means the same as refund.created/updated (same semanticKey).
 */
import type { IDataObject } from 'n8n-workflow';

import { hmacSha256Hex, safeEqualHex } from '../../signatures';
import { withSemanticKey } from '../semanticKey';
import { nonEmpty } from '../types';
import type { GatewayEvent, GatewayEventType, VerifyResult, WebhookRequest } from '../types';
import { fromStripeAmount } from './amounts';
import { isoFromUnixSeconds } from '../../time';

export interface StripeWebhookSecrets {
	/** Endpoint secret(s) (whsec_...); the first registered one and the credential's fallback. */
	signingSecrets: string[];
}

export interface StripeVerifyOptions {
	toleranceSeconds?: number;
	/** Epoch seconds; defaults to the clock. */
	now?: number;
}

export function parseSignatureHeader(value: string): { t?: number; v1: string[] } {
	const out: { t?: number; v1: string[] } = { v1: [] };
	for (const part of value.split(',')) {
		const [key, ...rest] = part.trim().split('=');
		const text = rest.join('=');
		if (key === 't' && /^\d+$/.test(text)) out.t = Number(text);
		if (key === 'v1' && text) out.v1.push(text);
	}
	return out;
}

export function verify(request: WebhookRequest, secrets: StripeWebhookSecrets, options: StripeVerifyOptions = {}): VerifyResult {
	const raw = request.headers['stripe-signature'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (!value) return { ok: false, status: 401, reason: 'missing Stripe-Signature' };
	const { t, v1 } = parseSignatureHeader(value);
	if (t === undefined || v1.length === 0) return { ok: false, status: 401, reason: 'malformed Stripe-Signature' };
	const signed = Buffer.concat([Buffer.from(`${t}.`, 'utf8'), request.rawBody]);
	const matches = secrets.signingSecrets
		.filter(Boolean)
		.some((secret) => {
			const expected = hmacSha256Hex(secret, signed);
			return v1.map((candidate) => safeEqualHex(expected, candidate)).includes(true);
		});
	if (!matches) return { ok: false, status: 401, reason: 'signature mismatch' };
	const tolerance = options.toleranceSeconds ?? 300;
	const now = options.now ?? Math.floor(Date.now() / 1000);
	if (tolerance > 0 && now - t > tolerance) {
		return { ok: false, status: 401, reason: `timestamp outside the ${tolerance} s tolerance` };
	}
	const body = request.body as IDataObject;
	if (!body || body.object !== 'event' || typeof body.type !== 'string') {
		return { ok: false, status: 400, reason: 'not a Stripe event' };
	}
	return { ok: true };
}

/** A refund's status as an event: succeeded = processed; failed or canceled = failed; pending = nothing yet. */
function refundEventType(refund: IDataObject): GatewayEventType | undefined {
	if (refund.status === 'succeeded') return 'refund.processed';
	return refund.status === 'failed' || refund.status === 'canceled' ? 'refund.failed' : undefined;
}

function eventType(type: string, object: IDataObject): GatewayEventType | undefined {
	switch (type) {
		case 'checkout.session.completed':
			return object.payment_status === 'paid' ? 'link.paid' : undefined;
		case 'checkout.session.async_payment_succeeded':
			return 'link.paid';
		case 'checkout.session.async_payment_failed':
		case 'payment_intent.payment_failed':
			return 'payment.failed';
		case 'checkout.session.expired':
			return 'link.expired';
		case 'payment_intent.succeeded':
			return 'payment.succeeded';
		case 'refund.created':
		case 'refund.updated':
			return refundEventType(object);
		case 'refund.failed':
			return 'refund.failed';
		default:
			return undefined;
	}
}

function withoutKey(object: IDataObject, key: string): IDataObject {
	const rest = { ...object };
	delete rest[key];
	return rest;
}

export function toEvents(request: WebhookRequest): GatewayEvent[] {
	const body = request.body;
	const object = (((body.data ?? {}) as IDataObject).object ?? {}) as IDataObject;
	if (body.type === 'charge.refunded') return chargeRefundedEvents(body, object);
	const type = eventType(String(body.type), object);
	if (!type) return [];
	return [toEvent(body, type, object, String(body.id))];
}

/**
 * One event per refund listed on the charge. Without the list (API versions from 2022-11-15 leave it out unless
 * expanded) nothing is emitted: the charge's amount_refunded is a running total, not one refund's amount; the
 * refund.* events carry each refund.
 */
function chargeRefundedEvents(body: IDataObject, charge: IDataObject): GatewayEvent[] {
	const list = ((charge.refunds ?? {}) as IDataObject).data;
	if (!Array.isArray(list)) return [];
	const events: GatewayEvent[] = [];
	for (const refund of list as IDataObject[]) {
		const type = refundEventType(refund);
		if (!type || typeof refund.id !== 'string') continue;
		// The charge's metadata holds the reference and notes (a refund's own metadata is usually empty).
		const metadata = { ...((charge.metadata ?? {}) as IDataObject), ...((refund.metadata ?? {}) as IDataObject) };
		events.push(toEvent(body, type, { ...refund, payment_intent: refund.payment_intent ?? charge.payment_intent, currency: refund.currency ?? charge.currency, metadata }, `${String(body.id)}:${refund.id}`));
	}
	return events;
}

function toEvent(body: IDataObject, type: GatewayEventType, object: IDataObject, eventId: string): GatewayEvent {
	const id = String(object.id ?? '');
	const minor = object.amount_total ?? object.amount_received ?? object.amount;
	const details = (object.customer_details ?? {}) as IDataObject;
	const metadata = (object.metadata ?? {}) as IDataObject;
	return withSemanticKey({
		gateway: 'stripe',
		event: type,
		eventId,
		reference: (object.client_reference_id ?? metadata.reference) as string | undefined,
		paymentId: (id.startsWith('pi_') ? id : object.payment_intent) as string | undefined,
		linkId: id.startsWith('cs_') ? id : (object.payment_link as string | undefined) ?? undefined,
		refundId: id.startsWith('re_') || object.object === 'refund' ? id : undefined,
		// Stripe's units, not always ISO minor units (ISK is 100 x krónur): amounts.ts converts both ways.
		amount: typeof minor === 'number' && object.currency ? fromStripeAmount(minor, String(object.currency)) : undefined,
		customer: { name: details.name as string | undefined, email: details.email as string | undefined, phone: details.phone as string | undefined },
		// metadata.reference is the one key the adapter adds itself (it is `reference` above): the rest are the Notes.
		notes: nonEmpty(withoutKey(metadata, 'reference')),
		occurredAt: isoFromUnixSeconds(Number(body.created ?? 0)),
		raw: body,
	});
}
