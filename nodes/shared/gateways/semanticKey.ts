/**
 * Semantic keys: gateways tell one fact through several event types (Stripe: refund.created, refund.updated and
 * charge.refunded for one refund; checkout.session.completed and payment_intent.succeeded for one payment;
 * Razorpay: payment_link.paid and payment.captured). Transport dedupe (the event id) cannot see that they are the
 * same; this key can, so the trigger emits one refund.processed per refund and one success per payment.
 */
import type { GatewayEvent } from './types';

const PAYMENT_SUCCESS = new Set(['payment.succeeded', 'link.paid', 'link.partially_paid']);

export function semanticKeyOf(event: Pick<GatewayEvent, 'gateway' | 'event' | 'paymentId' | 'refundId'>): string | undefined {
	if (event.event === 'refund.processed' && event.refundId) return `refund:${event.gateway}:${event.refundId}`;
	if (event.event === 'refund.failed' && event.refundId) return `refund.failed:${event.gateway}:${event.refundId}`;
	if (PAYMENT_SUCCESS.has(event.event) && event.paymentId) return `payment:${event.gateway}:${event.paymentId}`;
	return undefined;
}

/** The event with its semantic key, when it has one (see GatewayEvent.semanticKey). */
export function withSemanticKey(event: GatewayEvent): GatewayEvent {
	const semanticKey = semanticKeyOf(event);
	return semanticKey ? { ...event, semanticKey } : event;
}
