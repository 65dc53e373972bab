/**
 * Razorpay webhooks: X-Razorpay-Signature = hex HMAC-SHA256(raw body, webhook secret). Duplicates are recognised
 * from the signed body only (event, entity id, created_at; and the semantic key), never from a header.
 */
import type { IDataObject } from 'n8n-workflow';

import { moneyView } from '../../money';
import { hmacSha256Hex, safeEqualHex } from '../../signatures';
import { withSemanticKey } from '../semanticKey';
import { nonEmpty } from '../types';
import type { GatewayEvent, GatewayEventType, VerifyResult, WebhookRequest } from '../types';
import { isoFromUnixSeconds } from '../../time';

export interface RazorpayWebhookSecrets {
	webhookSecret: string;
}

export const RAZORPAY_EVENTS: Record<string, GatewayEventType> = {
	'payment_link.paid': 'link.paid',
	'payment_link.partially_paid': 'link.partially_paid',
	'payment_link.expired': 'link.expired',
	'payment_link.cancelled': 'link.cancelled',
	'payment.captured': 'payment.succeeded',
	'payment.failed': 'payment.failed',
	'refund.processed': 'refund.processed',
	'refund.failed': 'refund.failed',
};

const header = (request: WebhookRequest, name: string): string | undefined => {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
};

export function verify(request: WebhookRequest, secrets: RazorpayWebhookSecrets): VerifyResult {
	const signature = header(request, 'x-razorpay-signature');
	if (!signature) return { ok: false, status: 401, reason: 'missing X-Razorpay-Signature' };
	if (!secrets.webhookSecret) return { ok: false, status: 401, reason: 'no webhook secret in the credential' };
	if (!safeEqualHex(hmacSha256Hex(secrets.webhookSecret, request.rawBody), signature)) {
		return { ok: false, status: 401, reason: 'signature mismatch' };
	}
	const body = request.body as IDataObject;
	if (!body || typeof body.event !== 'string' || typeof body.payload !== 'object') {
		return { ok: false, status: 400, reason: 'not a Razorpay event' };
	}
	return { ok: true };
}

const entity = (payload: IDataObject, name: string): IDataObject | undefined =>
	((payload[name] as IDataObject | undefined)?.entity as IDataObject | undefined) ?? undefined;

export function toEvents(request: WebhookRequest): GatewayEvent[] {
	const body = request.body;
	const type = RAZORPAY_EVENTS[String(body.event)];
	if (!type) return [];
	const payload = (body.payload ?? {}) as IDataObject;
	const link = entity(payload, 'payment_link');
	const payment = entity(payload, 'payment');
	const refund = entity(payload, 'refund');
	const main = type.startsWith('refund') ? refund : (link ?? payment);
	const currency = String(main?.currency ?? 'INR');
	const minor = type === 'link.partially_paid' ? link?.amount_paid : main?.amount;
	const notes = (payment?.notes ?? {}) as IDataObject;
	const customer = (link?.customer ?? {}) as IDataObject;
	// Not the x-razorpay-event-id header: the signature does not cover it, so a replay could change it at will.
	const eventId = `${String(body.event)}:${String(main?.id)}:${String(body.created_at)}`;
	return [
		withSemanticKey({
			gateway: 'razorpay',
			event: type,
			eventId,
			reference: (link?.reference_id as string | undefined) ?? (notes.reference_id as string | undefined),
			paymentId: (payment?.id as string | undefined) ?? (refund?.payment_id as string | undefined),
			linkId: link?.id as string | undefined,
			refundId: refund?.id as string | undefined,
			amount: typeof minor === 'number' ? moneyView(minor, currency) : undefined,
			customer: {
				name: customer.name as string | undefined,
				email: (customer.email ?? payment?.email) as string | undefined,
				phone: (customer.contact ?? payment?.contact) as string | undefined,
			},
			notes: nonEmpty(link?.notes ?? payment?.notes ?? refund?.notes),
			occurredAt: isoFromUnixSeconds(Number(body.created_at ?? 0)),
			raw: body,
		}),
	];
}
