/**
 * Fixed identities shared by the examples, `npm start` and the e2e suite: the webhook ids of the example
 * workflows' trigger nodes (so the sandbox knows each Payment Gateway Trigger's Production URL) and the ids
 * of the sandbox credentials the examples reference.
 */
import type { GatewayId } from './sandbox';

/**
 * webhookId of the example Payment Gateway Triggers, per gateway (examples/2-paylink-from-erp.json, and
 * examples/4-stripe-paylink.json). Stripe's trigger registers its own endpoint, but n8n does not register again
 * when it restarts on a reused user folder while the sandbox starts empty: its URL is then the fallback, signed
 * with the credential's signing secret (which the trigger accepts after the registered endpoint's).
 */
export const GATEWAY_TRIGGER_WEBHOOK_IDS: Partial<Record<GatewayId, string>> = {
	razorpay: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0a01',
	stripe: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0a04',
};

/** webhookId of the WhatsApp Commerce Trigger in examples/1-order-to-cash.json. */
export const META_TRIGGER_WEBHOOK_ID = '9f0d7c1e-6b2a-4c55-8e11-0a1b2c3d4e01';

/** n8n production webhook URL of a trigger node whose webhook path is `webhook`. */
export function productionWebhookUrl(n8nUrl: string, webhookId: string): string {
	return `${n8nUrl.replace(/\/$/, '')}/webhook/${webhookId}/webhook`;
}

export function exampleWebhookUrls(n8nUrl: string): Partial<Record<GatewayId, string>> {
	return Object.fromEntries(
		Object.entries(GATEWAY_TRIGGER_WEBHOOK_IDS).map(([gateway, id]) => [gateway, productionWebhookUrl(n8nUrl, id)]),
	);
}

/** Credential ids the example workflows reference (imported by `npm start` and the e2e suite). */
export const SANDBOX_CREDENTIAL_IDS: Record<string, { id: string; name: string }> = {
	waCommerceMetaApi: { id: 'sbxMetaCred000001', name: 'Sandbox Meta API' },
	waCommerceRazorpayApi: { id: 'sbxRazorpayCred01', name: 'Sandbox Razorpay API' },
	waCommerceStripeApi: { id: 'sbxStripeCred0001', name: 'Sandbox Stripe API' },
	waCommercePayUApi: { id: 'sbxPayUCred000001', name: 'Sandbox PayU API' },
	waCommerceLyraApi: { id: 'sbxLyraCred000001', name: 'Sandbox Lyra API' },
};

/**
 * The n8n Header Auth credential the ERP-facing Webhook nodes of examples 2, 3 and 4 require
 * (`Authorization: Bearer <token>`): a call without this header, or with another value, is answered 403 by n8n
 * and starts nothing. `npm start` and the e2e suite import it with a freshly generated token (printed by
 * `npm start`); a merchant sets their own in n8n.
 */
export const ERP_WEBHOOK_CREDENTIAL = { id: 'sbxErpWebhook001', name: 'ERP webhook token', type: 'httpHeaderAuth', header: 'Authorization', scheme: 'Bearer' };

/**
 * The seed-flow examples (5-9) with a WhatsApp Commerce Trigger use Manual registration: Meta keeps ONE callback
 * per app (example 1's trigger registers it). Each of them serves its own business number, and the sandbox
 * delivers that number's events to the trigger's Production URL, as a Meta app routing per number would.
 * Key: Meta phone number id (sandbox/shops.ts); value: the webhookId of the example's trigger.
 */
export const META_NUMBER_TRIGGER_WEBHOOK_IDS: Record<string, string> = {
	'106540352243005': '9f0d7c1e-6b2a-4c55-8e11-0a1b2c3d4e05', // examples/5-checkout.json
	'106540352243006': '9f0d7c1e-6b2a-4c55-8e11-0a1b2c3d4e06', // examples/6-in-chat-payment-monitoring.json
	'106540352243009': '9f0d7c1e-6b2a-4c55-8e11-0a1b2c3d4e09', // examples/8-cart-to-order-payu.json
};

export function exampleMetaNumberUrls(n8nUrl: string): Record<string, string> {
	return Object.fromEntries(Object.entries(META_NUMBER_TRIGGER_WEBHOOK_IDS).map(([phone, id]) => [phone, productionWebhookUrl(n8nUrl, id)]));
}

/** webhookId of example 7's Payment Gateway Triggers, one per Lyra shop (each with its own credential). */
export const LYRA_SHOP_TRIGGER_WEBHOOK_IDS = {
	paris: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0a07',
	lyon: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0a08',
};

/** The second Lyra shop's credential (examples/7-lyra-paylink-two-shops.json, shop "lyon"). */
export const LYRA_LYON_CREDENTIAL = { id: 'sbxLyraLyonCred01', name: 'Sandbox Lyra API (Lyon shop)', type: 'waCommerceLyraApi' };
