/**
 * What the customer (and the gateways' checkout pages) do from the chat view, beyond ordering and paying a bill:
 * tap a reply button or a list row, answer a template's quick reply, write a text, let the messages be delivered
 * and read (Meta's message status webhooks, which the chat shows as ticks), and open and pay or let expire a
 * gateway link found in a message. Every webhook is built as Meta / the gateway builds it and signed by the
 * sandbox. Routes: see `route()`; the README's control API table lists them.
 */
import type { Delivery, GatewayId, Sandbox } from './sandbox';
import { SandboxError } from './sandbox';
import { CATALOG_PRODUCTS } from './shops';

type Entity = Record<string, unknown>;

export type TickStatus = 'sent' | 'delivered' | 'read';

/** A gateway link the sandbox knows, found by its URL (as it appears in a WhatsApp message). */
export interface KnownLink {
	url: string;
	gateway: GatewayId;
	/** Which shop's account made it (two Lyra shops). */
	account: string;
	linkId: string;
	amountMinor: number;
	currency: string;
	status: string;
	reference: string;
}

const LOST = 'http://127.0.0.1:9/webhook-lost';

export class CustomerActions {
	/** The latest status the sandbox reported to the business for each message it accepted (ticks). */
	readonly ticks = new Map<string, TickStatus>();
	/** Stripe clears a Checkout Session's url once it is paid: the URL the customer saw is kept here. */
	private readonly stripeUrls = new Map<string, string>();

	constructor(private readonly sandbox: Sandbox) {}

	async route(method: string, path: string, body: Entity): Promise<{ body: unknown } | undefined> {
		if (method === 'GET' && path === '/_sandbox/catalog') return { body: { catalogId: this.sandbox.meta.state.catalogs[0].id, products: CATALOG_PRODUCTS } };
		if (method === 'GET' && path === '/_sandbox/links') return { body: this.links() };
		if (method !== 'POST') return undefined;
		switch (path) {
			case '/_sandbox/customer/reply':
				return { body: await this.reply(body) };
			case '/_sandbox/customer/text':
				return { body: await this.text(body) };
			case '/_sandbox/customer/read':
				return { body: await this.read(body) };
			case '/_sandbox/customer/pay-unnotified':
				// The customer pays but Meta's payment webhook never reaches n8n: only a look-up (reconciliation) finds it.
				return { body: await this.sandbox.customerPay({ ...body, url: LOST }) };
			case '/_sandbox/link/pay':
				return { body: await this.payLink(body) };
			case '/_sandbox/link/expire':
				return { body: await this.expireLink(body) };
			default:
				return undefined;
		}
	}

	/** The business message the customer acts on, by wamid (latest when none is given). */
	private sentMessage(messageId: unknown): { id: string; phoneNumberId: string; message: Entity } {
		const sent = this.sandbox.meta.sent;
		const found = messageId ? sent.find((m) => m.id === String(messageId)) : sent[sent.length - 1];
		if (!found) throw new SandboxError(404, `No message "${String(messageId ?? '')}" was sent by the business.`);
		return found;
	}

	/** The customer a business message went to, as `customerFor` input (phone, or BSUID for a username customer). */
	private customerOf(message: Entity): Entity {
		if (message.to !== undefined) return { from: String(message.to).replace(/^\+/, '') };
		return { userId: String(message.recipient) };
	}

	/** contacts[] and the sender fields of an inbound message, for a customer with or without a phone. */
	private sender(input: Entity): { contacts: Entity[]; from: Entity; customer: ReturnType<Sandbox['customerFor']> } {
		const customer = this.sandbox.customerFor(input);
		return {
			customer,
			contacts: [{
				profile: { name: customer.name, ...(customer.username ? { username: customer.username } : {}) },
				...(customer.waId ? { wa_id: customer.waId } : {}),
				user_id: customer.userId,
			}],
			from: { ...(customer.waId ? { from: customer.waId } : {}), from_user_id: customer.userId },
		};
	}

	private async inbound(event: string, input: Entity, phoneNumberId: string, message: Entity, url?: string): Promise<{ messageId: string; delivery: Delivery }> {
		const { contacts, from, customer } = this.sender(input);
		const messageId = this.sandbox.meta.nextWamid(customer.waId ?? customer.userId);
		const body = this.sandbox.metaEnvelope({
			contacts,
			messages: [{ ...from, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
		}, phoneNumberId);
		return { messageId, delivery: await this.sandbox.deliverMeta(event, body, url) };
	}

	/**
	 * A tap on a reply button or a list row of an interactive message, or on a template's quick-reply button.
	 * `{messageId, replyId, title, description?}`: the tapped message (latest when absent) names the customer.
	 */
	async reply(input: Entity): Promise<{ messageId: string; delivery: Delivery }> {
		const tapped = this.sentMessage(input.messageId);
		const message = tapped.message;
		const title = String(input.title ?? '').trim();
		if (!title) throw new SandboxError(400, 'Pass "title": the text of the button or row tapped.');
		const context = { from: this.displayNumber(tapped.phoneNumberId), id: tapped.id };
		const customer = { ...this.customerOf(message), ...(input.name ? { name: input.name } : {}) };
		if (message.type === 'template') {
			// A template's quick-reply button: Meta sends type "button" with the payload set at send time (else the text).
			const payload = String(input.replyId ?? title);
			return await this.inbound('interactiveReply', customer, tapped.phoneNumberId, { context, type: 'button', button: { payload, text: title } }, input.url as string | undefined);
		}
		const interactiveType = String(((message.interactive ?? {}) as Entity).type ?? '');
		const id = String(input.replyId ?? '');
		if (!id) throw new SandboxError(400, 'Pass "replyId": the id of the button or row tapped.');
		const reply = interactiveType === 'list'
			? { type: 'list_reply', list_reply: { id, title, ...(input.description ? { description: String(input.description) } : {}) } }
			: { type: 'button_reply', button_reply: { id, title } };
		return await this.inbound('interactiveReply', customer, tapped.phoneNumberId, { context, type: 'interactive', interactive: reply }, input.url as string | undefined);
	}

	/** The customer writes a text `{text, phoneNumberId?, from? | customer: "username" | userId?}`. */
	async text(input: Entity): Promise<{ messageId: string; delivery: Delivery }> {
		const text = String(input.text ?? '').trim();
		if (!text || text.length > 4096) throw new SandboxError(400, 'Pass "text": 1 to 4096 characters.');
		const phoneNumberId = String(input.phoneNumberId ?? this.sandbox.meta.state.phoneNumbers[0].id);
		return await this.inbound('text', input, phoneNumberId, { type: 'text', text: { body: text } }, input.url as string | undefined);
	}

	/**
	 * The customer's phone received (`delivered`) or opened (`read`) business messages: Meta's status webhooks, one
	 * delivery per business number. `{messageIds?: [...], status}`; without ids, every message not yet at that status.
	 */
	async read(input: Entity): Promise<{ updated: string[]; deliveries: Delivery[] }> {
		const status = String(input.status ?? 'read') as TickStatus;
		if (status !== 'delivered' && status !== 'read') throw new SandboxError(400, 'status must be "delivered" or "read".');
		const rank = { sent: 0, delivered: 1, read: 2 };
		const wanted = Array.isArray(input.messageIds) ? new Set(input.messageIds.map(String)) : undefined;
		const byNumber = new Map<string, Entity[]>();
		const updated: string[] = [];
		for (const sent of this.sandbox.meta.sent) {
			if (wanted && !wanted.has(sent.id)) continue;
			if (rank[this.ticks.get(sent.id) ?? 'sent'] >= rank[status]) continue;
			// Meta never delivers a message sent to a BSUID in `to` (it was accepted only).
			if (this.sandbox.meta.undeliverable.some((u) => u.id === sent.id)) continue;
			const phone = sent.message.to === undefined ? undefined : String(sent.message.to).replace(/^\+/, '');
			const userId = sent.message.recipient === undefined
				? [...this.sandbox.meta.state.customers.entries()].find(([, c]) => c.waId === phone)?.[0]
				: String(sent.message.recipient);
			const list = byNumber.get(sent.phoneNumberId) ?? [];
			list.push({
				id: sent.id,
				status,
				timestamp: String(Math.floor(Date.now() / 1000)),
				...(phone ? { recipient_id: phone } : {}),
				...(userId ? { recipient_user_id: userId } : {}),
			});
			byNumber.set(sent.phoneNumberId, list);
			this.ticks.set(sent.id, status);
			updated.push(sent.id);
		}
		const deliveries: Delivery[] = [];
		for (const [phoneNumberId, statuses] of byNumber) {
			deliveries.push(await this.sandbox.deliverMeta('messageStatus', this.sandbox.metaEnvelope({ statuses }, phoneNumberId), input.url as string | undefined));
		}
		return { updated, deliveries };
	}

	private displayNumber(phoneNumberId: string): string {
		const phone = this.sandbox.meta.state.phoneNumbers.find((p) => p.id === phoneNumberId);
		return (phone?.display_phone_number ?? '').replace(/\D/g, '');
	}

	/** Every gateway link made at the sandbox, with the URL a customer sees. */
	links(): KnownLink[] {
		const s = this.sandbox;
		const found: KnownLink[] = [];
		for (const link of s.razorpay.links.values()) {
			found.push({ url: String(link.short_url), gateway: 'razorpay', account: 'razorpay', linkId: String(link.id), amountMinor: Number(link.amount), currency: String(link.currency), status: String(link.status), reference: String(link.reference_id ?? '') });
		}
		for (const session of s.stripe.sessions.values()) {
			if (session.url) this.stripeUrls.set(String(session.id), String(session.url));
			const url = this.stripeUrls.get(String(session.id)) ?? '';
			found.push({ url, gateway: 'stripe', account: 'stripe', linkId: String(session.id), amountMinor: Number(session.amount_total ?? 0), currency: String(session.currency ?? '').toUpperCase(), status: String(session.payment_status === 'paid' ? 'paid' : session.status), reference: String(session.client_reference_id ?? '') });
		}
		for (const link of s.payu.links.values()) {
			found.push({ url: String(link.paymentLink), gateway: 'payu', account: 'payu', linkId: String(link.invoiceNumber), amountMinor: Math.round(Number(link.totalAmount) * 100), currency: 'INR', status: String(link.status), reference: String(link.invoiceNumber) });
		}
		for (const [account, lyra] of [['lyra', s.lyra], ['lyraLyon', s.lyraLyon]] as const) {
			for (const order of lyra.paymentOrders.values()) {
				found.push({ url: String(order.paymentURL), gateway: 'lyra', account, linkId: String(order.paymentOrderId), amountMinor: Number(order.amount), currency: String(order.currency), status: String(order.paymentOrderStatus), reference: String(order.orderId ?? '') });
			}
		}
		return found;
	}

	private link(input: Entity): KnownLink {
		const url = String(input.url ?? '').trim();
		const known = this.links().find((link) => link.url === url || (input.linkId !== undefined && link.linkId === String(input.linkId)));
		if (!known) throw new SandboxError(404, `No gateway link "${url || String(input.linkId ?? '')}" was made at the sandbox.`);
		return known;
	}

	/** Opens a link from a message and pays it: the gateway (the right shop's account) posts its signed webhook. */
	async payLink(input: Entity): Promise<{ link: KnownLink; delivery: Delivery }> {
		const link = this.link(input);
		const target = input.webhookUrl as string | undefined;
		if (link.account === 'lyraLyon') {
			const lyon = this.sandbox.lyraLyon;
			const transaction = lyon.payOrder(link.linkId);
			const url = target ?? this.sandbox.options.lyraShopWebhookUrls?.lyon;
			if (!url) throw new SandboxError(400, 'No webhook URL for the Lyon Lyra shop: pass "webhookUrl".');
			const form = new URLSearchParams(lyon.ipn(String(transaction.uuid))).toString();
			return { link, delivery: await this.sandbox.deliver('lyra', 'payment.succeeded', url, form, { 'content-type': 'application/x-www-form-urlencoded' }) };
		}
		const url = target ?? (link.gateway === 'lyra' ? this.sandbox.options.lyraShopWebhookUrls?.paris : undefined);
		const { delivery } = await this.sandbox.gatewayPay(link.gateway, { linkId: link.linkId, ...(url ? { url } : {}) });
		return { link: this.link({ linkId: link.linkId }), delivery };
	}

	/** The link expires unpaid (Razorpay and Stripe post their expiry webhooks). */
	async expireLink(input: Entity): Promise<{ link: KnownLink; delivery: Delivery }> {
		const link = this.link(input);
		const { delivery } = await this.sandbox.gatewayExpire(link.gateway, { linkId: link.linkId, ...(input.webhookUrl ? { url: input.webhookUrl } : {}) });
		return { link: this.link({ linkId: link.linkId }), delivery };
	}
}
