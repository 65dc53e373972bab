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

import { graphRequest, metaCredential } from '../shared/meta/graph';
import { parseMetaWebhook } from '../shared/meta/webhookEvents';
import { safeEqualText, verifyMetaSignature } from '../shared/signatures';
import { claimInProcess, keepFirstRuns } from '../shared/effects/deliveries';

const SUBSCRIBED_FIELDS = 'messages,payment_configuration_update,user_id_update';

/** Answers directly and tells n8n to start nothing (bad signature, wrong token, handshake). */
function reply(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).send(text).end();
	return { noWebhookResponse: true };
}

export class WhatsAppCommerceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Commerce Trigger',
		name: 'whatsAppCommerceTrigger',
		icon: { light: 'file:whatsappCommerceTrigger.svg', dark: 'file:whatsappCommerceTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].map((event) => ({"identityChange": "Identity change", "interactiveReply": "Reply", "messageStatus": "Message status", "order": "Order", "paymentConfigurationUpdate": "Payment configuration", "paymentStatus": "Payment status"})[event] || event).join(", ") }}',
		description: 'Starts the workflow on WhatsApp cart orders, payments, message statuses and replies',
		defaults: { name: 'WhatsApp Commerce Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'waCommerceMetaApi', required: true }],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			// responseData: without it n8n answers a delivery that starts an execution with the text "firstEntryJson".
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'OK', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Meta allows one callback URL per app: every WhatsApp trigger on the same app shares it. Use Automatic for one active workflow per app, or Manual to keep an existing callback.',
				name: 'appNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description: "Subscribe the WhatsApp Business Account and, with the app ID and secret, set the app's callback URL on activation",
					},
					{
						name: 'Manual',
						value: 'manual',
						description: 'Paste the production URL of this node and the verify token in the Meta app dashboard yourself',
					},
				],
				default: 'automatic',
			},
			{
				displayName:
					'In the Meta app dashboard > WhatsApp > Configuration, paste this node\'s Production URL (Webhook URLs above) as Callback URL, the Verify Token below, and subscribe to the fields "messages", "payment_configuration_update" and "user_id_update".',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			{
				displayName: 'Verify Token',
				name: 'verifyToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'Any secret text; Meta sends it back when verifying the callback URL',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Identity Change (New BSUID or Number)', value: 'identityChange' },
					{ name: 'Interactive Reply', value: 'interactiveReply' },
					{ name: 'Message Status', value: 'messageStatus' },
					{ name: 'Order Received', value: 'order' },
					{ name: 'Payment Configuration Update', value: 'paymentConfigurationUpdate' },
					{ name: 'Payment Status', value: 'paymentStatus' },
				],
				default: ['order', 'paymentStatus'],
				required: true,
			},
			{
				displayName: 'Phone Number IDs',
				name: 'phoneNumberIds',
				type: 'string',
				default: '',
				placeholder: '106540352242922, 107655329012345',
				description: 'Only events received on these phone number IDs (comma-separated); empty means all numbers of the account',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') === 'manual') return true;
				const credential = await metaCredential(this);
				const response = await graphRequest<{ data?: IDataObject[] }>(this, {
					method: 'GET',
					path: `/${credential.businessAccountId}/subscribed_apps`,
				});
				const apps = response.data ?? [];
				const staticData = this.getWorkflowStaticData('node');
				return apps.length > 0 && staticData.subscribed === true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') === 'manual') return true;
				const credential = await metaCredential(this);
				if (credential.appId && credential.appSecret) {
					// The app-level callback needs an app access token: app id|app secret.
					await graphRequest(this, {
						method: 'POST',
						path: `/${credential.appId}/subscriptions`,
						qs: { access_token: `${credential.appId}|${credential.appSecret}` },
						body: {
							object: 'whatsapp_business_account',
							callback_url: this.getNodeWebhookUrl('default'),
							verify_token: this.getNodeParameter('verifyToken') as string,
							fields: SUBSCRIBED_FIELDS,
						},
					});
				}
				await graphRequest(this, {
					method: 'POST',
					path: `/${credential.businessAccountId}/subscribed_apps`,
				});
				this.getWorkflowStaticData('node').subscribed = true;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') === 'manual') return true;
				const credential = await metaCredential(this);
				// Unsubscribing the WABA would silence every other workflow on this app; only forget our state.
				delete this.getWorkflowStaticData('node').subscribed;
				return credential.businessAccountId !== '';
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const verifyToken = this.getNodeParameter('verifyToken') as string;
		if (this.getWebhookName() === 'setup') {
			const query = this.getQueryData() as IDataObject;
			const ok = query['hub.mode'] === 'subscribe' && safeEqualText(verifyToken, query['hub.verify_token'] as string);
			return ok ? reply(this, 200, String(query['hub.challenge'] ?? '')) : reply(this, 403, 'Forbidden');
		}

		const credential = await metaCredential(this);
		const request = this.getRequestObject();
		const rawBody = (request as unknown as { rawBody?: Buffer }).rawBody;
		const header = this.getHeaderData()['x-hub-signature-256'] as string | undefined;
		if (!credential.appSecret || !rawBody || !verifyMetaSignature(rawBody, credential.appSecret, header)) {
			return reply(this, 401, 'Invalid signature');
		}

		let events;
		try {
			// n8n has already parsed these same bytes into the body; parse again only if it could not.
			const parsed = this.getBodyData();
			events = parseMetaWebhook(Array.isArray(parsed.entry) ? parsed : JSON.parse(rawBody.toString('utf8')));
		} catch {
			return reply(this, 400, 'Malformed body');
		}

		const wanted = new Set(this.getNodeParameter('events') as string[]);
		const numbers = String(this.getNodeParameter('phoneNumberIds', '') ?? '')
			.split(',')
			.map((id) => id.trim())
			.filter(Boolean);
		const relevant = events.filter(
			(event) => wanted.has(event.event) && (numbers.length === 0 || (event.phoneNumberId !== undefined && numbers.includes(event.phoneNumberId))),
		);
		const items = claimInProcess(this, relevant, (event) => event.dedupeKey).map((event) => {
			// The same on every redelivery of this event: the workflow (or an ERP) can use it as an idempotency key.
			event.json.eventKey = event.dedupeKey;
			return { json: event.json };
		});

		if (items.length === 0) return { webhookResponse: 'OK' };
		return { webhookResponse: 'OK', workflowData: [items] };
	}

	/** First step of every execution a delivery started: drops events an earlier execution already ran. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await keepFirstRuns(this, this.getInputData())];
	}
}
