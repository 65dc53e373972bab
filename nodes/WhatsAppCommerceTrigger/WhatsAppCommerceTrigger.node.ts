import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { metaCredential } from '../shared/meta/graph';
import { CallbackTakenError, derivedVerifyToken, isRegistered, register, unregister } from '../shared/meta/registration';
import type { Registration, RegistrationScope } from '../shared/meta/registration';
import { toNodeError } from '../shared/nodeErrors';
import { savedParameter } from '../shared/parameters';
import { getPhoneNumbers } from './phoneNumbers';
import { META_EVENT_KEYS, type MetaEvent, type MetaEventFilter, parseMetaWebhook } from '../shared/meta/webhookEvents';
import { safeEqualText, verifyMetaSignature } from '../shared/signatures';
import { claimInProcess, keepFirstRuns } from '../shared/effects/deliveries';

/** Fields a manual or app-level registration subscribes; overrides (phone number, WABA) carry only `messages`. */
const SUBSCRIBED_FIELDS = ['messages', 'message_template_status_update', 'payment_configuration_update', 'user_id_update'];

/** Answers directly and tells n8n to start nothing (bad signature, wrong token, handshake). */
function reply(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).send(text).end();
	return { noWebhookResponse: true };
}

/** The numbers the trigger owns: its events filter and, with the phone-number scope, where it registers. */
function chosenNumbers(ctx: IHookFunctions | IWebhookFunctions, saved: INodeParameters = ctx.getNode().parameters): string[] {
	// A list from the dropdown; a comma-separated text from an expression or a workflow saved before the dropdown.
	const raw = savedParameter(ctx, saved, 'phoneNumberIds', []);
	const list = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
	return [...new Set(list.map((id) => String(id).trim()).filter(Boolean))];
}

/** The token Meta echoes in its handshake: the one typed in, else one derived for this workflow and node. */
async function verifyTokenOf(ctx: IHookFunctions | IWebhookFunctions): Promise<string> {
	const typed = String(ctx.getNodeParameter('verifyToken', '') ?? '');
	if (typed !== '') return typed;
	const credential = await metaCredential(ctx);
	const node = ctx.getNode();
	return derivedVerifyToken(credential.appSecret || credential.accessToken, String(ctx.getWorkflow().id ?? ''), node.webhookId ?? node.id);
}

/**
 * What this trigger registers. The phone-number scope with no number chosen registers on the WhatsApp
 * Business Account: numbers that have their own trigger keep it (Meta prefers a number's override).
 */
async function registrationOf(ctx: IHookFunctions): Promise<Registration> {
	const numbers = chosenNumbers(ctx);
	let scope = ctx.getNodeParameter('registrationScope', 'phoneNumber') as RegistrationScope;
	if (scope === 'phoneNumber' && numbers.length === 0) scope = 'waba';
	return {
		scope,
		phoneNumberIds: numbers,
		url: ctx.getNodeWebhookUrl('default') as string,
		verifyToken: await verifyTokenOf(ctx),
		fields: SUBSCRIBED_FIELDS,
		takeOver: ctx.getNodeParameter('takeOver', false) as boolean,
	};
}

function hookError(ctx: IHookFunctions, error: unknown): Error {
	if (error instanceof CallbackTakenError) return new NodeOperationError(ctx.getNode(), error.message, { description: error.hint });
	return toNodeError(ctx.getNode(), error, 0);
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
					'Each trigger sets its own callback URL at Meta, per phone number by default so each shop or number can have its own workflow on one app, for the whole WhatsApp Business Account, or for the app (template, account and payment configuration events), and never replaces a URL another workflow set unless you turn on Take Over.',
				name: 'scopeNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description: 'Set this trigger\'s URL at Meta on activation and remove it on deactivation',
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
				displayName: 'Registration Scope',
				name: 'registrationScope',
				type: 'options',
				options: [
					{
						name: 'Phone Numbers',
						value: 'phoneNumber',
						description:
							'Only the chosen phone numbers send their webhooks here (one workflow per shop or number); with no number chosen, every number of the account that has no URL of its own',
					},
					{
						name: 'WhatsApp Business Account',
						value: 'waba',
						description: 'Every number of the account that has no URL of its own (needs the App ID in the credential)',
					},
					{
						name: 'App (Template and Account Events)',
						value: 'app',
						description:
							"The app's callback URL: the only one Meta uses for template status, account and payment configuration updates (needs the App ID and App Secret)",
					},
				],
				default: 'phoneNumber',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName: 'Phone Number Names or IDs',
				name: 'phoneNumberIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getPhoneNumbers' },
				default: [],
				description:
					'The business numbers whose events this trigger outputs (and, with the Phone Numbers scope, where it sets its URL). None: every number. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Take Over Existing Callback',
				name: 'takeOver',
				type: 'boolean',
				default: false,
				description:
					'Whether to replace a callback URL that another workflow or tool already set at this scope. Off: activation stops and names the URL that is there.',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName:
					'In the Meta app dashboard > WhatsApp > Configuration, paste this node\'s Production URL (Webhook URLs above) as Callback URL, the Verify Token below, and subscribe to the fields "messages", "message_template_status_update", "payment_configuration_update" and "user_id_update".',
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
				description:
					'Optional: Meta sends it back when it checks the URL. Empty: the trigger uses a token of its own for this workflow.',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName: 'Verify Token',
				name: 'verifyToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'Any secret text; paste the same in the Meta app dashboard. Meta sends it back when verifying the callback URL.',
				displayOptions: { show: { registration: ['manual'] } },
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
					{ name: 'Template Status Update', value: 'templateStatus' },
				],
				default: ['order', 'paymentStatus'],
				required: true,
			},
		],
	};

	methods = { loadOptions: { getPhoneNumbers } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') === 'manual') return true;
				try {
					return await isRegistered(this, await registrationOf(this));
				} catch (error) {
					throw hookError(this, error);
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') === 'manual') return true;
				try {
					const owned = await register(this, await registrationOf(this));
					// Kept so deactivation also clears what an earlier version of this node registered.
					this.getWorkflowStaticData('node').registeredCallbacks = owned;
					return true;
				} catch (error) {
					throw hookError(this, error);
				}
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') === 'manual') return true;
				const staticData = this.getWorkflowStaticData('node');
				const owned = Array.isArray(staticData.registeredCallbacks) ? (staticData.registeredCallbacks as string[]) : [];
				try {
					// Compare, then delete: only what still points at this trigger's URL is removed.
					await unregister(this, await registrationOf(this), owned);
					delete staticData.registeredCallbacks;
					return true;
				} catch (error) {
					throw hookError(this, error);
				}
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === 'setup') {
			const verifyToken = await verifyTokenOf(this);
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

		// n8n copies the whole node on every getNode(): once per delivery.
		const node = this.getNode();
		const saved = node.parameters;
		const wanted = new Set(savedParameter(this, saved, 'events', undefined) as string[]);
		// Meta may still post another number's events here (a stale or shared URL): only the chosen numbers pass.
		const numbers = chosenNumbers(this, saved);
		const keep: MetaEventFilter = (event, phoneNumberId) =>
			wanted.has(event) && (numbers.length === 0 || (phoneNumberId !== undefined && numbers.includes(phoneNumberId)));

		let relevant: MetaEvent[];
		try {
			// n8n has already parsed these same bytes into the body; parse again only if it could not.
			const parsed = this.getBodyData();
			// Events this trigger does not output are not even built (statuses, for an order trigger).
			relevant = parseMetaWebhook(Array.isArray(parsed.entry) ? parsed : JSON.parse(rawBody.toString('utf8')), keep);
		} catch {
			return reply(this, 400, 'Malformed body');
		}

		const items = claimInProcess(this, relevant, META_EVENT_KEYS, node.id).map((event) => {
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
