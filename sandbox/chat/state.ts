/**
 * The chat view's model, computed from what the sandbox recorded (nothing is kept twice): one conversation per
 * customer and business number, holding the messages the business sent (as Meta accepted them, with their ticks
 * and the n8n execution that sent them where known), what the customer sent (the signed webhooks, with n8n's
 * answer), payment events, and the messages Lyra sent on its own WhatsApp channel.
 */
import type { Sandbox } from '../sandbox';
import { CATALOG_PRODUCTS } from '../shops';

type Entity = Record<string, any>;

export interface ChatCustomer {
	key: string;
	name: string;
	phone: string | null;
	userId: string | null;
	username: string | null;
}

export interface ChatEntry {
	/** `out`: the business (or a gateway on its behalf) wrote; `in`: the customer; `event`: a payment happened. */
	direction: 'out' | 'in' | 'event';
	id: string;
	at: string;
	message: Entity;
	status?: string;
	via?: string;
	answer?: { status: number; url: string };
	execution?: { id: string; url: string; status?: string };
}

export interface Conversation {
	key: string;
	customer: ChatCustomer;
	shop: { id: string; name: string; phone: string };
	entries: ChatEntry[];
}

interface Execution {
	id: string;
	workflowId: string;
	startedAt?: string;
	stoppedAt?: string | null;
	status?: string;
}

/** Recent executions, fetched at most once a second (the page may ask often). */
let executionCache: { at: number; list: Execution[] } = { at: 0, list: [] };

async function recentExecutions(sandbox: Sandbox): Promise<Execution[]> {
	if (!sandbox.executionSource) return [];
	if (Date.now() - executionCache.at < 1000) return executionCache.list;
	try {
		executionCache = { at: Date.now(), list: (await sandbox.executionSource()) as unknown as Execution[] };
	} catch {
		executionCache = { at: Date.now(), list: executionCache.list };
	}
	return executionCache.list;
}

/** The execution that was running when a message was accepted (the latest started one when several were). */
function executionAt(executions: Execution[], at: number, editorUrl: string | undefined): ChatEntry['execution'] {
	const running = executions
		.filter((e) => e.startedAt && Date.parse(e.startedAt) <= at + 50 && (!e.stoppedAt || Date.parse(e.stoppedAt) >= at - 50))
		.sort((a, b) => Date.parse(b.startedAt!) - Date.parse(a.startedAt!));
	const found = running[0];
	if (!found || !editorUrl) return undefined;
	return { id: String(found.id), url: `${editorUrl}/workflow/${found.workflowId}/executions/${found.id}`, status: found.status };
}

export async function chatState(sandbox: Sandbox): Promise<Entity> {
	const meta = sandbox.meta;
	const shops = new Map(meta.state.phoneNumbers.map((p) => [p.id, { id: p.id, name: p.verified_name, phone: p.display_phone_number }]));
	const customers = new Map<string, ChatCustomer>();
	for (const [userId, known] of meta.state.customers) {
		customers.set(userId, { key: userId, name: known.name ?? known.username ?? userId, phone: known.waId, userId, username: known.username ?? null });
	}
	/** A customer by phone or BSUID; unknown phones become customers of their own. */
	const customerFor = (phone?: string | null, userId?: string | null, name?: string, username?: string): ChatCustomer => {
		if (userId && customers.has(userId)) return customers.get(userId)!;
		const byPhone = phone ? [...customers.values()].find((c) => c.phone === phone) : undefined;
		if (byPhone) return byPhone;
		const key = userId ?? `tel:${phone}`;
		const created = { key, name: name ?? username ?? (phone ? `+${phone}` : key), phone: phone ?? null, userId: userId ?? null, username: username ?? null };
		customers.set(key, created);
		return created;
	};
	const conversations = new Map<string, Conversation>();
	const conversation = (customer: ChatCustomer, shopId: string): Conversation => {
		const key = `${customer.key}@${shopId}`;
		let found = conversations.get(key);
		if (!found) {
			const shop = shops.get(shopId) ?? { id: shopId, name: shopId, phone: '' };
			found = { key, customer, shop, entries: [] };
			conversations.set(key, found);
		}
		return found;
	};

	const executions = await recentExecutions(sandbox);
	for (const sent of meta.sent) {
		const phone = sent.message.to === undefined ? null : String(sent.message.to).replace(/^\+/, '');
		const customer = customerFor(phone, sent.message.recipient === undefined ? null : String(sent.message.recipient));
		conversation(customer, sent.phoneNumberId).entries.push({
			direction: 'out',
			id: sent.id,
			at: new Date(sent.at).toISOString(),
			message: sent.message,
			status: meta.undeliverable.some((u) => u.id === sent.id) ? 'undeliverable' : sandbox.customer.ticks.get(sent.id) ?? 'sent',
			execution: executionAt(executions, sent.at, sandbox.n8nEditorUrl),
		});
	}

	for (const delivery of sandbox.deliveries) {
		if (delivery.service !== 'meta') continue;
		const body = sandbox.deliveryBody(delivery) as Entity | undefined;
		for (const entry of body?.entry ?? []) {
			for (const change of entry.changes ?? []) {
				const value = change.value ?? {};
				const shopId = String(value.metadata?.phone_number_id ?? '');
				const contact = (value.contacts ?? [])[0] ?? {};
				for (const message of value.messages ?? []) {
					const customer = customerFor(message.from ?? contact.wa_id ?? null, message.from_user_id ?? contact.user_id ?? null, contact.profile?.name, contact.profile?.username);
					conversation(customer, shopId).entries.push({ direction: 'in', id: String(message.id), at: delivery.at, message, answer: { status: delivery.status, url: delivery.url } });
				}
				for (const status of value.statuses ?? []) {
					if (status.type !== 'payment') continue;
					const customer = customerFor(status.recipient_id ?? null, status.recipient_user_id ?? null);
					conversation(customer, shopId).entries.push({ direction: 'event', id: String(status.id), at: delivery.at, message: { type: 'payment', payment: status.payment, status: status.status }, answer: { status: delivery.status, url: delivery.url } });
				}
			}
		}
	}

	// Lyra's own WhatsApp channel: Lyra writes to the customer from its number, on the shop's behalf.
	for (const [account, lyra] of [['lyra', sandbox.lyra], ['lyraLyon', sandbox.lyraLyon]] as const) {
		for (const order of lyra.paymentOrders.values()) {
			const details = (order.channelDetails ?? {}) as Entity;
			if (details.channelType !== 'WHATSAPP') continue;
			const phone = String(details.whatsAppDetails?.phoneNumber ?? '').replace(/^\+/, '');
			const shopId = `lyra:${lyra.shopId}`;
			if (!shops.has(shopId)) shops.set(shopId, { id: shopId, name: `Lyra PayLink (shop ${lyra.shopId}${account === 'lyraLyon' ? ', Lyon' : ''})`, phone: 'Lyra WhatsApp channel' });
			conversation(customerFor(phone), shopId).entries.push({
				direction: 'out',
				id: String(order.paymentOrderId),
				at: new Date(Date.parse(String(order.creationDate))).toISOString(),
				via: 'Lyra',
				message: {
					type: 'interactive',
					interactive: {
						type: 'cta_url',
						body: { text: `${String(order.description ?? 'Your payment link')}: ${(Number(order.amount) / 100).toFixed(2)} ${String(order.currency)}` },
						action: { name: 'cta_url', parameters: { display_text: 'Pay', url: String(order.paymentURL) } },
					},
				},
				status: 'sent',
			});
		}
	}

	const list = [...conversations.values()];
	for (const item of list) item.entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
	list.sort((a, b) => Date.parse(b.entries.at(-1)?.at ?? '0') - Date.parse(a.entries.at(-1)?.at ?? '0'));
	const payments = Object.fromEntries([...meta.state.payments.entries()].map(([key, payment]) => [key.split('/').slice(1).join('/'), { status: payment.status, refunded: payment.refunded ?? 0, configuration: key.split('/')[0] }]));
	return {
		n8nUrl: sandbox.n8nEditorUrl ?? null,
		shops: [...shops.values()],
		customers: [...customers.values()],
		catalog: { id: meta.state.catalogs[0]?.id, name: meta.state.catalogs[0]?.name, products: CATALOG_PRODUCTS },
		paymentConfigurations: meta.state.paymentConfigurations.map((c) => ({ name: c.configuration_name, provider: c.provider_name, status: c.status })),
		templates: meta.state.templates,
		payments,
		links: sandbox.customer.links(),
		conversations: list,
	};
}

/** A short fingerprint of everything the chat shows: the page reloads the state when it changes. */
export function chatVersion(sandbox: Sandbox): string {
	const lyraOrders = sandbox.lyra.paymentOrders.size + sandbox.lyraLyon.paymentOrders.size;
	const paid = [...sandbox.meta.state.payments.values()].map((p) => `${String(p.status)}${String(p.refunded ?? 0)}`).join(',');
	const links = sandbox.customer.links().map((l) => l.status).join(',');
	return [sandbox.meta.sent.length, sandbox.deliveries.length, [...sandbox.customer.ticks.values()].join(''), lyraOrders, paid, links, executionCache.list.map((e) => e.status).join('')].join('|');
}
