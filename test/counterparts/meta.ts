/**
 * A loopback Meta Graph API (WhatsApp Cloud API) for tests, the sandbox and the benchmarks.
 * It checks what Meta checks (bearer token, API version, known phone number id / WABA) and answers
 * with Meta's shapes, including its error envelope. Message validation (the spec's §7) lives in
 * `validateMessage`, replaceable per test.
 */
import { randomBytes } from 'crypto';

import { validateGeneralMessage } from './metaMessageValidation';
import { validateCommerceMessage } from './metaValidation';
import { bearerToken, Counterpart, type RecordedRequest, type Reply } from './server';

export interface MetaPhoneNumber {
	id: string;
	display_phone_number: string;
	verified_name: string;
	quality_rating?: string;
}

export interface MetaState {
	token: string;
	wabaId: string;
	phoneNumbers: MetaPhoneNumber[];
	paymentConfigurations: Array<Record<string, unknown>>;
	templates: Array<Record<string, unknown>>;
	/** Catalogs connected to the WABA (product_catalogs edge). */
	catalogs: Array<{ id: string; name: string }>;
	/** Payments by `${configuration}/${reference}` for the lookup API. */
	payments: Map<string, Record<string, unknown>>;
	/** Recipients (wa_id or BSUID) that wrote within 24 h; null = everyone is inside the window. */
	openWindows: Set<string> | null;
	/** Customers known to this business: BSUID -> phone (null when the customer withholds it behind a username). */
	customers: Map<string, { waId: string | null; username?: string; name?: string }>;
}

export function metaError(status: number, code: number, message: string, details?: string, type = 'OAuthException'): Reply {
	return {
		status,
		body: {
			error: {
				message,
				type,
				code,
				...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
				fbtrace_id: 'AbCdEfGhIjK',
			},
		},
	};
}

/**
 * Versions Meta serves (spec meta-2026 §5): v21.0-v27.0 live; v19.0/v20.0 expired, which real Meta answers
 * silently with the oldest live version (recorded in `servedVersions`), anything else is refused.
 */
const LIVE_VERSIONS = ['v21.0', 'v22.0', 'v23.0', 'v24.0', 'v25.0', 'v26.0', 'v27.0'];
const EXPIRED_VERSIONS = ['v19.0', 'v20.0'];
/** Meta's BSUID format (spec meta-2026 §1.1), parent BSUIDs included. */
export const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

/**
 * A wamid in Meta's real format: "wamid." + base64 of a small binary record holding the recipient and a
 * 20-hex-digit message id (e.g. wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=).
 */
export function realWamid(recipient: string, hexId = randomBytes(10).toString('hex').toUpperCase()): string {
	const who = Buffer.from(recipient, 'utf8');
	const id = Buffer.from(hexId.slice(0, 20).padEnd(20, '0'), 'utf8');
	const record = Buffer.concat([
		Buffer.from([0x1c, 0x18, who.length]),
		who,
		Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, id.length]),
		id,
		Buffer.from([0x00]),
	]);
	return `wamid.${record.toString('base64')}`;
}

export type MessageValidator = (message: Record<string, unknown>, state: MetaState) => Reply | undefined;

export class MetaCounterpart extends Counterpart {
	readonly state: MetaState;
	/** Accepted messages, in order, with their wamid. */
	readonly sent: Array<{ id: string; phoneNumberId: string; message: Record<string, unknown>; at: number }> = [];
	/** Meta's §7 and message checks; tests may replace it. Both validators run, the first refusal wins. */
	validateMessage: MessageValidator = (message, state) =>
		validateCommerceMessage(message, state) ?? validateGeneralMessage(message, state);
	/** Accepted with 200 but never delivered, as real Meta does with a BSUID put in `to` (chatwoot PR #15150). */
	readonly undeliverable: Array<{ id: string; to: string }> = [];
	/** Requested -> served Graph version, for calls Meta answered with another version than asked. */
	readonly servedVersions: Array<{ requested: string; served: string }> = [];
	private counter = 0;

	constructor(state: Partial<MetaState> = {}) {
		super('Meta');
		this.state = {
			token: 'EAAG-test-token',
			wabaId: '102290129340398',
			phoneNumbers: [
				{ id: '106540352242922', display_phone_number: '+91 98765 00000', verified_name: 'Chai Point', quality_rating: 'GREEN' },
				{ id: '106540352242999', display_phone_number: '+55 11 90000 0000', verified_name: 'Loja Brasil', quality_rating: 'GREEN' },
				// A second shop on the same WABA (several shops on one Meta app, each with its own trigger).
				{ id: '106540352243011', display_phone_number: '+91 98765 00011', verified_name: 'Chai Point Express', quality_rating: 'GREEN' },
			],
			paymentConfigurations: [
				{
					configuration_name: 'rzp-prod',
					merchant_category_code: { code: '0000', description: 'Test MCC' },
					purpose_code: { code: '00', description: 'Test purpose' },
					status: 'Active',
					provider_mid: 'mid-1',
					provider_name: 'razorpay',
					created_timestamp: 1700000000,
					updated_timestamp: 1700000000,
				},
			],
			templates: [
				{ name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY' },
				{ name: 'order_pay', language: 'en_US', status: 'APPROVED', category: 'UTILITY' },
				{
					name: 'payment_receipt',
					language: 'en_US',
					status: 'APPROVED',
					category: 'UTILITY',
					components: [{ type: 'BODY', text: 'Hi {{1}}, we received {{2}} for {{3}}. Thank you!' }],
				},
				{
					name: 'refund_notice',
					language: 'en_US',
					status: 'APPROVED',
					category: 'UTILITY',
					components: [{ type: 'BODY', text: 'Your order {{1}} was cancelled and {{2}} is refunded.' }],
				},
				{
					name: 'payment_reminder',
					language: 'en_US',
					status: 'APPROVED',
					category: 'UTILITY',
					components: [
						{ type: 'BODY', text: 'Hi {{1}}, your invoice {{2}} is due.' },
						{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Pay now', url: 'https://rzp.io/i/{{1}}' }] },
					],
				},
				{
					// One-tap/zero-tap/copy-code templates need a phone: Meta refuses them for a BSUID (131062).
					name: 'login_code',
					language: 'en_US',
					status: 'APPROVED',
					category: 'AUTHENTICATION',
					components: [{ type: 'BODY', text: '{{1}} is your verification code.' }],
				},
			],
			catalogs: [{ id: '194836987003835', name: 'Chai Point catalog' }],
			payments: new Map(),
			openWindows: null,
			customers: new Map([
				['IN.1739912004471', { waId: '919800000001', name: 'Asha' }],
				['BR.8812004471', { waId: null, username: 'ana.shop', name: 'Ana' }],
			]),
			...state,
		};
		this.registerRoutes();
	}

	private authorize(request: RecordedRequest): Reply | undefined {
		const version = request.path.split('/')[1] ?? '';
		if (EXPIRED_VERSIONS.includes(version)) this.servedVersions.push({ requested: version, served: LIVE_VERSIONS[0] });
		else if (!LIVE_VERSIONS.includes(version)) {
			return metaError(400, 2635, `(#2635) You are calling a deprecated or unknown version of the Graph API: ${version}`);
		}
		if (bearerToken(request) !== this.state.token) {
			return metaError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
		}
		return undefined;
	}

	private phone(id: string): MetaPhoneNumber | undefined {
		return this.state.phoneNumbers.find((p) => p.id === id);
	}

	private guard(handler: (request: RecordedRequest) => Reply | Promise<Reply>): (request: RecordedRequest) => Reply | Promise<Reply> {
		return (request) => this.authorize(request) ?? handler(request);
	}

	private unknownObject(id: string): Reply {
		return metaError(
			400,
			100,
			`Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
			undefined,
			'GraphMethodException',
		);
	}

	/** Forgets recorded requests, faults and accepted messages (state such as templates is kept). */
	override reset(): void {
		super.reset();
		this.sent.length = 0;
		this.undeliverable.length = 0;
		this.servedVersions.length = 0;
	}

	/** A new wamid in Meta's base64 format, unique per counterpart (the counter is in the hex id). */
	nextWamid(recipient = '0'): string {
		this.counter += 1;
		return realWamid(recipient, `${randomBytes(6).toString('hex').toUpperCase()}${String(this.counter).padStart(8, '0')}`);
	}

	/**
	 * Webhook callbacks at Meta's three levels (spec meta-2026 §2), for this one app:
	 * - `subscribedApps`: apps subscribed to the WABA, each with its WABA-level override (if any);
	 * - `phoneOverrides`: per phone number override;
	 * - `appSubscriptions`: the app-level subscription per object (`whatsapp_business_account`).
	 * Resolution for an overridable field: phone number override, then WABA override, then app callback.
	 */
	readonly subscribedApps = new Map<string, { override_callback_uri?: string; verify_token?: string }>();
	readonly phoneOverrides = new Map<string, { override_callback_uri: string; verify_token: string }>();
	readonly appSubscriptions = new Map<string, { callback_url: string; verify_token: string; fields: string }>();
	appId = '1234567890';
	appName = 'Chai Point Commerce';
	appSecret = 'meta-app-secret';
	/**
	 * Meta checks a callback before accepting it: a GET with hub.mode=subscribe, hub.verify_token and
	 * hub.challenge that must answer 200 with the challenge. Tests without a server replace this.
	 */
	verifyCallback: (url: string, query: Record<string, string>) => Promise<{ status: number; body: string }> = async (url, query) => {
		const res = await fetch(`${url}?${new URLSearchParams(query).toString()}`);
		return { status: res.status, body: await res.text() };
	};

	/** Fields whose webhooks follow the overrides; every other field always goes to the app callback. */
	static readonly OVERRIDABLE_FIELDS = new Set([
		'messages', 'message_echoes', 'calls', 'consumer_profile', 'messaging_handovers', 'standby',
		'group_lifecycle_update', 'group_participants_update', 'group_settings_update', 'group_status_update',
		'smb_message_echoes', 'smb_app_state_sync', 'history', 'account_settings_update',
	]);

	/** Where Meta would post a webhook of `field` for `phoneNumberId` (undefined: nowhere registered). */
	callbackFor(phoneNumberId: string | undefined, field = 'messages'): string | undefined {
		const app = this.appSubscriptions.get('whatsapp_business_account')?.callback_url;
		if (!MetaCounterpart.OVERRIDABLE_FIELDS.has(field)) return app;
		const phone = phoneNumberId ? this.phoneOverrides.get(phoneNumberId)?.override_callback_uri : undefined;
		return phone || this.subscribedApps.get(this.appId)?.override_callback_uri || app;
	}

	/** The request carries the app access token "app_id|app_secret" (Authorization header or, as Meta also allows, the query). */
	private hasAppToken(request: RecordedRequest): boolean {
		const token = `${this.appId}|${this.appSecret}`;
		return bearerToken(request) === token || request.query.access_token === token;
	}

	private async verified(url: unknown, verifyToken: unknown): Promise<Reply | undefined> {
		if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return metaError(400, 100, '(#100) A valid callback URL is required');
		if (url.length > 200) return metaError(400, 100, '(#100) override_callback_uri must be at most 200 characters');
		if (typeof verifyToken !== 'string' || verifyToken === '') return metaError(400, 100, '(#100) verify_token is required');
		const challenge = String(1000000000 + (this.counter += 1));
		let answer: { status: number; body: string };
		try {
			answer = await this.verifyCallback(url, { 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': challenge });
		} catch (error) {
			answer = { status: 0, body: (error as Error).message };
		}
		if (answer.status !== 200 || answer.body !== challenge) {
			return metaError(400, 2200, `(#2200) Callback verification failed with the following errors: HTTP Status Code = ${answer.status}; HTTP Message = ${answer.body.slice(0, 80)}`);
		}
		return undefined;
	}

	private registerWebhookRoutes(): void {
		this.route('GET', '/:version/:waba/subscribed_apps', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			const data = [...this.subscribedApps].map(([id, app]) => ({
				whatsapp_business_api_data: { id, link: `https://www.facebook.com/games/?app_id=${id}`, name: id === this.appId ? this.appName : `App ${id}` },
				...(app.override_callback_uri ? { override_callback_uri: app.override_callback_uri } : {}),
			}));
			return { status: 200, body: { data } };
		}));
		// With a body: set the WABA override. WITHOUT a body: subscribe, which also deletes the override (Meta's pitfall).
		this.route('POST', '/:version/:waba/subscribed_apps', this.guard(async (r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			const body = (r.body ?? {}) as Record<string, unknown>;
			if (body.override_callback_uri === undefined) {
				this.subscribedApps.set(this.appId, {});
				return { status: 200, body: { success: true } };
			}
			const refused = await this.verified(body.override_callback_uri, body.verify_token);
			if (refused) return refused;
			this.subscribedApps.set(this.appId, { override_callback_uri: String(body.override_callback_uri), verify_token: String(body.verify_token) });
			return { status: 200, body: { success: true } };
		}));
		this.route('DELETE', '/:version/:waba/subscribed_apps', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			this.subscribedApps.delete(this.appId);
			return { status: 200, body: { success: true } };
		}));
		// App subscriptions need an APP access token (app id|app secret), not the system user token.
		this.route('GET', '/:version/:app/subscriptions', (r) => {
			if (r.params.app !== this.appId) return this.unknownObject(r.params.app);
			if (!this.hasAppToken(r)) return metaError(400, 190, 'Invalid OAuth access token - app access token required');
			const data = [...this.appSubscriptions].map(([object, s]) => ({
				object,
				callback_url: s.callback_url,
				active: true,
				fields: s.fields.split(',').filter(Boolean).map((name) => ({ name, version: 'v25.0' })),
			}));
			return { status: 200, body: { data } };
		});
		this.route('POST', '/:version/:app/subscriptions', async (r) => {
			if (r.params.app !== this.appId) return this.unknownObject(r.params.app);
			if (!this.hasAppToken(r)) return metaError(400, 190, 'Invalid OAuth access token - app access token required');
			const body = (r.body ?? {}) as Record<string, string>;
			if (body.object !== 'whatsapp_business_account') return metaError(400, 100, '(#100) object is required');
			const refused = await this.verified(body.callback_url, body.verify_token);
			if (refused) return refused;
			// Posting fields adds them to the subscription; the callback URL and token are replaced.
			const before = this.appSubscriptions.get(body.object)?.fields.split(',') ?? [];
			const fields = [...new Set([...before, ...String(body.fields ?? '').split(',')].map((f) => f.trim()).filter(Boolean))].join(',');
			this.appSubscriptions.set(body.object, { callback_url: body.callback_url, verify_token: body.verify_token, fields });
			return { status: 200, body: { success: true } };
		});
		this.route('DELETE', '/:version/:app/subscriptions', (r) => {
			if (r.params.app !== this.appId) return this.unknownObject(r.params.app);
			if (!this.hasAppToken(r)) return metaError(400, 190, 'Invalid OAuth access token - app access token required');
			const object = r.query.object ?? 'whatsapp_business_account';
			const current = this.appSubscriptions.get(object);
			const removed = (r.query.fields ?? '').split(',').filter(Boolean);
			if (current && removed.length > 0) {
				const fields = current.fields.split(',').filter((f) => !removed.includes(f));
				if (fields.length > 0) this.appSubscriptions.set(object, { ...current, fields: fields.join(',') });
				else this.appSubscriptions.delete(object);
			} else this.appSubscriptions.delete(object);
			return { status: 200, body: { success: true } };
		});
		// Phone-number level: read back which URL each level has; set or clear ("") the number's override.
		this.route('GET', '/:version/:phone', this.guard((r) => {
			if (!this.phone(r.params.phone)) return this.unknownObject(r.params.phone);
			const phone = this.phone(r.params.phone)!;
			if (r.query.fields !== 'webhook_configuration') return { status: 200, body: { ...phone } };
			const waba = this.subscribedApps.get(this.appId)?.override_callback_uri;
			const app = this.appSubscriptions.get('whatsapp_business_account')?.callback_url;
			const override = this.phoneOverrides.get(phone.id)?.override_callback_uri;
			return {
				status: 200,
				body: {
					webhook_configuration: {
						...(override ? { phone_number: override } : {}),
						...(waba ? { whatsapp_business_account: waba } : {}),
						...(app ? { application: app } : {}),
					},
					id: phone.id,
				},
			};
		}));
		this.route('POST', '/:version/:phone', this.guard(async (r) => {
			if (!this.phone(r.params.phone)) return this.unknownObject(r.params.phone);
			const configuration = ((r.body ?? {}) as Record<string, Record<string, unknown>>).webhook_configuration;
			if (!configuration || typeof configuration.override_callback_uri !== 'string') {
				return metaError(400, 100, '(#100) webhook_configuration.override_callback_uri is required');
			}
			if (!this.subscribedApps.has(this.appId)) {
				return metaError(400, 100, '(#100) The app must be subscribed to the WhatsApp Business Account before overriding its callback URL');
			}
			if (configuration.override_callback_uri === '') {
				this.phoneOverrides.delete(r.params.phone);
				return { status: 200, body: { success: true } };
			}
			const refused = await this.verified(configuration.override_callback_uri, configuration.verify_token);
			if (refused) return refused;
			this.phoneOverrides.set(r.params.phone, { override_callback_uri: configuration.override_callback_uri, verify_token: String(configuration.verify_token) });
			return { status: 200, body: { success: true } };
		}));
	}

	private registerRoutes(): void {
		this.registerWebhookRoutes();
		this.route('GET', '/:version/:waba/phone_numbers', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			return { status: 200, body: { data: this.state.phoneNumbers, paging: { cursors: { before: 'a', after: 'b' } } } };
		}));
		this.route('GET', '/:version/:waba/payment_configurations', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			return { status: 200, body: { data: [{ payment_configurations: this.state.paymentConfigurations }] } };
		}));
		this.route('GET', '/:version/:waba/payment_configuration/:name', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			const found = this.state.paymentConfigurations.find((c) => c.configuration_name === r.params.name);
			if (!found) return metaError(400, 100, `Payment configuration ${r.params.name} not found`, undefined, 'GraphMethodException');
			return { status: 200, body: { data: [found] } };
		}));
		this.route('GET', '/:version/:waba/message_templates', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			return { status: 200, body: { data: this.state.templates, paging: {} } };
		}));
		this.route('GET', '/:version/:waba/product_catalogs', this.guard((r) => {
			if (r.params.waba !== this.state.wabaId) return this.unknownObject(r.params.waba);
			return { status: 200, body: { data: this.state.catalogs, paging: {} } };
		}));
		this.route('POST', '/:version/:phone/messages', this.guard((r) => this.acceptMessage(r)));
		this.route('GET', '/:version/:phone/payments/:configuration/:reference', this.guard((r) => {
			if (!this.phone(r.params.phone)) return this.unknownObject(r.params.phone);
			const payment = this.state.payments.get(`${r.params.configuration}/${r.params.reference}`);
			if (!payment) {
				return { status: 404, body: { errors: [{ code: 500, title: 'Generic error', details: `No payment found for reference ${r.params.reference}` }] } };
			}
			return { status: 200, body: { payments: [payment] } };
		}));
		// Refunds (spec §4): amount fields must be STRINGS; the payment must exist; no over-refund.
		this.route('POST', '/:version/:phone/payments_refund', this.guard((r) => {
			if (!this.phone(r.params.phone)) return this.unknownObject(r.params.phone);
			const body = (r.body ?? {}) as Record<string, unknown>;
			const amount = (body.amount ?? {}) as Record<string, unknown>;
			if (typeof amount.value !== 'string' || typeof amount.offset !== 'string' || typeof amount.currency !== 'string') {
				return metaError(400, 100, '(#100) Invalid parameter', 'amount.value, amount.offset and amount.currency must be strings');
			}
			const payment = this.state.payments.get(`${String(body.payment_config_id)}/${String(body.reference_id)}`);
			if (!payment) return metaError(400, 100, '(#100) Invalid parameter', `No payment found for reference ${String(body.reference_id)}`);
			const paid = Number((payment.amount as { value: number }).value);
			const refunded = Number(payment.refunded ?? 0);
			if (!/^\d+$/.test(amount.value) || Number(amount.value) <= 0 || refunded + Number(amount.value) > paid) {
				return metaError(400, 100, '(#100) Invalid parameter', 'Refund amount exceeds the refundable amount');
			}
			payment.refunded = refunded + Number(amount.value);
			const refund = { id: `rfnd_${this.nextWamid().slice(-14)}`, status: 'pending', speed_processed: body.speed ?? 'normal' };
			// The lookup lists refunds (spec §3.4: refunds[] with amount {value, offset}); no idempotency key exists.
			const now = Math.floor(Date.now() / 1000);
			payment.refunds = [...((payment.refunds as unknown[]) ?? []), { ...refund, amount: { value: Number(amount.value), offset: Number(amount.offset) }, created_timestamp: now, updated_timestamp: now }];
			return { status: 200, body: refund };
		}));
	}

	private acceptMessage(request: RecordedRequest): Reply {
		const phoneNumberId = request.params.phone;
		if (!this.phone(phoneNumberId)) return this.unknownObject(phoneNumberId);
		if (!(request.headers['content-type'] ?? '').includes('application/json')) {
			return metaError(400, 100, '(#100) The parameter messaging_product is required.');
		}
		const message = (request.body ?? {}) as Record<string, unknown>;
		if (message.messaging_product !== 'whatsapp') {
			return metaError(400, 100, '(#100) The parameter messaging_product is required.');
		}
		// `to` wins when both are sent (spec meta-2026 §1.4); a BSUID goes in `recipient`.
		const to = message.to === undefined ? undefined : String(message.to);
		const recipient = message.recipient === undefined ? undefined : String(message.recipient);
		if (to === undefined && recipient === undefined) {
			return metaError(400, 100, '(#100) The parameter to is required.');
		}
		const bsuidInTo = to !== undefined && BSUID.test(to);
		if (to !== undefined && !bsuidInTo && !/^\+?\d{6,15}$/.test(to)) {
			return metaError(400, 131009, '(#131009) Parameter value is not valid', 'Recipient phone number is not valid');
		}
		if (to === undefined && !BSUID.test(String(recipient))) {
			return metaError(400, 131009, '(#131009) Parameter value is not valid', 'recipient must be a business-scoped user ID');
		}
		const address = to !== undefined ? to.replace(/^\+/, '') : String(recipient);
		if (this.state.openWindows && message.type !== 'template' && !this.state.openWindows.has(address)) {
			return metaError(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
		}
		if (to === undefined && message.type === 'template' && this.templateCategory(message) === 'AUTHENTICATION') {
			return metaError(400, 131062, '(#131062) Business-scoped User ID (BSUID) recipients are not supported for this message.');
		}
		const invalid = this.validateMessage(message, this.state);
		if (invalid) return invalid;
		const id = this.nextWamid(address);
		this.sent.push({ id, phoneNumberId, message, at: Date.now() });
		if (bsuidInTo) this.undeliverable.push({ id, to: address });
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				// `wa_id` only for a phone send, `user_id` only for a BSUID send (absent when `to` won).
				contacts: [to !== undefined ? { input: to, wa_id: address } : { input: address, user_id: address }],
				messages: [{ id, ...(message.type === 'template' ? { message_status: 'accepted' } : {}) }],
			},
		};
	}

	private templateCategory(message: Record<string, unknown>): string | undefined {
		const template = (message.template ?? {}) as { name?: string; language?: { code?: string } };
		const found = this.state.templates.find((t) => t.name === template.name && t.language === template.language?.code);
		return found ? String(found.category ?? '') : undefined;
	}
}
