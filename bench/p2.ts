/**
 * P2 webhook ingestion: CPU time per event for one signed 100-event Meta delivery.
 * - raw baseline: HMAC-SHA256 of the raw body + JSON.parse;
 * - ours: verify + parse + normalize (signatures.ts + webhookEvents.ts), the work our trigger adds;
 * - our trigger's webhook() and n8n-nodes-base's WhatsApp Trigger webhook(), each through n8n-core's
 *   WebhookContext, after the JSON.parse n8n's server does for every delivery;
 * - that plumbing alone (a trigger that only reads the body): a trigger's row minus this one is its own work;
 * - our trigger set to output orders only (what most shops use): events it does not output are not built.
 */
import { createHmac } from 'crypto';
import { WebhookContext } from 'n8n-core';
import type { ICredentialType, IDataObject, INode, INodeType, IWebhookData, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { parseMetaWebhook } from '../nodes/shared/meta/webhookEvents';
import { signMetaBody, verifyMetaSignature } from '../nodes/shared/signatures';
import { createAdditionalData, TestCredentialsHelper, TestNodeTypes } from '../test/harness/engine';
import { allCredentialTypes, PACKAGE } from '../test/harness/registry';
import { findNodesBase, loadBuiltin, median, PHONE, TOKEN, WABA } from './lib';

const APP_SECRET = 'meta-app-secret-for-bench';
export const EVENTS = 100;

/** 50 cart orders and 50 message statuses, one change each, as Meta batches them. */
export function payload(delivery = 0): Buffer {
	const metadata = { display_phone_number: '919876500000', phone_number_id: PHONE };
	const changes = Array.from({ length: EVENTS }, (_, i) =>
		i % 2 === 0
			? {
					field: 'messages',
					value: {
						messaging_product: 'whatsapp',
						metadata,
						contacts: [{ profile: { name: `Customer ${i}` }, wa_id: `9190${String(i).padStart(8, '0')}` }],
						messages: [
							{
								from: `9190${String(i).padStart(8, '0')}`,
								id: wamid(delivery, i),
								timestamp: '1739321024',
								type: 'order',
								order: {
									catalog_id: '194836987003835',
									text: 'Please deliver after 6 pm',
									product_items: [
										{ product_retailer_id: 'chai-250g', quantity: 2, item_price: 249.5, currency: 'INR' },
										{ product_retailer_id: 'mug-01', quantity: 1, item_price: 399, currency: 'INR' },
									],
								},
							},
						],
					},
				}
			: {
					field: 'messages',
					value: {
						messaging_product: 'whatsapp',
						metadata,
						statuses: [
							{
								id: wamid(delivery, i),
								status: 'delivered',
								timestamp: '1739321030',
								recipient_id: `9190${String(i).padStart(8, '0')}`,
								conversation: { id: `conv${i}`, origin: { type: 'utility' } },
								pricing: { billable: true, pricing_model: 'PMP', category: 'utility' },
							},
						],
					},
				},
	);
	return Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes }] }));
}

/** A wamid in Meta's real format (base64 of the message's internal id), different for every delivery and event. */
export function wamid(delivery: number, event: number): string {
	const inner = `15550${String(delivery).padStart(6, '0')}${String(event).padStart(3, '0')}_3EB0${(delivery * 131 + event).toString(16).toUpperCase().padStart(12, '0')}`;
	return `wamid.${Buffer.from(inner).toString('base64')}`;
}

/**
 * Deliveries that bring new events every time, as in production: each has its own ids, so the trigger's
 * duplicate memory grows to its cap and stays there (the steady state), and a cycle of DISTINCT of them is
 * longer than what that memory holds (2 x 10,000 per kind of event; each delivery has 50 orders and 50
 * "delivered" statuses), so no delivery is ever a repeat to it.
 */
const DISTINCT = 480;

type Delivery = () => unknown | Promise<unknown>;

/** CPU microseconds per event of one batch of `perSample` deliveries of `fn`. */
async function cpuPerEvent(fn: Delivery, perSample: number): Promise<number> {
	const start = process.cpuUsage();
	for (let i = 0; i < perSample; i++) await fn();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / (perSample * EVENTS);
}

/**
 * Interleaved measurement: each sample runs every variant once, in a rotating order, and each variant's
 * ratio is taken against the raw baseline of the SAME sample. On a shared 2-core VM the CPU speed drifts
 * between seconds; measuring variants one after the other turned that drift into ratios from 1.26x to
 * 1.78x for the same code. Medians of the per-sample ratios are stable to a few hundredths.
 */
async function measure(variants: Delivery[], samples: number, perSample: number): Promise<Array<{ micros: number; ratio: number }>> {
	for (const fn of variants) for (let i = 0; i < Math.min(200, perSample); i++) await fn();
	const micros: number[][] = variants.map(() => []);
	const ratios: number[][] = variants.map(() => []);
	for (let s = 0; s < samples; s++) {
		const order = variants.map((_, i) => (i + s) % variants.length);
		const sample: number[] = [];
		for (const i of order) sample[i] = await cpuPerEvent(variants[i], perSample);
		variants.forEach((_, i) => {
			micros[i].push(sample[i]);
			ratios[i].push(sample[i] / sample[0]);
		});
	}
	return variants.map((_, i) => ({ micros: median(micros[i]), ratio: median(ratios[i]) }));
}

/** `nodeId`: distinct per runner when several share a process (the duplicate memory is per workflow and node). */
export function webhookRunner(nodeType: INodeType, typeName: string, parameters: IDataObject, credentials: TestCredentialsHelper, credentialType: string, nodeId = 'trigger') {
	const node: INode = {
		id: nodeId,
		name: 'Trigger',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'a1b2c3d4-0000-4000-8000-000000000002',
		parameters: parameters as INode['parameters'],
		credentials: { [credentialType]: { id: `${credentialType}-id`, name: credentialType } },
	};
	const workflow = new Workflow({
		id: 'bench-trigger',
		name: 'Bench trigger',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TestNodeTypes({ [typeName]: nodeType }),
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	const description = (nodeType.description.webhooks ?? []).find((w) => w.name === 'default') as IWebhookDescription;
	const webhookData: IWebhookData = {
		webhookDescription: description,
		httpMethod: 'POST',
		node: node.name,
		path: String(description.path),
		workflowId: workflow.id,
		workflowExecuteAdditionalData: undefined as never,
		webhookId: node.webhookId,
	};
	// What a live trigger's static data holds: the keys of the last 256 events that ran (none in this delivery).
	const ranBefore = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`msg:${wamid(999999, i)}`, 1739321024000 + i]));
	const response = { status: () => response, send: () => response, json: () => response, end: () => response, type: () => response, setHeader: () => response, header: () => response };
	return async (rawBody: Buffer, signature: string): Promise<number> => {
		// n8n's server parses every JSON delivery before the node sees it.
		const body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
		// Every delivery must be new to the trigger, as in production where each delivery brings new events: a fresh
		// static data and a fresh in-process claim memory (nodes/shared/effects/deliveries.ts), so the row measures
		// verify + parse + normalize + the duplicate claim of 100 new events, not the cheaper all-duplicates path.
		workflow.staticData = { [`node:${node.name}`]: { ranEventKeys: { ...ranBefore }, ranEventKeysVersion: "m3x9k2.4fq8z1aa" } } as never;
		const additionalData = createAdditionalData(credentials, { id: workflow.id, name: 'Bench trigger', nodes: [node], connections: {} }, 'webhook');
		Object.assign(additionalData, {
			httpRequest: { body, rawBody, headers: { 'x-hub-signature-256': signature, 'content-type': 'application/json' }, query: {}, params: {}, method: 'POST' },
			httpResponse: response,
		});
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		const result = await nodeType.webhook!.call(context);
		return (result.workflowData ?? []).flat().length;
	};
}

export interface P2Row {
	variant: string;
	microsPerEvent: number;
	/** Median over samples of this variant's time / the raw baseline's time in the same sample. */
	vsRaw: number;
	items: number;
}

export async function runP2(samples: number): Promise<{ rows: P2Row[]; builtin: string | undefined }> {
	const deliveries = Array.from({ length: DISTINCT }, (_, d) => {
		const raw = payload(d);
		return { raw, signature: signMetaBody(raw, APP_SECRET) };
	});
	/** Each variant walks the same cycle of deliveries with its own position. */
	const cycle = () => {
		let next = 0;
		return () => deliveries[next++ % DISTINCT];
	};
	/** A trigger runner fed the cycle of deliveries, one per call. */
	const delivering = (hook: (raw: Buffer, signature: string) => Promise<number>) => {
		const next = cycle();
		return () => {
			const { raw, signature } = next();
			return hook(raw, signature);
		};
	};
	const perSample = Number(process.env.BENCH_P2_DELIVERIES ?? 300);
	const variants: Array<{ variant: string; fn: Delivery; items: () => Promise<number> | number }> = [];

	const rawNext = cycle();
	const rawBaseline = () => {
		const { raw, signature } = rawNext();
		const digest = createHmac('sha256', APP_SECRET).update(raw).digest('hex');
		if (`sha256=${digest}` !== signature) throw new Error('bad signature');
		return JSON.parse(raw.toString('utf8'));
	};
	variants.push({ variant: 'raw HMAC + JSON.parse', fn: rawBaseline, items: () => EVENTS });

	const parseNext = cycle();
	const ours = () => {
		const { raw, signature } = parseNext();
		if (!verifyMetaSignature(raw, APP_SECRET, signature)) throw new Error('bad signature');
		return parseMetaWebhook(JSON.parse(raw.toString('utf8')));
	};
	variants.push({ variant: 'ours: verify + parse + normalize', fn: ours, items: () => ours().length });

	const types: Record<string, ICredentialType> = { ...allCredentialTypes() };
	const base = findNodesBase();
	if (base) types.whatsAppTriggerApi = loadBuiltin<ICredentialType>(base, 'credentials/WhatsAppTriggerApi.credentials.js', 'WhatsAppTriggerApi');
	const credentials = new TestCredentialsHelper(types)
		.set('waCommerceMetaApi', { accessToken: TOKEN, businessAccountId: WABA, apiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9', appSecret: APP_SECRET })
		.set('whatsAppTriggerApi', { clientId: '1234567890', clientSecret: APP_SECRET });

	const oursType = new TestNodeTypes().getByName(`${PACKAGE}.whatsAppCommerceTrigger`);

	// What every trigger pays before its own work: n8n's JSON.parse of the body and the webhook context, with a
	// trigger that only reads the body. Subtracted from a trigger's row, it leaves that trigger's own work.
	const plumbingType = {
		description: oursType.description,
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			this.getBodyData();
			return { webhookResponse: 'OK' };
		},
	} as INodeType;
	const plumbingHook = webhookRunner(plumbingType, `${PACKAGE}.whatsAppCommerceTrigger`, { registration: 'manual', verifyToken: 'bench', events: ['order'] }, credentials, 'waCommerceMetaApi');
	const plumbing = delivering(plumbingHook);
	variants.push({ variant: 'n8n webhook plumbing alone (JSON.parse + context)', fn: plumbing, items: () => 0 });
	const oursHook = webhookRunner(
		oursType,
		`${PACKAGE}.whatsAppCommerceTrigger`,
		{ registration: 'manual', verifyToken: 'bench', events: ['order', 'paymentStatus', 'messageStatus', 'interactiveReply', 'paymentConfigurationUpdate'] },
		credentials,
		'waCommerceMetaApi',
	);
	const oursDelivery = delivering(oursHook);
	variants.push({ variant: 'ours: trigger webhook() in n8n', fn: oursDelivery, items: oursDelivery });

	// The same deliveries to a trigger that outputs orders only (Events: Order Received): the 50 statuses are not
	// built. Its own node id: it must not share the other trigger's duplicate memory.
	const ordersHook = webhookRunner(oursType, `${PACKAGE}.whatsAppCommerceTrigger`, { registration: 'manual', verifyToken: 'bench', events: ['order'] }, credentials, 'waCommerceMetaApi', 'orders-only');
	const ordersDelivery = delivering(ordersHook);
	variants.push({ variant: 'ours: trigger webhook(), orders only', fn: ordersDelivery, items: ordersDelivery });

	if (base) {
		const builtin = loadBuiltin<INodeType>(base, 'nodes/WhatsApp/WhatsAppTrigger.node.js', 'WhatsAppTrigger');
		const builtinHook = webhookRunner(builtin, 'n8n-nodes-base.whatsAppTrigger', { updates: ['messages'], options: {} }, credentials, 'whatsAppTriggerApi');
		const builtinDelivery = delivering(builtinHook);
		variants.push({ variant: 'n8n WhatsApp Trigger webhook() in n8n', fn: builtinDelivery, items: builtinDelivery });
	}

	const measured = await measure(variants.map((v) => v.fn), samples, perSample);
	const rows: P2Row[] = [];
	for (const [i, v] of variants.entries()) {
		rows.push({ variant: v.variant, microsPerEvent: measured[i].micros, vsRaw: measured[i].ratio, items: await v.items() });
	}
	return { rows, builtin: base };
}
