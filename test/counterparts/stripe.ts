/**
 * A loopback Stripe (Checkout Sessions, Payment Links, PaymentIntents, Refunds, webhook endpoints, balance) for tests, the
 * sandbox and benchmarks. It checks what Stripe checks: the Bearer secret key exactly, form-encoded bodies
 * with bracketed keys (a JSON body is refused), integer amounts, Checkout expiry between 30 minutes and
 * 24 hours, refund limits, and Idempotency-Key (same key + same parameters = the first answer replayed with
 * Idempotent-Replayed: true; same key + other parameters = idempotency_error). Answers in Stripe's object
 * shapes and `{error: {type, code, message, param}}` envelope.
 */
import { createHash, createHmac, randomBytes } from 'crypto';

import { bearerToken, Counterpart } from './server';
import type { RecordedRequest, Reply } from './server';

type Entity = Record<string, unknown>;

const stripeError = (status: number, type: string, message: string, extra: { code?: string; param?: string } = {}): Reply => ({
	status,
	body: { error: { type, message, ...extra, ...(extra.code ? { doc_url: `https://stripe.com/docs/error-codes/${extra.code.replace(/_/g, '-')}` } : {}) } },
});
const invalid = (message: string, param?: string, code?: string): Reply => stripeError(400, 'invalid_request_error', message, { param, code });
const missing = (kind: string, id: string): Reply => stripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param: 'id' });

/** line_items[0][price_data][currency]=x  ->  {line_items: [{price_data: {currency: 'x'}}]} (Stripe's own reading). */
export function parseStripeForm(flat: Record<string, string>): Entity {
	const root: Entity = {};
	for (const [key, value] of Object.entries(flat)) {
		const parts = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
		if (!parts) throw new Error(`malformed key ${key}`);
		const path = [parts[1], ...[...parts[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
		let node: Record<string, unknown> = root;
		path.forEach((segment, index) => {
			if (index === path.length - 1) {
				node[segment] = value;
				return;
			}
			const nextIsIndex = /^\d+$/.test(path[index + 1]);
			if (node[segment] === undefined) node[segment] = nextIsIndex ? [] : {};
			node = node[segment] as Record<string, unknown>;
		});
	}
	return root;
}

/** Stripe's special cases: ISK amounts are two-decimal in the API but must be whole krónur; three-decimal amounts end in 0. */
function specialCaseError(amount: number, currency: string, param: string): Reply | undefined {
	if (currency === 'isk' && amount % 100 !== 0) {
		return invalid('Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#special-cases for more information.', param, 'invalid_charge_amount_no_decimal_compatible');
	}
	if (['bhd', 'jod', 'kwd', 'omr', 'tnd'].includes(currency) && amount % 10 !== 0) {
		return invalid(`Invalid amount. The last digit of ${currency.toUpperCase()} amounts must be 0.`, param, 'invalid_amount');
	}
	return undefined;
}

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
/** Stripe's minimum charge is about 0.50 USD; the counterpart knows it for a few currencies. */
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, inr: 50, jpy: 50 };

function integer(value: unknown, param: string): number | Reply {
	if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return invalid(`Invalid integer: ${String(value)}`, param, 'parameter_invalid_integer');
	return Number(value);
}

function checkMetadata(metadata: unknown, param: string): Reply | undefined {
	if (metadata === undefined) return undefined;
	if (typeof metadata !== 'object' || Array.isArray(metadata)) return invalid('Invalid object', param);
	const entries = Object.entries(metadata as Entity);
	if (entries.length > 50) return invalid('You can only specify up to 50 keys in metadata.', param);
	for (const [key, value] of entries) {
		if (key.length > 40) return invalid(`Metadata keys must be at most 40 characters long (got "${key}").`, `${param}[${key}]`);
		if (String(value).length > 500) return invalid('Metadata values can have up to 500 characters.', `${param}[${key}]`);
	}
	return undefined;
}

export class StripeCounterpart extends Counterpart {
	secretKey = 'sk_test_51Hx00FakeKeyForTheLoopbackCounterpart';
	/** The endpoint's signing secret (signs deliveries, see `webhook`). */
	webhookSigningSecret = 'whsec_counterpart_signing_secret';
	readonly sessions = new Map<string, Entity>();
	readonly paymentLinks = new Map<string, Entity>();
	readonly paymentIntents = new Map<string, Entity>();
	readonly charges = new Map<string, Entity>();
	readonly refunds = new Map<string, Entity>();
	/** Webhook endpoints registered through the API (the trigger registers one on activation), with their secrets. */
	readonly endpoints = new Map<string, Entity & { url: string; enabled_events: string[]; secret: string }>();
	/** Line items kept apart, as Stripe only returns them from the /line_items endpoints. */
	private readonly lineItems = new Map<string, Entity[]>();
	private readonly idempotency = new Map<string, { fingerprint: string; reply: Reply }>();
	private sequence = 0;

	constructor() {
		super('Stripe');
		this.route('GET', '/v1/balance', this.guard(() => ({ status: 200, body: { object: 'balance', livemode: false, available: [{ amount: 0, currency: 'usd' }], pending: [] } })));
		this.route('POST', '/v1/checkout/sessions', this.guard((r, form) => this.createSession(form)));
		this.route('GET', '/v1/checkout/sessions/:id', this.guard((r) => this.get(this.sessions, 'checkout.session', r.params.id)));
		this.route('POST', '/v1/checkout/sessions/:id/expire', this.guard((r) => this.expireSession(r.params.id)));
		this.route('GET', '/v1/checkout/sessions/:id/line_items', this.guard((r) => this.listLineItems(this.sessions, 'checkout.session', r.params.id)));
		this.route('POST', '/v1/payment_links', this.guard((r, form) => this.createPaymentLink(form)));
		this.route('GET', '/v1/payment_links/:id', this.guard((r) => this.get(this.paymentLinks, 'payment_link', r.params.id)));
		this.route('POST', '/v1/payment_links/:id', this.guard((r, form) => this.updatePaymentLink(r.params.id, form)));
		this.route('GET', '/v1/payment_links/:id/line_items', this.guard((r) => this.listLineItems(this.paymentLinks, 'payment_link', r.params.id)));
		this.route('GET', '/v1/payment_intents/:id', this.guard((r) => this.getPaymentIntent(r)));
		this.route('POST', '/v1/refunds', this.guard((r, form) => this.createRefund(form)));
		this.route('POST', '/v1/webhook_endpoints', this.guard((r, form) => this.createEndpoint(form)));
		this.route('GET', '/v1/webhook_endpoints/:id', this.guard((r) => this.getEndpoint(r.params.id)));
		this.route('DELETE', '/v1/webhook_endpoints/:id', this.guard((r) => this.deleteEndpoint(r.params.id)));
		this.route('GET', '/v1/refunds/:id', this.guard((r) => this.get(this.refunds, 'refund', r.params.id)));
	}

	override reset(): void {
		super.reset();
		for (const map of [this.sessions, this.paymentLinks, this.paymentIntents, this.charges, this.refunds, this.lineItems, this.idempotency, this.endpoints]) map.clear();
	}

	/** Auth, form encoding and Idempotency-Key, as Stripe applies them before any endpoint. */
	private guard(handler: (r: RecordedRequest, form: Entity) => Reply): (r: RecordedRequest) => Reply {
		return (r) => {
			const key = bearerToken(r);
			if (key !== this.secretKey) {
				const shown = key ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '';
				return stripeError(401, 'invalid_request_error', key ? `Invalid API Key provided: ${shown}` : 'You did not provide an API key.');
			}
			if (r.method !== 'POST') return handler(r, {});
			const type = String(r.headers['content-type'] ?? '');
			if (r.rawBody.length > 0 && !type.includes('application/x-www-form-urlencoded')) {
				return invalid('Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.');
			}
			let form: Entity;
			try {
				form = parseStripeForm((r.body ?? {}) as Record<string, string>);
			} catch (error) {
				return invalid(`Invalid request: ${(error as Error).message}`);
			}
			const idempotencyKey = r.headers['idempotency-key'];
			if (idempotencyKey === undefined) return handler(r, form);
			if (idempotencyKey.length > 255) return invalid('Idempotency-Key must be at most 255 characters long.', undefined, 'idempotency_key_too_long');
			// Stripe compares the parameters, not the byte order of the body.
			const fingerprint = createHash('sha256').update(`${r.method} ${r.path} ${JSON.stringify(sortKeys(form))}`).digest('hex');
			const seen = this.idempotency.get(idempotencyKey);
			if (seen) {
				if (seen.fingerprint !== fingerprint) {
					return stripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`);
				}
				return { ...seen.reply, headers: { ...(seen.reply.headers ?? {}), 'Idempotent-Replayed': 'true', 'Idempotency-Key': idempotencyKey } };
			}
			const reply = handler(r, form);
			// Stripe keeps the result once the endpoint ran (success or a business error), not for bad parameters.
			const body = reply.body as { error?: { param?: string } } | undefined;
			if (reply.status < 500 && !body?.error?.param) this.idempotency.set(idempotencyKey, { fingerprint, reply });
			return { ...reply, headers: { ...(reply.headers ?? {}), 'Idempotency-Key': idempotencyKey } };
		};
	}

	private id(prefix: string): string {
		this.sequence += 1;
		return `${prefix}_test_${String(this.sequence).padStart(24, '0')}`;
	}

	private now(): number {
		return Math.floor(Date.now() / 1000);
	}

	private get(map: Map<string, Entity>, kind: string, id: string): Reply {
		const entity = map.get(id);
		return entity ? { status: 200, body: entity } : missing(kind, id);
	}

	private listLineItems(map: Map<string, Entity>, kind: string, id: string): Reply {
		if (!map.has(id)) return missing(kind, id);
		const data = this.lineItems.get(id) ?? [];
		return { status: 200, body: { object: 'list', data, has_more: false, url: `/v1/${kind === 'payment_link' ? 'payment_links' : 'checkout/sessions'}/${id}/line_items` } };
	}

	/** Reads line_items[i][price_data]... into Stripe line item objects; the Reply is the first error. */
	private readLineItems(raw: unknown): { items: Entity[]; currency: string; total: number } | Reply {
		if (!Array.isArray(raw) || raw.length === 0) return invalid('Missing required param: line_items.', 'line_items', 'parameter_missing');
		const items: Entity[] = [];
		let currency = '';
		let total = 0;
		for (const [index, entry] of (raw as Entity[]).entries()) {
			const param = `line_items[${index}]`;
			const priceData = entry.price_data as Entity | undefined;
			if (!priceData) return invalid('You must specify either `price` or `price_data` for each line item.', param);
			const itemCurrency = String(priceData.currency ?? '');
			if (!/^[a-zA-Z]{3}$/.test(itemCurrency)) return invalid(`Invalid currency: ${itemCurrency}.`, `${param}[price_data][currency]`);
			if (currency && itemCurrency.toLowerCase() !== currency) return invalid('All line items must use the same currency.', `${param}[price_data][currency]`);
			currency = itemCurrency.toLowerCase();
			const unit = integer(priceData.unit_amount, `${param}[price_data][unit_amount]`);
			if (typeof unit !== 'number') return unit;
			if (unit < 0) return invalid('This value must be greater than or equal to 0.', `${param}[price_data][unit_amount]`);
			const special = specialCaseError(unit, currency, `${param}[price_data][unit_amount]`);
			if (special) return special;
			const quantity = integer(entry.quantity ?? '1', `${param}[quantity]`);
			if (typeof quantity !== 'number') return quantity;
			const name = (priceData.product_data as Entity | undefined)?.name;
			if (!name) return invalid('Missing required param: line_items[0][price_data][product_data][name].', `${param}[price_data][product_data][name]`, 'parameter_missing');
			items.push({
				id: this.id('li'),
				object: 'item',
				amount_subtotal: unit * quantity,
				amount_total: unit * quantity,
				currency,
				description: name,
				quantity,
				price: { id: this.id('price'), object: 'price', currency, unit_amount: unit, product: this.id('prod'), type: 'one_time' },
			});
			total += unit * quantity;
		}
		return { items, currency, total };
	}

	private createSession(form: Entity): Reply {
		if (!form.mode) return invalid('Missing required param: mode.', 'mode', 'parameter_missing');
		if (form.mode !== 'payment') return invalid(`Invalid mode: ${String(form.mode)}; this counterpart plays mode=payment only`, 'mode');
		// Hosted Checkout (the default ui_mode) refuses a session without success_url.
		if (!form.success_url && (form.ui_mode ?? 'hosted') === 'hosted') return invalid('Missing required param: success_url.', 'success_url', 'parameter_missing');
		const lines = this.readLineItems(form.line_items);
		if ('status' in lines) return lines;
		if (lines.total < (MINIMUM[lines.currency] ?? 0)) {
			return invalid(`The Checkout Session's total amount due must add up to at least ${MINIMUM[lines.currency]} ${lines.currency} minor units.`, undefined, 'amount_too_small');
		}
		const metadataError = checkMetadata(form.metadata, 'metadata');
		if (metadataError) return metadataError;
		const now = this.now();
		let expiresAt = now + 86400;
		if (form.expires_at !== undefined) {
			const parsed = integer(form.expires_at, 'expires_at');
			if (typeof parsed !== 'number') return parsed;
			if (parsed < now + 1800) return invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'expires_at');
			if (parsed > now + 86400) return invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'expires_at');
			expiresAt = parsed;
		}
		const reference = form.client_reference_id as string | undefined;
		if (reference !== undefined && reference.length > 200) return invalid('client_reference_id must be at most 200 characters.', 'client_reference_id');
		const id = this.id('cs');
		const session: Entity = {
			id,
			object: 'checkout.session',
			amount_subtotal: lines.total,
			amount_total: lines.total,
			client_reference_id: reference ?? null,
			created: now,
			currency: lines.currency,
			customer_details: form.customer_email ? { email: form.customer_email, name: null, phone: null } : null,
			customer_email: form.customer_email ?? null,
			expires_at: expiresAt,
			livemode: false,
			metadata: form.metadata ?? {},
			mode: 'payment',
			payment_intent: null,
			payment_link: null,
			payment_status: 'unpaid',
			status: 'open',
			success_url: form.success_url ?? null,
			url: `https://checkout.stripe.com/c/pay/${id}`,
		};
		this.sessions.set(id, session);
		this.lineItems.set(id, lines.items);
		this.intentMetadata.set(id, (form.payment_intent_data as Entity | undefined)?.metadata as Entity | undefined);
		return { status: 200, body: session };
	}

	private readonly intentMetadata = new Map<string, Entity | undefined>();

	private expireSession(id: string): Reply {
		const session = this.sessions.get(id);
		if (!session) return missing('checkout.session', id);
		if (session.status !== 'open') {
			return invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`, undefined, 'checkout_session_not_open');
		}
		session.status = 'expired';
		session.url = null;
		return { status: 200, body: session };
	}

	private createPaymentLink(form: Entity): Reply {
		const lines = this.readLineItems(form.line_items);
		if ('status' in lines) return lines;
		const metadataError = checkMetadata(form.metadata, 'metadata');
		if (metadataError) return metadataError;
		const restrictions = form.restrictions as Entity | undefined;
		let limit: number | undefined;
		if (restrictions?.completed_sessions) {
			const parsed = integer((restrictions.completed_sessions as Entity).limit, 'restrictions[completed_sessions][limit]');
			if (typeof parsed !== 'number') return parsed;
			limit = parsed;
		}
		const id = this.id('plink');
		const link: Entity = {
			id,
			object: 'payment_link',
			active: true,
			after_completion: form.after_completion ?? { type: 'hosted_confirmation' },
			currency: lines.currency,
			livemode: false,
			metadata: form.metadata ?? {},
			restrictions: limit === undefined ? null : { completed_sessions: { count: 0, limit } },
			url: `https://buy.stripe.com/test_${id.slice(-10)}`,
		};
		this.paymentLinks.set(id, link);
		this.lineItems.set(id, lines.items);
		this.intentMetadata.set(id, (form.payment_intent_data as Entity | undefined)?.metadata as Entity | undefined);
		return { status: 200, body: link };
	}

	private updatePaymentLink(id: string, form: Entity): Reply {
		const link = this.paymentLinks.get(id);
		if (!link) return missing('payment_link', id);
		if (form.active !== undefined) {
			if (form.active !== 'true' && form.active !== 'false') return invalid(`Invalid boolean: ${String(form.active)}`, 'active');
			link.active = form.active === 'true';
		}
		return { status: 200, body: link };
	}

	private getPaymentIntent(r: RecordedRequest): Reply {
		const intent = this.paymentIntents.get(r.params.id);
		if (!intent) return missing('payment_intent', r.params.id);
		const expand = Object.entries(r.query).filter(([key]) => /^expand\[\d*\]$/.test(key)).map(([, value]) => value);
		if (expand.includes('latest_charge')) return { status: 200, body: { ...intent, latest_charge: this.charges.get(intent.latest_charge as string) } };
		return { status: 200, body: intent };
	}

	/** A succeeded PaymentIntent with its charge (test and sandbox helper). */
	createSucceededPayment(amount: number, currency: string, metadata: Entity = {}): Entity {
		const chargeId = this.id('ch');
		const intent: Entity = {
			id: this.id('pi'),
			object: 'payment_intent',
			amount,
			amount_received: amount,
			currency: currency.toLowerCase(),
			status: 'succeeded',
			latest_charge: chargeId,
			metadata,
			payment_method_types: ['card'],
			created: this.now(),
			livemode: false,
		};
		this.charges.set(chargeId, { id: chargeId, object: 'charge', amount, amount_captured: amount, amount_refunded: 0, currency: intent.currency, payment_intent: intent.id, refunded: false, status: 'succeeded', paid: true });
		this.paymentIntents.set(intent.id as string, intent);
		return intent;
	}

	/** The customer pays a Checkout Session or a Payment Link: returns the succeeded PaymentIntent. */
	markLinkPaid(linkId: string, customer: { name?: string; email?: string; phone?: string } = {}): Entity {
		const lines = this.lineItems.get(linkId);
		const session = this.sessions.get(linkId);
		const link = this.paymentLinks.get(linkId);
		if (!lines || (!session && !link)) throw new Error(`no Checkout Session or Payment Link ${linkId}`);
		const total = lines.reduce((sum, line) => sum + (line.amount_total as number), 0);
		const intent = this.createSucceededPayment(total, lines[0].currency as string, this.intentMetadata.get(linkId) ?? {});
		const details = { email: customer.email ?? (session?.customer_email as string | null) ?? null, name: customer.name ?? null, phone: customer.phone ?? null };
		if (session) {
			if (session.status !== 'open') throw new Error(`session ${linkId} is ${String(session.status)}`);
			Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: intent.id, customer_details: details, url: null });
		} else if (link) {
			const restriction = (link.restrictions as { completed_sessions?: { count: number; limit: number } } | null)?.completed_sessions;
			if (restriction) restriction.count += 1;
			const completed: Entity = { id: this.id('cs'), object: 'checkout.session', amount_total: total, currency: intent.currency, payment_link: linkId, payment_intent: intent.id, status: 'complete', payment_status: 'paid', customer_details: details, metadata: link.metadata };
			this.sessions.set(completed.id as string, completed);
		}
		return intent;
	}

	private createRefund(form: Entity): Reply {
		const intentId = form.payment_intent as string | undefined;
		if (!intentId && !form.charge) return invalid('One of `charge` or `payment_intent` is required.', undefined, 'parameter_missing');
		const intent = intentId ? this.paymentIntents.get(intentId) : undefined;
		if (!intent) return missing('payment_intent', String(intentId ?? form.charge));
		if (intent.status !== 'succeeded') {
			return invalid(`This PaymentIntent (${String(intent.id)}) does not have a successful charge to refund.`, undefined, 'charge_not_refundable');
		}
		const charge = this.charges.get(intent.latest_charge as string)!;
		let amount: number | undefined;
		if (form.amount !== undefined) {
			const parsed = integer(form.amount, 'amount');
			if (typeof parsed !== 'number') return parsed;
			if (parsed <= 0) return invalid('This value must be greater than or equal to 1.', 'amount');
			amount = parsed;
		}
		if (form.reason !== undefined && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(String(form.reason))) {
			return invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer', 'reason');
		}
		const metadataError = checkMetadata(form.metadata, 'metadata');
		if (metadataError) return metadataError;
		const left = (charge.amount as number) - (charge.amount_refunded as number);
		if (left <= 0) return invalid(`Charge ${String(charge.id)} has already been refunded.`, undefined, 'charge_already_refunded');
		const refundAmount = amount ?? left;
		const special = specialCaseError(refundAmount, String(charge.currency), 'amount');
		if (special) return special;
		if (refundAmount > left) {
			const currency = String(charge.currency);
			const show = (minor: number) => (ZERO_DECIMAL.has(currency) ? String(minor) : (minor / 100).toFixed(2));
			return invalid(`Refund amount (${show(refundAmount)} ${currency}) is greater than unrefunded amount on charge (${show(left)} ${currency})`, 'amount', 'amount_too_large');
		}
		charge.amount_refunded = (charge.amount_refunded as number) + refundAmount;
		charge.refunded = charge.amount_refunded === charge.amount;
		const refund: Entity = {
			id: this.id('re'),
			object: 'refund',
			amount: refundAmount,
			charge: charge.id,
			created: this.now(),
			currency: charge.currency,
			metadata: form.metadata ?? {},
			payment_intent: intent.id,
			reason: form.reason ?? null,
			status: 'succeeded',
		};
		this.refunds.set(refund.id as string, refund);
		return { status: 200, body: refund };
	}

	private createEndpoint(form: Entity): Reply {
		const url = form.url;
		if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) return invalid('Invalid URL: URL must be a valid http(s) URL.', 'url', 'url_invalid');
		const events = form.enabled_events;
		if (!Array.isArray(events) || events.length === 0) return invalid('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
		const endpoint = {
			id: this.id('we'),
			object: 'webhook_endpoint',
			api_version: null,
			created: this.now(),
			description: form.description ?? null,
			enabled_events: events.map(String),
			livemode: false,
			metadata: {},
			status: 'enabled',
			url,
			secret: `whsec_${randomBytes(24).toString('hex')}`,
		};
		this.endpoints.set(endpoint.id, endpoint);
		// The signing secret is in the create response only; GET never shows it again.
		return { status: 200, body: endpoint };
	}

	private getEndpoint(id: string): Reply {
		const found = this.endpoints.get(id);
		if (!found) return missing('webhook_endpoint', id);
		const { secret: _secret, ...shown } = found;
		return { status: 200, body: shown };
	}

	private deleteEndpoint(id: string): Reply {
		if (!this.endpoints.delete(id)) return missing('webhook_endpoint', id);
		return { status: 200, body: { id, object: 'webhook_endpoint', deleted: true } };
	}

	/**
	 * What Stripe sends for an event to every registered endpoint enabled for it: the same event, signed with each
	 * endpoint's own secret. The sandbox uses this to reach triggers that registered themselves.
	 */
	endpointDeliveries(type: string, object: Entity): Array<{ url: string; rawBody: string; headers: Record<string, string> }> {
		const eventId = this.id('evt');
		return [...this.endpoints.values()]
			.filter((endpoint) => endpoint.enabled_events.includes(type) || endpoint.enabled_events.includes('*'))
			.map((endpoint) => ({ url: endpoint.url, ...this.webhook(type, object, { eventId, secret: endpoint.secret }) }));
	}

	/**
	 * A webhook delivery as Stripe sends it: the event envelope and Stripe-Signature `t=<unix>,v1=<hex HMAC-SHA256
	 * of "t.body">`. Hand it to a trigger (test/harness/webhook.ts).
	 */
	webhook(type: string, object: Entity, options: { eventId?: string; timestamp?: number; secret?: string } = {}): { rawBody: string; headers: Record<string, string> } {
		const created = options.timestamp ?? this.now();
		const rawBody = JSON.stringify({ id: options.eventId ?? this.id('evt'), object: 'event', api_version: '2024-06-20', created, data: { object }, livemode: false, pending_webhooks: 1, type });
		const v1 = createHmac('sha256', options.secret ?? this.webhookSigningSecret).update(`${created}.${rawBody}`).digest('hex');
		return { rawBody, headers: { 'content-type': 'application/json', 'stripe-signature': `t=${created},v1=${v1}` } };
	}

	/** checkout.session.completed for a Checkout Session paid with `markLinkPaid`. */
	sessionCompletedWebhook(sessionId: string): { rawBody: string; headers: Record<string, string> } {
		const session = this.sessions.get(sessionId);
		if (!session || session.status !== 'complete') throw new Error(`session ${sessionId} is not complete: call markLinkPaid first`);
		return this.webhook('checkout.session.completed', session);
	}

	/** refund.created (status succeeded) for a refund made through the API. */
	refundWebhook(refundId: string): { rawBody: string; headers: Record<string, string> } {
		const refund = this.refunds.get(refundId);
		if (!refund) throw new Error(`no refund ${refundId}`);
		return this.webhook('refund.created', refund);
	}
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.keys(value as Entity).sort().map((key) => [key, sortKeys((value as Entity)[key])]));
	}
	return value;
}
