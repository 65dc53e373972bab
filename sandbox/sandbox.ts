/**
 * The sandbox: Meta's Cloud API and the four gateways on loopback, composed from the SAME counterparts the
 * engine tests use (test/counterparts/), plus a control API that plays the customer. Every request the
 * services receive and every webhook the sandbox sends is recorded, so a person (npm run sandbox / npm start)
 * or the e2e suite can see what n8n did. Webhooks are signed exactly as the real services sign them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import { DEFAULT_GRAPH_VERSION } from '../nodes/shared/meta/graphVersions';
import { signMetaBody } from '../nodes/shared/signatures';
import { LyraCounterpart } from '../test/counterparts/lyra';
import { MetaCounterpart, realWamid } from '../test/counterparts/meta';
import { PayUCounterpart } from '../test/counterparts/payu';
import { RazorpayCounterpart } from '../test/counterparts/razorpay';
import type { Counterpart } from '../test/counterparts/server';
import { StripeCounterpart } from '../test/counterparts/stripe';
import { chatState } from './chat/state';
import { serveChat } from './chat/server';
import { LYRA_LYON_CREDENTIAL } from './config';
import { CustomerActions } from './customerActions';
import { addShops, becomeLyon } from './shops';

type Entity = Record<string, unknown>;

export interface SandboxOptions {
	/** Control API port; the services take the next five ports (0 = all random, for tests). */
	port?: number;
	host?: string;
	/** Where n8n answers (production webhooks live under `${n8nUrl}/webhook/...`). */
	n8nUrl?: string;
	/** Default webhook URL per gateway id (the Payment Gateway Trigger's Production URL). */
	gatewayWebhookUrls?: Partial<Record<GatewayId, string>>;
	/**
	 * Where Meta webhooks go when no trigger registered itself during this sandbox's life: n8n registers a
	 * trigger only on first activation and assumes Meta remembers it across restarts; this in-memory Meta does not.
	 */
	metaCallbackUrl?: string;
	/**
	 * Meta events of these business numbers (phone number id -> URL) go to that URL instead of the app's callback:
	 * the seed-flow examples' triggers use Manual registration, one number each (sandbox/config.ts).
	 */
	metaNumberUrls?: Record<string, string>;
	/** The Payment Gateway Trigger of each Lyra shop (example 7): where a paid Lyra link's IPN goes. */
	lyraShopWebhookUrls?: { paris?: string; lyon?: string };
}

export type GatewayId = 'razorpay' | 'stripe' | 'payu' | 'lyra';

export interface Delivery {
	at: string;
	service: string;
	event: string;
	url: string;
	status: number;
	response: string;
}

export class Sandbox {
	readonly meta = new MetaCounterpart();
	readonly razorpay = new RazorpayCounterpart();
	readonly stripe = new StripeCounterpart();
	readonly payu = new PayUCounterpart();
	readonly lyra = new LyraCounterpart();
	/** Example 7's second Lyra shop: its own shop id, password and HMAC key, on its own port. */
	readonly lyraLyon = becomeLyon(new LyraCounterpart());
	/** What the customer does from the chat view beyond ordering and paying (replies, texts, read receipts, links). */
	readonly customer = new CustomerActions(this);
	/**
	 * Set by the stack once n8n runs: recent executions (id, workflowId, startedAt, stoppedAt), so the chat view
	 * can link each message to the execution that sent it. Absent under `npm run sandbox` alone.
	 */
	executionSource?: () => Promise<Entity[]>;
	/** n8n's editor URL for execution links (set with executionSource). */
	n8nEditorUrl?: string;
	readonly deliveries: Delivery[] = [];
	/** The exact bytes and headers of each delivery, so that it can be sent again as the services retry. */
	private readonly sentBytes = new WeakMap<Delivery, { rawBody: string; headers: Record<string, string> }>();
	controlUrl = '';
	private server?: Server;
	private sequence = 0;

	constructor(readonly options: SandboxOptions = {}) {
		addShops(this.meta);
	}

	private get services(): Record<string, Counterpart> {
		return { meta: this.meta, razorpay: this.razorpay, stripe: this.stripe, payu: this.payu, lyra: this.lyra, lyraLyon: this.lyraLyon };
	}

	async start(): Promise<this> {
		const host = this.options.host ?? '127.0.0.1';
		const base = this.options.port ?? 0;
		let offset = 1;
		for (const service of Object.values(this.services)) {
			await service.start(base ? base + offset : 0, host);
			offset += 1;
		}
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(base, host, resolve));
		this.controlUrl = `http://${host}:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		for (const service of Object.values(this.services)) await service.stop();
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** n8n credential data (type -> fields) pointing each credential of the package at this sandbox. */
	credentials(): Record<string, Entity> {
		return {
			waCommerceMetaApi: {
				accessToken: this.meta.state.token,
				businessAccountId: this.meta.state.wabaId,
				appSecret: this.meta.appSecret,
				appId: this.meta.appId,
				apiVersion: DEFAULT_GRAPH_VERSION,
				baseUrl: this.meta.baseUrl,
			},
			waCommerceRazorpayApi: {
				keyId: this.razorpay.keyId,
				keySecret: this.razorpay.keySecret,
				webhookSecret: this.razorpay.webhookSecret,
				baseUrl: this.razorpay.baseUrl,
			},
			waCommerceStripeApi: {
				secretKey: this.stripe.secretKey,
				webhookSigningSecret: this.stripe.webhookSigningSecret,
				baseUrl: this.stripe.baseUrl,
			},
			waCommercePayUApi: this.payu.credentials(),
			waCommerceLyraApi: this.lyra.credentials(),
		};
	}

	/** Credentials of a second account of one type (n8n keys them by id): example 7's Lyon shop. */
	extraCredentials(): Array<{ id: string; name: string; type: string; data: Entity }> {
		return [{ ...LYRA_LYON_CREDENTIAL, data: this.lyraLyon.credentials() }];
	}

	urls(): Record<string, string> {
		return Object.fromEntries([['control', this.controlUrl], ...Object.entries(this.services).map(([name, s]) => [name, s.baseUrl])]);
	}

	// ---- the customer ------------------------------------------------------------------------------

	metaEnvelope(value: Entity, phoneNumberId = this.meta.state.phoneNumbers[0].id, field = 'messages'): string {
		const phone = this.meta.state.phoneNumbers.find((p) => p.id === phoneNumberId);
		// Account-level fields (template status, ...) carry no phone number metadata.
		const perNumber = field === 'messages' || field === 'user_id_update';
		return JSON.stringify({
			object: 'whatsapp_business_account',
			entry: [{
				id: this.meta.state.wabaId,
				time: Math.floor(Date.now() / 1000),
				changes: [{
					field,
					value: perNumber
						? {
								messaging_product: 'whatsapp',
								metadata: { display_phone_number: (phone?.display_phone_number ?? '').replace(/\D/g, ''), phone_number_id: phoneNumberId },
								...value,
							}
						: value,
				}],
			}],
		});
	}

	/**
	 * Where Meta posts a webhook of `field` for a phone number: the number's override, else the WABA's, else the
	 * app callback (only the app callback for fields Meta never overrides), or the URL given.
	 */
	metaCallbackUrl(url?: string, phoneNumberId = this.meta.state.phoneNumbers[0].id, field = 'messages'): string {
		const target = url ?? this.meta.callbackFor(phoneNumberId, field) ?? this.options.metaCallbackUrl;
		if (!target) throw new SandboxError(409, 'No WhatsApp webhook registered yet: activate a workflow with the WhatsApp Commerce Trigger (automatic registration), or pass "url".');
		return target;
	}

	async deliver(service: string, event: string, url: string, rawBody: string, headers: Record<string, string>): Promise<Delivery> {
		return await this.post(service, event, url, rawBody, headers);
	}

	private async post(service: string, event: string, url: string, rawBody: string, headers: Record<string, string>): Promise<Delivery> {
		let status = 0;
		let response = '';
		try {
			const res = await fetch(url, { method: 'POST', headers, body: rawBody });
			status = res.status;
			response = (await res.text()).slice(0, 2000);
		} catch (error) {
			response = `delivery failed: ${(error as Error).message}`;
		}
		const delivery = { at: new Date().toISOString(), service, event, url, status, response };
		this.deliveries.push(delivery);
		this.sentBytes.set(delivery, { rawBody, headers });
		return delivery;
	}

	/** The body a delivery carried (parsed JSON, or the form fields), for the chat view; undefined when unknown. */
	deliveryBody(delivery: Delivery): unknown {
		const sent = this.sentBytes.get(delivery);
		if (!sent) return undefined;
		try {
			return JSON.parse(sent.rawBody);
		} catch {
			return Object.fromEntries(new URLSearchParams(sent.rawBody));
		}
	}

	/**
	 * Sends a delivery again byte for byte (same event id, same signature), as Meta and the gateways retry a
	 * webhook they think was not received; to `url` when given (e.g. another n8n webhook process), else where it went.
	 */
	async redeliver(delivery: Delivery, url?: string): Promise<Delivery> {
		const [sent] = await this.redeliverMany(delivery, { url });
		return sent;
	}

	/**
	 * `times` copies of a delivery, all at once when `concurrent`, else one after another. Unsigned headers may
	 * differ on a retry (e.g. a gateway's delivery id): `headers` overrides them; the signed bytes never change.
	 */
	async redeliverMany(delivery: Delivery, options: { url?: string; times?: number; concurrent?: boolean; headers?: Record<string, string> } = {}): Promise<Delivery[]> {
		const sent = this.sentBytes.get(delivery);
		if (!sent) throw new SandboxError(404, 'Not a delivery of this sandbox (or reset since).');
		const times = Math.min(Math.max(options.times ?? 1, 1), 50);
		const headers = { ...sent.headers, ...(options.headers ?? {}) };
		const send = () => this.post(delivery.service, `${delivery.event.replace(/ \(redelivered\)$/, '')} (redelivered)`, options.url ?? delivery.url, sent.rawBody, headers);
		if (options.concurrent === true) return await Promise.all(Array.from({ length: times }, send));
		const copies: Delivery[] = [];
		for (let i = 0; i < times; i += 1) copies.push(await send());
		return copies;
	}

	/** The URL configured for the business number a Meta body is about (metaNumberUrls), if any. */
	private numberRoute(rawBody: string): string | undefined {
		const routes = this.options.metaNumberUrls;
		if (!routes) return undefined;
		const value = (JSON.parse(rawBody) as { entry?: Array<{ changes?: Array<{ value?: { metadata?: { phone_number_id?: string } } }> }> }).entry?.[0]?.changes?.[0]?.value;
		return routes[String(value?.metadata?.phone_number_id ?? '')];
	}

	/** Signs and sends a Meta webhook body (Meta's envelope) as Meta would; public for the customer actions. */
	deliverMeta(event: string, rawBody: string, url?: string, phoneNumberId?: string, field?: string): Promise<Delivery> {
		return this.deliver('meta', event, this.metaCallbackUrl(url ?? this.numberRoute(rawBody), phoneNumberId, field), rawBody, {
			'content-type': 'application/json',
			'x-hub-signature-256': signMetaBody(rawBody, this.meta.appSecret),
		});
	}

	/**
	 * Who is ordering. `customer: "username"` (or a `userId` of a customer who adopted a username) plays a
	 * customer whose phone Meta withholds: the webhook carries only `from_user_id`, `contacts[].user_id` and
	 * `profile.username`, as Meta does since April 2026. Otherwise a customer with a phone (and a BSUID too).
	 */
	customerFor(input: Entity): { userId: string; waId: string | null; username?: string; name: string } {
		const wanted = input.userId ? String(input.userId) : input.customer === 'username' ? 'BR.8812004471' : undefined;
		if (wanted) {
			const known = this.meta.state.customers.get(wanted);
			const withheld = input.customer === 'username' || (known !== undefined && known.waId === null);
			return {
				userId: wanted,
				waId: withheld ? null : String(input.from ?? known?.waId ?? ''),
				username: String(input.username ?? known?.username ?? '') || undefined,
				name: String(input.name ?? known?.name ?? 'Ana'),
			};
		}
		const waId = String(input.from ?? '919800000001');
		const known = [...this.meta.state.customers.entries()].find(([, c]) => c.waId === waId);
		return {
			userId: known?.[0] ?? `IN.${waId.slice(-10)}4471`,
			waId,
			username: input.username ? String(input.username) : undefined,
			name: String(input.name ?? known?.[1].name ?? 'Asha'),
		};
	}

	/** Any webhook value Meta could send (one `changes[].value`), signed with the app secret. */
	async metaWebhook(input: Entity): Promise<Delivery> {
		if (typeof input.value !== 'object' || input.value === null) throw new SandboxError(400, 'Pass "value": the changes[].value object to deliver.');
		const phoneNumberId = (input.phoneNumberId as string | undefined) ?? this.meta.state.phoneNumbers[0].id;
		const field = String(input.field ?? 'messages');
		return await this.deliverMeta(String(input.event ?? 'custom'), this.metaEnvelope(input.value as Entity, phoneNumberId, field), input.url as string | undefined, phoneNumberId, field);
	}

	/** The customer sends a cart from the catalog: Meta's `order` message webhook. */
	async customerOrder(input: Entity): Promise<{ messageId: string; userId: string; waId: string | null; delivery: Delivery }> {
		this.sequence += 1;
		const customer = this.customerFor(input);
		const messageId = realWamid(customer.waId ?? customer.userId);
		const items = (Array.isArray(input.items) ? input.items : [
			{ retailerId: 'masala-chai', quantity: 2, price: '120.00', currency: 'INR' },
			{ retailerId: 'samosa', quantity: 3, price: '25.50', currency: 'INR' },
		]) as Entity[];
		const body = this.metaEnvelope({
			contacts: [{
				profile: { name: customer.name, ...(customer.username ? { username: customer.username } : {}) },
				...(customer.waId ? { wa_id: customer.waId } : {}),
				user_id: customer.userId,
			}],
			messages: [{
				// Meta omits `from` when it withholds the phone (it is not replaced by the BSUID).
				...(customer.waId ? { from: customer.waId } : {}),
				from_user_id: customer.userId,
				id: messageId,
				timestamp: String(Math.floor(Date.now() / 1000)),
				type: 'order',
				order: {
					catalog_id: this.meta.state.catalogs[0].id,
					text: String(input.text ?? 'Please deliver fast'),
					product_items: items.map((item) => ({
						product_retailer_id: String(item.retailerId),
						quantity: Number(item.quantity),
						// Meta sends item_price as a JSON number in major units.
						item_price: Number(item.price),
						currency: String(item.currency),
					})),
				},
			}],
		}, input.phoneNumberId as string | undefined);
		const delivery = await this.deliverMeta('order', body, input.url as string | undefined, input.phoneNumberId as string | undefined);
		return { messageId, userId: customer.userId, waId: customer.waId, delivery };
	}

	/** The order_details message the business sent for a reference id (the latest one; any when empty). */
	findOrderDetails(referenceId: string): Entity | undefined {
		for (const sent of [...this.meta.sent].reverse()) {
			const interactive = (sent.message.interactive ?? {}) as Entity;
			const parameters = ((interactive.action ?? {}) as Entity).parameters as Entity | undefined;
			if (interactive.type === 'order_details' && (!referenceId || parameters?.reference_id === referenceId)) return { ...sent, parameters };
		}
		return undefined;
	}

	/** The customer pays an order_details in WhatsApp: the payment is captured and Meta posts its status. */
	async customerPay(input: Entity): Promise<{ payment: Entity; delivery: Delivery }> {
		let referenceId = String(input.referenceId ?? '');
		const found = this.findOrderDetails(referenceId);
		if (!found) throw new SandboxError(404, `No order_details message with reference_id "${referenceId}" was sent to the sandbox.`);
		const parameters = found.parameters as Entity;
		referenceId = String(parameters.reference_id);
		const settings = ((parameters.payment_settings ?? []) as Entity[])[0] ?? {};
		const gateway = (settings.payment_gateway ?? {}) as Entity;
		const configuration = String(gateway.configuration_name ?? this.meta.state.paymentConfigurations[0].configuration_name);
		const amount = parameters.total_amount as { value: number; offset: number };
		const status = String(input.status ?? 'captured');
		// The gateway's pass-through fields (PayU udf1-4, Razorpay receipt/notes, ...) come back with the transaction.
		const passThrough = (gateway[String(gateway.type ?? 'razorpay')] ?? {}) as Entity;
		const transaction = { id: `order_${referenceId}`, pg_transaction_id: `pay_${referenceId}`, type: String(gateway.type ?? 'razorpay'), status: status === 'captured' ? 'success' : 'failed', method: { type: 'upi' }, ...passThrough };
		const payment: Entity = { reference_id: referenceId, status, currency: parameters.currency, amount, transactions: [{ ...transaction, amount }] };
		this.meta.state.payments.set(`${configuration}/${referenceId}`, payment);
		const message = found.message as Entity;
		// The status names the customer the way the order was addressed: phone (`to`) or BSUID (`recipient`).
		const phone = message.to === undefined ? undefined : String(message.to).replace(/^\+/, '');
		const userId = message.recipient === undefined
			? [...this.meta.state.customers.entries()].find(([, c]) => c.waId === phone)?.[0]
			: String(message.recipient);
		const body = this.metaEnvelope({
			statuses: [{
				id: `gBGG${Buffer.from(`${referenceId}:${Date.now()}`).toString('base64').replace(/=+$/, '')}`,
				...(phone ? { recipient_id: phone } : {}),
				...(userId ? { recipient_user_id: userId } : {}),
				type: 'payment',
				status,
				timestamp: String(Math.floor(Date.now() / 1000)),
				payment: { reference_id: referenceId, amount, currency: parameters.currency, transaction },
			}],
		}, String(found.phoneNumberId));
		return { payment, delivery: await this.deliverMeta('paymentStatus', body, input.url as string | undefined, String(found.phoneNumberId)) };
	}

	// ---- the gateways ------------------------------------------------------------------------------

	gatewayWebhookUrl(gateway: GatewayId, url?: string): string {
		const target = url ?? this.options.gatewayWebhookUrls?.[gateway];
		if (!target) throw new SandboxError(400, `No webhook URL for ${gateway}: pass "url" (the Payment Gateway Trigger's Production URL).`);
		return target;
	}

	private latest(map: Map<string, Entity>): string | undefined {
		return [...map.keys()].pop();
	}

	/**
	 * Stripe posts an event to every webhook endpoint registered for it (a Payment Gateway Trigger registers one on
	 * activation), signed with that endpoint's secret. An explicit `url`, or no registered endpoint, falls back to
	 * the configured URL signed with the credential's signing secret (a dashboard-registered endpoint).
	 */
	private async deliverStripe(event: string, type: string, object: Entity, url?: string): Promise<Delivery> {
		const registered = url ? [] : this.stripe.endpointDeliveries(type, object);
		if (registered.length === 0) {
			const signed = this.stripe.webhook(type, object);
			return await this.deliver('stripe', event, this.gatewayWebhookUrl('stripe', url), signed.rawBody, signed.headers);
		}
		const deliveries: Delivery[] = [];
		for (const target of registered) deliveries.push(await this.deliver('stripe', event, target.url, target.rawBody, target.headers));
		return deliveries[0];
	}

	/** The customer pays a gateway link (latest one unless linkId is given); the gateway posts its signed webhook. */
	async gatewayPay(gateway: GatewayId, input: Entity): Promise<{ linkId: string; delivery: Delivery }> {
		if (gateway === 'stripe') {
			const linkId = String(input.linkId ?? this.latest(this.stripe.sessions) ?? '');
			if (!this.stripe.sessions.has(linkId)) throw new SandboxError(404, `No Stripe Checkout Session "${linkId}".`);
			this.stripe.markLinkPaid(linkId);
			return { linkId, delivery: await this.deliverStripe('link.paid', 'checkout.session.completed', this.stripe.sessions.get(linkId) as Entity, input.url as string | undefined) };
		}
		const url = this.gatewayWebhookUrl(gateway, input.url as string | undefined);
		switch (gateway) {
			case 'razorpay': {
				const linkId = String(input.linkId ?? this.latest(this.razorpay.links) ?? '');
				if (!this.razorpay.links.has(linkId)) throw new SandboxError(404, `No Razorpay payment link "${linkId}".`);
				this.razorpay.markLinkPaid(linkId);
				const signed = this.razorpay.linkPaidWebhook(linkId);
				return { linkId, delivery: await this.deliver(gateway, 'link.paid', url, signed.rawBody, signed.headers) };
			}
			case 'payu': {
				const linkId = String(input.linkId ?? this.latest(this.payu.links) ?? '');
				const txn = this.payu.payLink(linkId);
				const form = new URLSearchParams(this.payu.notification(txn)).toString();
				return { linkId, delivery: await this.deliver(gateway, 'payment.succeeded', url, form, { 'content-type': 'application/x-www-form-urlencoded' }) };
			}
			case 'lyra': {
				const linkId = String(input.linkId ?? this.latest(this.lyra.paymentOrders) ?? '');
				const transaction = this.lyra.payOrder(linkId);
				const form = new URLSearchParams(this.lyra.ipn(String(transaction.uuid))).toString();
				return { linkId, delivery: await this.deliver(gateway, 'payment.succeeded', url, form, { 'content-type': 'application/x-www-form-urlencoded' }) };
			}
			default:
				throw new SandboxError(404, `Unknown gateway "${String(gateway)}".`);
		}
	}

	/** Stripe sends any event (`type`, `object`) to the endpoints registered for it, or to `url` signed with the credential's secret. */
	async stripeEvent(input: Entity): Promise<Delivery> {
		return await this.deliverStripe(String(input.type), String(input.type), (input.object ?? {}) as Entity, input.url as string | undefined);
	}

	/** PayU or Lyra notifies a successful payment that was not made through a link (e.g. a checkout page). */
	async gatewayNotify(gateway: 'payu' | 'lyra', input: Entity): Promise<Delivery> {
		const url = this.gatewayWebhookUrl(gateway, input.url as string | undefined);
		const amount = typeof input.amount === 'number' ? input.amount : 49900;
		const form =
			gateway === 'payu'
				? new URLSearchParams(this.payu.notification(this.payu.addTransaction({ paise: amount, status: 'success' }))).toString()
				: new URLSearchParams(
						this.lyra.ipn(String(this.lyra.addTransaction({ amount, currency: 'EUR', orderId: `ORD-${Date.now()}`, paid: true }).uuid)),
					).toString();
		return await this.deliver(gateway, 'payment.succeeded', url, form, { 'content-type': 'application/x-www-form-urlencoded' });
	}

	/** A gateway link expires unpaid; Razorpay and Stripe post their expiry webhooks. */
	async gatewayExpire(gateway: GatewayId, input: Entity): Promise<{ linkId: string; delivery: Delivery }> {
		if (gateway === 'stripe') {
			const linkId = String(input.linkId ?? this.latest(this.stripe.sessions) ?? '');
			const session = this.stripe.sessions.get(linkId);
			if (!session) throw new SandboxError(404, `No Stripe Checkout Session "${linkId}".`);
			session.status = 'expired';
			return { linkId, delivery: await this.deliverStripe('link.expired', 'checkout.session.expired', session, input.url as string | undefined) };
		}
		const url = this.gatewayWebhookUrl(gateway, input.url as string | undefined);
		if (gateway === 'razorpay') {
			const linkId = String(input.linkId ?? this.latest(this.razorpay.links) ?? '');
			const link = this.razorpay.links.get(linkId);
			if (!link) throw new SandboxError(404, `No Razorpay payment link "${linkId}".`);
			link.status = 'expired';
			const signed = this.razorpay.webhook('payment_link.expired', { payment_link: link });
			return { linkId, delivery: await this.deliver(gateway, 'link.expired', url, signed.rawBody, signed.headers) };
		}
		throw new SandboxError(400, `${gateway} sends no expiry webhook in the sandbox.`);
	}

	// ---- control API -------------------------------------------------------------------------------

	/** What every service received, without the bodies' raw bytes. */
	requests(): Entity[] {
		return Object.entries(this.services).flatMap(([service, counterpart]) =>
			counterpart.requests.map((r) => ({ service, method: r.method, path: r.path, query: r.query, body: r.body, at: new Date(r.at).toISOString() })),
		);
	}

	reset(): void {
		// Endpoints registered by active workflows outlive a reset, as they would at Stripe.
		const endpoints = [...this.stripe.endpoints];
		for (const service of Object.values(this.services)) service.reset();
		for (const [id, endpoint] of endpoints) this.stripe.endpoints.set(id, endpoint);
		this.deliveries.length = 0;
		this.customer.ticks.clear();
	}

	private async route(method: string, path: string, body: Entity): Promise<{ status: number; body: unknown }> {
		const ok = (value: unknown) => ({ status: 200, body: value });
		if (method === 'GET' && path === '/_sandbox') return ok({ urls: this.urls(), credentials: Object.keys(this.credentials()) });
		if (method === 'GET' && path === '/_sandbox/messages') return ok(this.meta.sent);
		if (method === 'GET' && path === '/_sandbox/requests') return ok(this.requests());
		if (method === 'GET' && path === '/_sandbox/webhooks') return ok(this.deliveries);
		if (method === 'GET' && path === '/_sandbox/gateways') {
			return ok({
				razorpay: { links: [...this.razorpay.links.values()], refunds: [...this.razorpay.refunds.values()] },
				stripe: {
					sessions: [...this.stripe.sessions.values()],
					refunds: [...this.stripe.refunds.values()],
					webhookEndpoints: [...this.stripe.endpoints.values()].map(({ secret: _secret, ...endpoint }) => endpoint),
				},
			});
		}
		if (method === 'POST' && path === '/_sandbox/reset') return ok((this.reset(), { reset: true }));
		if (method === 'POST' && path === '/_sandbox/webhooks/redeliver') {
			// The latest delivery unless `index` (0-based, as listed by GET /_sandbox/webhooks) says which.
			const delivery = this.deliveries[body.index === undefined ? this.deliveries.length - 1 : Number(body.index)];
			if (!delivery) throw new SandboxError(404, 'No such delivery.');
			if (body.times === undefined && body.concurrent === undefined && body.headers === undefined) return ok(await this.redeliver(delivery, body.url as string | undefined));
			return ok(await this.redeliverMany(delivery, {
				url: body.url as string | undefined,
				times: typeof body.times === 'number' ? body.times : undefined,
				concurrent: body.concurrent === true,
				headers: (body.headers ?? undefined) as Record<string, string> | undefined,
			}));
		}
		if (method === 'POST' && path === '/_sandbox/customer/order') return ok(await this.customerOrder(body));
		if (method === 'POST' && path === '/_sandbox/customer/pay') return ok(await this.customerPay(body));
		if (method === 'GET' && path === '/_sandbox/chat/state') return ok(await chatState(this));
		const customerAction = await this.customer.route(method, path, body);
		if (customerAction) return ok(customerAction.body);
		const gateway = /^\/_sandbox\/gateway\/(razorpay|stripe|payu|lyra)\/(pay|expire)$/.exec(path);
		if (method === 'POST' && gateway) {
			const id = gateway[1] as GatewayId;
			return ok(gateway[2] === 'pay' ? await this.gatewayPay(id, body) : await this.gatewayExpire(id, body));
		}
		return { status: 404, body: { error: `no sandbox route ${method} ${path}` } };
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		// The chat view (HTML, its script and stylesheet, live updates) is not JSON: sandbox/chat/server.ts serves it.
		if (await serveChat(this, req, res)) return;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		let reply: { status: number; body: unknown };
		try {
			const text = Buffer.concat(chunks).toString('utf8');
			const body = text ? (JSON.parse(text) as Entity) : {};
			reply = await this.route((req.method ?? 'GET').toUpperCase(), new URL(req.url ?? '/', 'http://sandbox').pathname, body);
		} catch (error) {
			reply = { status: error instanceof SandboxError ? error.status : 500, body: { error: (error as Error).message } };
		}
		res.writeHead(reply.status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(reply.body, null, 2));
	}
}

export class SandboxError extends Error {
	constructor(readonly status: number, message: string) {
		super(message);
	}
}
