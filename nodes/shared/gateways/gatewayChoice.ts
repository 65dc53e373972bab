/**
 * How a node picks its gateway: the Gateway dropdown and the one credential it shows. The Payment Gateway node
 * and the Payment Gateway Trigger offer the same choice, so it is described once here.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { GatewayId } from './types';

/** The credential type of each gateway (prefixed waCommerce*: never a clash with n8n's own, e.g. `stripeApi`). */
export const GATEWAY_CREDENTIAL: Record<GatewayId, string> = {
	lyra: 'waCommerceLyraApi',
	payu: 'waCommercePayUApi',
	razorpay: 'waCommerceRazorpayApi',
	stripe: 'waCommerceStripeApi',
};

/** Exactly one credential is shown at a time: the chosen gateway's. */
export const gatewayCredentials: INodeCredentialDescription[] = (Object.keys(GATEWAY_CREDENTIAL) as GatewayId[]).map((gateway) => ({
	name: GATEWAY_CREDENTIAL[gateway],
	required: true,
	displayOptions: { show: { gateway: [gateway] } },
}));

export const gatewayParameter: INodeProperties = {
	displayName: 'Gateway',
	name: 'gateway',
	type: 'options',
	options: [
		{ name: 'Lyra / PayZen', value: 'lyra' },
		{ name: 'PayU India', value: 'payu' },
		{ name: 'Razorpay', value: 'razorpay' },
		{ name: 'Stripe', value: 'stripe' },
	],
	default: 'razorpay',
};
