import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { GATEWAY_CREDENTIAL, gatewayCredentials, gatewayParameter } from '../shared/gateways/gatewayChoice';
import * as lyra from '../shared/gateways/lyra/webhook';
import { confirmEvent } from '../shared/gateways/payu/confirm';
import * as payu from '../shared/gateways/payu/webhook';
import * as razorpay from '../shared/gateways/razorpay/webhook';
import * as stripe from '../shared/gateways/stripe/webhook';
import type { GatewayEvent, GatewayId, VerifyResult, WebhookRequest } from '../shared/gateways/types';
import { claimInProcess, keepFirstRuns, wholeKeyScheme } from '../shared/effects/deliveries';
import { createStripeEndpoint, deleteStripeEndpoint, stripeEndpointExists } from './stripeEndpoint';

function reply(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).send(text).end();
	return { noWebhookResponse: true };
}

/** Checks the delivery with the gateway's scheme; the secrets never leave this function. */
async function verifyDelivery(ctx: IWebhookFunctions, gateway: GatewayId, request: WebhookRequest): Promise<VerifyResult> {
	const credential = await ctx.getCredentials(GATEWAY_CREDENTIAL[gateway]);
	switch (gateway) {
		case 'razorpay':
			return razorpay.verify(request, { webhookSecret: String(credential.webhookSecret ?? '') });
		case 'payu':
			return payu.verify(request, {
				merchantKey: String(credential.merchantKey ?? ''),
				merchantSalt: String(credential.merchantSaltSecret ?? ''),
			});
		case 'lyra':
			return lyra.verify(request, { password: String(credential.password ?? ''), hmacKey: String(credential.hmacSecretKey ?? '') });
		case 'stripe': {
			const registered = ctx.getWorkflowStaticData('node').stripeEndpointSecret;
			const secrets = [registered, credential.webhookSigningSecret].filter((s): s is string => typeof s === 'string' && s !== '');
			const tolerance = ctx.getNodeParameter('toleranceSeconds', 300) as number;
			return stripe.verify(request, { signingSecrets: secrets }, { toleranceSeconds: tolerance });
		}
	}
}

const modules = { lyra, payu, razorpay, stripe };

/**
 * Identity of an event across redeliveries, from signed content only. Where the gateway tells one business
 * fact in several deliveries (a Stripe refund as refund.created, refund.updated and charge.refunded; a Razorpay
 * payment as payment_link.paid and payment.captured), the parser's semantic key makes them one event.
 */
function eventKey(event: GatewayEvent): string {
	return event.semanticKey ?? `${event.gateway}:${event.event}:${event.eventId}`;
}

/** Gateways send a few events per delivery: one table, the whole key as the id. */
const GATEWAY_EVENT_KEYS = wholeKeyScheme(eventKey);

const notice = (gateway: GatewayId, text: string) => ({
	displayName: text,
	name: `${gateway}Notice`,
	type: 'notice' as const,
	default: '',
	displayOptions: { show: { gateway: [gateway] } },
});

export class PaymentGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Gateway Trigger',
		name: 'paymentGatewayTrigger',
		icon: { light: 'file:paymentGatewayTrigger.svg', dark: 'file:paymentGatewayTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ({"lyra": "Lyra / PayZen", "payu": "PayU", "razorpay": "Razorpay", "stripe": "Stripe"})[$parameter["gateway"]] }}',
		description: 'Starts the workflow when Razorpay, PayU, Stripe or Lyra reports a verified payment, link or refund event',
		defaults: { name: 'Payment Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: gatewayCredentials,
		// responseData: without it n8n answers a delivery that starts an execution with the text "firstEntryJson".
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'OK', path: 'webhook' }],
		properties: [
			gatewayParameter,
			notice(
				'razorpay',
				'In Razorpay Dashboard > Accounts & Settings > Webhooks, add the Production URL above, set the same secret as the credential\'s Webhook Secret, and tick payment_link.paid, payment_link.partially_paid, payment_link.expired, payment_link.cancelled, payment.captured, payment.failed, refund.processed and refund.failed.',
			),
			notice(
				'payu',
				'In PayU Dashboard > Developers > Webhooks, add the Production URL above for Successful and Failed payments. Notifications are checked with the merchant salt.',
			),
			notice(
				'lyra',
				'In the Lyra/PayZen back office > Settings > Shop > Notification rules, set the Production URL above as the Instant Payment Notification URL (REST API) for payment accepted and refused.',
			),
			notice(
				'stripe',
				'On activation the node registers its URL at Stripe (webhook endpoint) and removes it on deactivation; nothing to paste.',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Link Cancelled', value: 'link.cancelled' },
					{ name: 'Link Expired', value: 'link.expired' },
					{ name: 'Link Paid', value: 'link.paid' },
					{ name: 'Link Partially Paid', value: 'link.partially_paid' },
					{ name: 'Payment Failed', value: 'payment.failed' },
					{ name: 'Payment Succeeded', value: 'payment.succeeded' },
					{ name: 'Refund Failed', value: 'refund.failed' },
					{ name: 'Refund Processed', value: 'refund.processed' },
				],
				default: [],
				description: 'Events that start the workflow; none selected means all',
			},
			{
				displayName: 'Confirm With PayU Before Emitting',
				name: 'confirmWithPayU',
				type: 'boolean',
				default: true,
				description:
					'Whether to ask PayU (verify_payment) that the transaction really has the notified status and amount before starting the workflow, as PayU recommends. A notification PayU does not confirm is refused.',
				displayOptions: { show: { gateway: ['payu'] } },
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				default: 300,
				description: 'Stripe deliveries signed longer ago than this are refused (replay protection)',
				displayOptions: { show: { gateway: ['stripe'] } },
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('gateway') !== 'stripe') return true;
				return await stripeEndpointExists(this, this.getNodeWebhookUrl('default') as string);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('gateway') !== 'stripe') return true;
				await createStripeEndpoint(this, this.getNodeWebhookUrl('default') as string);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('gateway') !== 'stripe') return true;
				await deleteStripeEndpoint(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const gateway = this.getNodeParameter('gateway') as GatewayId;
		const http = this.getRequestObject() as unknown as { rawBody?: Buffer; body?: unknown };
		const body = this.getBodyData();
		const request: WebhookRequest = {
			rawBody: http.rawBody ?? Buffer.alloc(0),
			headers: this.getHeaderData() as WebhookRequest['headers'],
			body: body && typeof body === 'object' ? body : {},
			query: this.getQueryData() as IDataObject,
		};
		const verdict = await verifyDelivery(this, gateway, request);
		if (!verdict.ok) return reply(this, verdict.status, verdict.status === 401 ? 'Unauthorized' : 'Bad Request');

		let events: GatewayEvent[];
		try {
			events = modules[gateway].toEvents(request);
		} catch {
			return reply(this, 400, 'Bad Request');
		}
		const wanted = this.getNodeParameter('events', []) as string[];
		events = events.filter((event) => wanted.length === 0 || wanted.includes(event.event));
		if (gateway === 'payu' && events.length > 0 && (this.getNodeParameter('confirmWithPayU', true) as boolean)) {
			// Before the duplicate check: a notification refused now must still count when PayU sends it again.
			const confirmed = await Promise.all(events.map(async (event) => await confirmEvent(this, event))).then(
				(results) => results,
				() => undefined,
			);
			// PayU unreachable: answer non-2xx so PayU delivers the notification again later.
			if (!confirmed) return reply(this, 503, 'Service Unavailable');
			if (confirmed.some((result) => !result.ok)) return reply(this, 400, 'Bad Request');
			events = confirmed.map((result) => (result.ok ? result.event : undefined)).filter((event): event is GatewayEvent => event !== undefined);
		}
		const items = claimInProcess(this, events, GATEWAY_EVENT_KEYS).map((event) => ({
			json: { ...event, eventKey: eventKey(event) } as unknown as IDataObject,
		}));
		if (items.length === 0) return { webhookResponse: 'OK' };
		return { webhookResponse: 'OK', workflowData: [items] };
	}

	/** First step of every execution a delivery started: drops events an earlier execution already ran. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await keepFirstRuns(this, this.getInputData())];
	}
}
