// The sandbox chat view. Plain browser JavaScript, no build step, no network beyond the sandbox's own control API:
// it reads GET /_sandbox/chat/state, listens to /_sandbox/chat/events (server-sent events; polling when they fail)
// and plays the customer with the control API's POST routes. Text from messages is always set as text, never as HTML.
'use strict';

const API = '/_sandbox';
const state = { data: null, open: null, cart: new Map(), pay: null, link: null, reading: false };
const $ = (id) => document.getElementById(id);

/** Builds an element: h('p', { class: 'x', onclick }, 'text', child). Strings become text nodes. */
function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs || {})) {
		if (value === undefined || value === null || value === false) continue;
		if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
		else if (key === 'class') el.className = value;
		else el.setAttribute(key, value === true ? '' : String(value));
	}
	for (const child of children.flat()) {
		if (child === undefined || child === null || child === false) continue;
		el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
	}
	return el;
}

async function post(path, body) {
	const res = await fetch(`${API}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
	const answer = await res.json().catch(() => ({}));
	if (!res.ok) {
		announce(`The sandbox refused: ${answer.error || res.status}`);
		throw new Error(answer.error || String(res.status));
	}
	return answer;
}

function announce(text) {
	$('live').textContent = text;
}

// ---- money and names ---------------------------------------------------------------------------------------

function money(minor, currency, offset = 100) {
	const value = Number(minor) / Number(offset || 1);
	try {
		return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'INR' }).format(value);
	} catch {
		return `${value.toFixed(2)} ${currency || ''}`;
	}
}
const amount = (a, currency) => (a ? money(a.value, currency, a.offset) : '');
const product = (id) => (state.data?.catalog.products || []).find((p) => p.retailerId === id);
const image = (p) => h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.image)}`, alt: p.name });
const statusLabel = (s) => String(s || '').replace(/_/g, ' ');

function customerLine(c) {
	if (!c) return '';
	if (!c.phone) return `@${c.username || '?'} · no phone shared (Meta gives the business only the BSUID ${c.userId})`;
	return `+${c.phone}${c.userId ? ` · BSUID ${c.userId}` : ''}`;
}

// ---- state, live updates -----------------------------------------------------------------------------------

async function load() {
	const res = await fetch(`${API}/chat/state`);
	state.data = await res.json();
	render();
	void markRead();
}

function listen() {
	let polling;
	const poll = () => {
		if (!polling) polling = setInterval(load, 2000);
	};
	if (!window.EventSource) return poll();
	const events = new EventSource(`${API}/chat/events`);
	events.addEventListener('change', () => {
		announce('live: updates as n8n sends');
		void load();
	});
	events.onerror = () => {
		announce('live updates interrupted: polling every 2 s');
		poll();
	};
}

/** The open chat's messages are read; others delivered (Meta's status webhooks: the ticks). */
async function markRead() {
	if (state.reading || !state.data) return;
	const reading = [];
	const delivering = [];
	for (const c of state.data.conversations) {
		for (const e of c.entries) {
			if (e.direction !== 'out' || e.via || e.status === 'read' || e.status === 'undeliverable') continue;
			if (c.key === state.open && document.visibilityState === 'visible') reading.push(e.id);
			else if (e.status === 'sent') delivering.push(e.id);
		}
	}
	if (!reading.length && !delivering.length) return;
	state.reading = true;
	try {
		if (delivering.length) await post('/customer/read', { messageIds: delivering, status: 'delivered' });
		if (reading.length) await post('/customer/read', { messageIds: reading, status: 'read' });
	} catch {
		// no webhook receiver yet (no trigger registered): the ticks stay
	} finally {
		state.reading = false;
	}
}

// ---- the side: chats and "start a chat" ---------------------------------------------------------------------

function conversations() {
	return state.data ? state.data.conversations : [];
}
function current() {
	const found = conversations().find((c) => c.key === state.open);
	if (found) return found;
	if (!state.open || !state.data) return null;
	// A chat started from the form before anything was said in it.
	const [customerKey, shopId] = state.open.split('@');
	const customer = state.data.customers.find((c) => c.key === customerKey) || { key: customerKey, name: `+${customerKey.replace(/^tel:/, '')}`, phone: customerKey.replace(/^tel:/, ''), userId: null };
	const shop = state.data.shops.find((s) => s.id === shopId) || { id: shopId, name: shopId, phone: '' };
	return { key: state.open, customer, shop, entries: [] };
}

function renderSide() {
	const who = $('who');
	if (!who.options.length) {
		for (const c of state.data.customers) who.append(h('option', { value: c.key }, `${c.name} (${c.phone ? `+${c.phone}` : `@${c.username}, no phone`})`));
		who.append(h('option', { value: 'custom' }, 'Another phone number…'));
		for (const s of state.data.shops.filter((s) => !s.id.startsWith('lyra:'))) $('shop').append(h('option', { value: s.id }, `${s.name} (${s.phone})`));
	}
	const list = $('chats');
	list.replaceChildren(
		...conversations().map((c) => {
			const last = c.entries[c.entries.length - 1];
			return h('li', {}, h('button', { type: 'button', 'aria-current': c.key === state.open ? 'true' : 'false', onclick: () => openChat(c.key) },
				h('span', { class: 'name' }, c.customer.name),
				h('span', { class: 'shop' }, `with ${c.shop.name}`),
				h('span', { class: 'last' }, last ? preview(last) : '')));
		}),
	);
}

function preview(e) {
	const m = e.message;
	if (m.type === 'text') return m.text.body;
	if (m.type === 'order') return `cart, ${m.order.product_items.length} item(s)`;
	if (m.type === 'template') return `template ${m.template.name}`;
	if (m.type === 'payment') return `payment ${m.status}`;
	if (m.type === 'interactive') return m.interactive.type === 'button_reply' ? m.interactive.button_reply.title : m.interactive.type === 'list_reply' ? m.interactive.list_reply.title : statusLabel(m.interactive.type);
	if (m.type === 'button') return m.button.text;
	return m.type;
}

function openChat(key) {
	state.open = key;
	$('layout').classList.add('open');
	render();
	$('conversation').focus();
	void markRead();
}

// ---- the conversation -------------------------------------------------------------------------------------

function render() {
	if (!state.data) return;
	renderSide();
	const c = current();
	$('composer').hidden = !c;
	if (!c) return;
	$('conversation-title').textContent = `${c.customer.name} ↔ ${c.shop.name}`;
	$('conversation-who').textContent = `${customerLine(c.customer)} · business ${c.shop.phone}`;
	const list = $('messages');
	const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
	list.replaceChildren(...c.entries.map((e) => entry(e, c)));
	if (atBottom) list.scrollTop = list.scrollHeight;
}

function entry(e, c) {
	const time = new Date(e.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
	const meta = h('div', { class: 'meta' },
		e.execution ? h('a', { href: e.execution.url, target: '_blank', rel: 'noopener' }, `n8n execution ${e.execution.id}`) : null,
		e.answer && e.direction !== 'out' ? h('span', { title: e.answer.url }, `n8n answered ${e.answer.status || 'nothing'}`) : null,
		h('time', { datetime: e.at }, time),
		e.direction === 'out' && !e.via ? tick(e.status) : null);
	return h('li', { class: e.direction, 'data-kind': kind(e.message), 'data-id': e.id },
		e.via ? h('span', { class: 'via' }, `sent by ${e.via} on the shop's behalf`) : null,
		h('div', { class: 'bubble' }, body(e, c), meta));
}

function kind(m) {
	return m.type === 'interactive' ? m.interactive.type : m.type;
}

function tick(status) {
	const label = { sent: 'Sent', delivered: 'Delivered', read: 'Read', undeliverable: 'Accepted by Meta but never delivered (a BSUID in "to")' }[status] || status;
	const mark = status === 'sent' ? '✓' : status === 'undeliverable' ? '!' : '✓✓';
	return h('span', { class: `tick ${status}`, role: 'img', 'aria-label': label, title: label }, mark);
}

function body(e, c) {
	const m = e.message;
	switch (m.type) {
		case 'text':
			return h('p', {}, m.text.body);
		case 'order':
			return cart(m.order);
		case 'button':
			return [quoted(m.context, c), h('p', {}, m.button.text)];
		case 'template':
			return template(m, e);
		case 'payment':
			return h('p', {}, `Payment ${m.status}: ${amount(m.payment && m.payment.amount, m.payment && m.payment.currency)} for ${m.payment ? m.payment.reference_id : ''}`);
		case 'interactive':
			return interactive(m.interactive, e, c);
		default:
			return h('p', {}, `(${m.type} message)`);
	}
}

function quoted(context, c) {
	if (!context) return null;
	const original = c.entries.find((x) => x.id === context.id);
	return h('div', { class: 'quote' }, original ? preview(original) : 'a message');
}

function cart(order) {
	const items = order.product_items || [];
	const total = items.reduce((sum, i) => sum + Math.round(Number(i.item_price) * 100) * Number(i.quantity), 0);
	return [
		h('p', { class: 'header' }, `Cart: ${items.length} item(s) · ${money(total, items[0] && items[0].currency)}`),
		h('ul', {}, items.map((i) => h('li', {}, `${(product(i.product_retailer_id) || {}).name || i.product_retailer_id} × ${i.quantity}`))),
		order.text ? h('p', {}, order.text) : null,
	];
}

function template(m, e) {
	const definition = (state.data.templates || []).find((t) => t.name === m.template.name && t.language === m.template.language.code);
	const sentComponents = m.template.components || [];
	const params = (type) => ((sentComponents.find((x) => x.type === type) || {}).parameters || []).map((p) => p.text ?? (p.currency ? p.currency.fallback_value : '') ?? '');
	const fill = (text, values) => String(text).replace(/\{\{(\d+)\}\}/g, (_, n) => values[Number(n) - 1] ?? `{{${n}}}`);
	const parts = (definition && definition.components) || [];
	const bodyPart = parts.find((p) => p.type === 'BODY');
	const buttons = (parts.find((p) => p.type === 'BUTTONS') || {}).buttons || [];
	const sentButtons = sentComponents.filter((x) => x.type === 'button');
	return [
		h('p', { class: 'footer' }, `template “${m.template.name}”`),
		h('p', {}, bodyPart ? fill(bodyPart.text, params('body')) : `(${params('body').join(' · ') || 'no parameters'})`),
		buttons.length
			? h('div', { class: 'buttons' }, buttons.map((b, index) => {
				const sent = sentButtons.find((x) => Number(x.index) === index);
				if (b.type === 'URL') {
					const url = fill(b.url, [sent && sent.parameters && sent.parameters[0] ? sent.parameters[0].text : '']);
					return linkButton(url, b.text);
				}
				const payload = sent && sent.parameters && sent.parameters[0] ? sent.parameters[0].payload : undefined;
				return h('button', { type: 'button', onclick: () => reply(e.id, payload || b.text, b.text) }, `↩ ${b.text}`);
			}))
			: null,
	];
}

function interactive(i, e, c) {
	const header = i.header && i.header.text ? h('p', { class: 'header' }, i.header.text) : null;
	const text = i.body ? h('p', {}, i.body.text) : null;
	const footer = i.footer ? h('p', { class: 'footer' }, i.footer.text) : null;
	switch (i.type) {
		case 'cta_url':
			return [header, text, footer, h('div', { class: 'buttons' }, linkButton(i.action.parameters.url, i.action.parameters.display_text))];
		case 'button':
			return [header, text, footer, h('div', { class: 'buttons' }, i.action.buttons.map((b) => h('button', { type: 'button', onclick: () => reply(e.id, b.reply.id, b.reply.title) }, `↩ ${b.reply.title}`)))];
		case 'list':
			return [header, text, footer, h('div', { class: 'buttons' }, h('button', { type: 'button', 'aria-haspopup': 'dialog', onclick: () => openList(i, e) }, `☰ ${i.action.button}`))];
		case 'product': {
			const p = product(i.action.product_retailer_id);
			return [text, productCard(p, i.action.product_retailer_id), footer, h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: () => openCatalog(p ? [p.retailerId] : undefined) }, 'View'))];
		}
		case 'product_list': {
			const ids = i.action.sections.flatMap((s) => s.product_items.map((x) => x.product_retailer_id));
			return [header, text, h('ul', {}, i.action.sections.map((s) => h('li', {}, `${s.title}: ${s.product_items.map((x) => (product(x.product_retailer_id) || {}).name || x.product_retailer_id).join(', ')}`))), footer,
				h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: () => openCatalog(ids) }, `View items (${ids.length})`))];
		}
		case 'catalog_message':
			return [text, footer, h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: () => openCatalog() }, 'View catalog'))];
		case 'order_details':
			return orderCard(i, e, c);
		case 'order_status': {
			const p = i.action.parameters;
			return [h('p', { class: 'header' }, 'Order update ', h('span', { class: `pill ${p.order.status}` }, statusLabel(p.order.status))), text, h('p', { class: 'footer' }, `order ${p.reference_id}${p.order.description ? ` · ${p.order.description}` : ''}`)];
		}
		case 'button_reply':
			return [quoted(e.message.context, c), h('p', {}, i.button_reply.title)];
		case 'list_reply':
			return [quoted(e.message.context, c), h('p', {}, i.list_reply.title), i.list_reply.description ? h('p', { class: 'footer' }, i.list_reply.description) : null];
		default:
			return [header, text, footer, h('p', { class: 'footer' }, `(${i.type})`)];
	}
}

function productCard(p, id) {
	if (!p) return h('p', {}, `product ${id}`);
	return h('div', { class: 'card product' }, image(p), h('div', {}, h('strong', {}, p.name), h('div', { class: 'price' }, `${money(Math.round(Number(p.price) * 100), p.currency)} · ${p.description}`)));
}

function linkButton(url, label) {
	const known = (state.data.links || []).find((l) => l.url === url);
	if (!known) return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `↗ ${label}`);
	return h('button', { type: 'button', 'aria-haspopup': 'dialog', onclick: () => openLink(known) }, `↗ ${label}${known.status === 'paid' || known.status === 'PAID' ? ' (paid)' : ''}`);
}

/** The order_details card: what is billed, and its state from the payment and the order_status updates. */
function orderCard(i, e, c) {
	const p = i.action.parameters;
	const order = p.order || {};
	const currency = p.currency;
	const latest = c.entries.filter((x) => x.message.type === 'interactive' && x.message.interactive.type === 'order_status' && x.message.interactive.action.parameters.reference_id === p.reference_id).pop();
	const payment = state.data.payments[p.reference_id];
	const paid = payment && payment.status === 'captured';
	const statusText = latest ? latest.message.interactive.action.parameters.order.status : paid ? 'paid' : payment ? payment.status : 'pending';
	const row = (label, value, cls) => (value ? h('tr', { class: cls }, h('th', { scope: 'row' }, label), h('td', {}, value)) : null);
	return [
		i.header && i.header.type === 'image' ? h('p', { class: 'footer' }, '[header image]') : null,
		i.body ? h('p', {}, i.body.text) : null,
		h('div', { class: 'card' },
			h('p', { class: 'header' }, `Order ${p.reference_id} `, h('span', { class: `pill ${statusText}` }, statusLabel(statusText)), payment && payment.refunded ? h('span', { class: 'pill canceled' }, ` refunded ${money(payment.refunded, currency, p.total_amount.offset)}`) : null),
			h('table', {},
				h('caption', { class: 'visually-hidden' }, 'Bill'),
				h('tbody', {},
					(order.items || []).map((item) => { const unit = item.sale_amount || item.amount; return row(`${item.name} × ${item.quantity}`, amount({ value: unit.value * item.quantity, offset: unit.offset }, currency)); }),
					row('Subtotal', amount(order.subtotal, currency)),
					row(`Tax${order.tax && order.tax.description ? ` (${order.tax.description})` : ''}`, amount(order.tax, currency)),
					order.shipping ? row(`Shipping${order.shipping.description ? ` (${order.shipping.description})` : ''}`, amount(order.shipping, currency)) : null,
					order.discount ? row(`Discount${order.discount.description ? ` (${order.discount.description})` : ''}`, `− ${amount(order.discount, currency)}`) : null,
					row('Total', amount(p.total_amount, currency), 'total')))),
		i.footer ? h('p', { class: 'footer' }, i.footer.text) : null,
		h('div', { class: 'buttons' }, h('button', { type: 'button', 'aria-haspopup': 'dialog', disabled: paid || undefined, onclick: () => openPay(p, e) }, paid ? 'Paid' : 'Review and pay')),
	];
}

// ---- what the customer does --------------------------------------------------------------------------------

/** The customer's identity for the control API: phone, or BSUID for a customer with a username and no phone. */
function identity(c) {
	if (c.customer.phone) return { from: c.customer.phone, name: c.customer.name };
	if (c.customer.key === 'BR.8812004471') return { customer: 'username' };
	return { userId: c.customer.userId || c.customer.key };
}

async function reply(messageId, replyId, title, description) {
	await post('/customer/reply', { messageId, replyId, title, description });
	announce(`You tapped “${title}”`);
}

function openList(i, e) {
	$('list-title').textContent = i.action.button;
	$('list-rows').replaceChildren(...i.action.sections.map((s) => h('fieldset', {}, h('legend', {}, s.title || ''),
		h('div', { class: 'rows' }, s.rows.map((r) => h('button', { type: 'button', onclick: async () => { $('list-dialog').close(); await reply(e.id, r.id, r.title, r.description); } }, r.title, r.description ? h('small', {}, r.description) : null))))));
	$('list-dialog').showModal();
}

function openCatalog(only) {
	const products = state.data.catalog.products.filter((p) => !only || only.includes(p.retailerId));
	$('catalog-title').textContent = only ? 'Products' : state.data.catalog.name || 'Catalog';
	$('catalog-list').replaceChildren(...products.map((p) => {
		const qty = h('output', { 'aria-live': 'polite', id: `qty-${p.retailerId}` }, String(state.cart.get(p.retailerId) || 0));
		const change = (delta) => {
			const next = Math.max(0, (state.cart.get(p.retailerId) || 0) + delta);
			if (next) state.cart.set(p.retailerId, next);
			else state.cart.delete(p.retailerId);
			qty.textContent = String(next);
			cartTotal();
		};
		return h('li', { 'data-product': p.retailerId }, image(p),
			h('div', {}, h('strong', {}, p.name), h('div', { class: 'price' }, `${money(Math.round(Number(p.price) * 100), p.currency)} · ${p.description}`)),
			h('div', { class: 'qty' },
				h('button', { type: 'button', 'aria-label': `One ${p.name} less`, onclick: () => change(-1) }, '−'), qty,
				h('button', { type: 'button', 'aria-label': `One ${p.name} more`, onclick: () => change(1) }, '+')));
	}));
	cartTotal();
	$('catalog-dialog').showModal();
}

function cartTotal() {
	let total = 0;
	let currency = 'INR';
	for (const [id, qty] of state.cart) {
		const p = product(id);
		total += Math.round(Number(p.price) * 100) * qty;
		currency = p.currency;
	}
	$('cart-total').textContent = state.cart.size ? `Cart: ${money(total, currency)}` : 'Cart is empty: add items with +';
	$('send-cart').disabled = state.cart.size === 0;
}

async function sendCart() {
	const c = current();
	const items = [...state.cart].map(([id, quantity]) => ({ retailerId: id, quantity, price: product(id).price, currency: product(id).currency }));
	await post('/customer/order', { ...identity(c), phoneNumberId: c.shop.id, items, text: 'Sent from the sandbox chat' });
	state.cart.clear();
	$('catalog-dialog').close();
	announce('Cart sent: the signed order webhook went to n8n');
}

function openPay(p, e) {
	state.pay = { referenceId: p.reference_id, messageId: e.id };
	const settings = p.payment_settings || [];
	$('pay-summary').replaceChildren(h('p', { class: 'total' }, `Order ${p.reference_id}: ${amount(p.total_amount, p.currency)}`));
	const methods = [];
	for (const s of settings) {
		if (s.type === 'payment_gateway') {
			const g = s.payment_gateway;
			const options = g.enabled_payment_options || ['upi', 'web'];
			if (options.includes('upi')) methods.push(`UPI (WhatsApp Pay via ${g.type}, configuration ${g.configuration_name})`);
			if (options.includes('web')) methods.push(`Cards, netbanking, wallets (${g.type})`);
		} else if (s.type === 'payment_link') methods.push(`Pay on the shop's page (${s.payment_link.uri})`);
		else if (s.type === 'upi_intent_link') methods.push('UPI app (intent link)');
		else if (s.type === 'pix_dynamic_code') methods.push('Pix (copy the code)');
		else if (s.type === 'boleto') methods.push('Boleto');
		else methods.push(s.type);
	}
	$('pay-methods').replaceChildren(h('legend', {}, 'Payment method'), ...methods.map((label, index) => h('label', {}, h('input', { type: 'radio', name: 'method', value: String(index), checked: index === 0 || undefined }), ` ${label}`)));
	$('pay-lost').checked = false;
	$('pay-dialog').showModal();
}

async function pay(status) {
	const lost = $('pay-lost').checked;
	await post(lost ? '/customer/pay-unnotified' : '/customer/pay', { referenceId: state.pay.referenceId, status });
	$('pay-dialog').close();
	announce(status === 'captured' ? `Paid ${state.pay.referenceId}${lost ? ' (webhook lost)' : ''}` : `Payment of ${state.pay.referenceId} failed`);
}

function openLink(link) {
	state.link = link;
	const names = { razorpay: 'Razorpay', stripe: 'Stripe Checkout', payu: 'PayU', lyra: 'Lyra' };
	$('link-title').textContent = `${names[link.gateway]} payment page`;
	$('link-summary').replaceChildren(
		h('p', { class: 'total' }, `${money(link.amountMinor, link.currency)}${link.reference ? ` · ${link.reference}` : ''}`),
		h('p', {}, `Status: ${statusLabel(link.status)} · ${link.url}`));
	const done = ['paid', 'PAID', 'expired', 'EXPIRED', 'complete'].includes(link.status);
	$('link-pay').disabled = done;
	$('link-expire').disabled = done || !['razorpay', 'stripe'].includes(link.gateway);
	$('link-dialog').showModal();
}

async function linkAction(action) {
	await post(`/link/${action}`, { url: state.link.url });
	$('link-dialog').close();
	announce(action === 'pay' ? `Paid at ${state.link.gateway}: its signed webhook went to n8n` : 'The link expired');
}

// ---- wiring ----------------------------------------------------------------------------------------------

function wire() {
	$('who').addEventListener('change', () => {
		const custom = $('who').value === 'custom';
		for (const el of document.querySelectorAll('.custom-phone')) el.hidden = !custom;
	});
	for (const el of document.querySelectorAll('.custom-phone')) el.hidden = true;
	$('new-chat').addEventListener('submit', (event) => {
		event.preventDefault();
		const who = $('who').value;
		const phone = $('custom-phone').value.replace(/\D/g, '');
		if (who === 'custom' && !/^\d{8,15}$/.test(phone)) return announce('Type a phone number: 8 to 15 digits with the country code');
		const key = who === 'custom' ? (state.data.customers.find((c) => c.phone === phone) || { key: `tel:${phone}` }).key : who;
		openChat(`${key}@${$('shop').value}`);
	});
	$('composer').addEventListener('submit', async (event) => {
		event.preventDefault();
		const text = $('text').value.trim();
		if (!text) return;
		const c = current();
		await post('/customer/text', { ...identity(c), phoneNumberId: c.shop.id, text });
		$('text').value = '';
	});
	$('open-catalog').addEventListener('click', () => openCatalog());
	$('send-cart').addEventListener('click', () => void sendCart());
	$('pay-now').addEventListener('click', () => void pay('captured'));
	$('pay-fail').addEventListener('click', () => void pay('failed'));
	$('link-pay').addEventListener('click', () => void linkAction('pay'));
	$('link-expire').addEventListener('click', () => void linkAction('expire'));
	$('back').addEventListener('click', () => {
		$('layout').classList.remove('open');
		state.open = null;
		render();
	});
	document.addEventListener('visibilitychange', () => void markRead());
	const wanted = new URLSearchParams(location.search).get('chat');
	if (wanted) state.open = wanted;
}

wire();
void load().then(() => {
	if (state.open) openChat(state.open);
	listen();
});
