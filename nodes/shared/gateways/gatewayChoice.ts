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

const GATEWAYS = Object.keys(GATEWAY_CREDENTIAL) as GatewayId[];

/**
 * Exactly one credential is shown at a time: the chosen gateway's. Written as "hide when another gateway is
 * chosen" on purpose: n8n's editor takes a parameter whose every option is named in the credentials'
 * `show` rules for the node's authentication field, hides it from the panel and sets it to match whichever
 * credential gets preselected. The Gateway would then be invisible and flip by itself (issue 19, item 1).
 * `hide` rules are not read that way, so Gateway stays a visible choice that only the merchant changes;
 * the runtime reads them exactly like `show` (n8n-workflow's displayParameter).
 */
export const gatewayCredentials: INodeCredentialDescription[] = GATEWAYS.map((gateway) => ({
	name: GATEWAY_CREDENTIAL[gateway],
	required: true,
	displayOptions: { hide: { gateway: GATEWAYS.filter((other) => other !== gateway) } },
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
	description: 'Where the money is collected; the credential below is the one of this gateway',
};
