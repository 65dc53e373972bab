/**
 * P1 bulk send against the counterpart, which enforces Meta's per-number limit (130429 above it) and answers
 * after a fixed latency. Ours with defaults vs n8n-nodes-base's WhatsApp node (declarative, run by n8n-core's
 * RoutingNode) with its defaults and with its batching hand-tuned to the limit. Scenarios (issue 18):
 * - P1: 2,000 items, 80 msg/s, at 50, 300 and 800 ms latency;
 * - P1c: 10,000 items, an upgraded number (1,000 msg/s), 250 ms latency; with our CPU time per message;
 * - P1d: 6,000 items interleaved over 3 numbers at 80 msg/s each.
 */
import type { ICredentialType, IDataObject, IExecuteFunctions, INode, INodeParameters, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { DirectoryLoader, RoutingNode } from 'n8n-core';

import { runNode, TestCredentialsHelper, TestNodeTypes, type NodeUnderTest } from '../test/harness/engine';
import { allCredentialTypes, PACKAGE } from '../test/harness/registry';
import { httpFloorNode } from './httpFloor';
import { findNodesBase, loadBuiltin, median, peakInWindow, PHONE, RemoteMeta, TOKEN, WABA } from './lib';

/** The sending numbers of P1d (the counterpart knows all three). */
export const PHONES = [PHONE, '106540352242999', '106540352243001'];

export interface P1Row {
	scenario: string;
	items: number;
	limit: number;
	latencyMs: number;
	senders: number;
	variant: string;
	delivered: number;
	lost: number;
	refusedByLimit: number;
	/** Delivered / run time (engine start to last answer). */
	msgPerSecond: number;
	/** Accepted messages from the first to the last acceptance at the counterpart (the pace Meta saw). */
	rateAtMeta: number;
	/** Highest number of attempts in any 1-second window, on the busiest number. */
	peakPerSecond: number;
	seconds: number;
	duplicates: number;
	/** CPU time of the node's process per delivered message (µs). */
	cpuMicrosPerMessage: number;
	/** CPU time of the counterpart per delivered message (µs). */
	counterpartCpuMicrosPerMessage: number;
}

export interface Variant {
	name: string;
	node: NodeUnderTest;
}

export interface Scenario {
	id: string;
	title: string;
	items: number;
	/** Per number. */
	limit: number;
	latencyMs: number;
	senders: number;
	/** n8n's node with its batching hand-tuned: [batch size, interval ms]. */
	batches: Array<[number, number]>;
	/** Include n8n's node with its defaults (every item fired at once). */
	builtinDefaults: boolean;
}

const P1_ITEMS = Number(process.env.BENCH_P1_ITEMS ?? 2000);

export function scenarios(): Scenario[] {
	const p1 = (latencyMs: number): Scenario => ({
		id: 'P1',
		title: `P1 bulk send, ${P1_ITEMS.toLocaleString('en-US')} items, limit 80 msg/s, ${latencyMs} ms latency`,
		items: P1_ITEMS,
		limit: 80,
		latencyMs,
		senders: 1,
		batches: [
			[80, 1000],
			[1, 13],
		],
		builtinDefaults: true,
	});
	return [
		p1(50),
		p1(300),
		p1(800),
		{
			id: 'P1c',
			title: 'P1c upgraded number, 10,000 items, limit 1,000 msg/s, 250 ms latency',
			items: Number(process.env.BENCH_P1C_ITEMS ?? 10000),
			limit: 1000,
			latencyMs: 250,
			senders: 1,
			batches: [[1000, 1000]],
			builtinDefaults: false,
		},
		{
			id: 'P1d',
			title: 'P1d three numbers x 80 msg/s, 6,000 items interleaved, 300 ms latency',
			items: Number(process.env.BENCH_P1D_ITEMS ?? 6000),
			limit: 80,
			latencyMs: 300,
			senders: 3,
			batches: [[240, 1000]],
			builtinDefaults: false,
		},
	];
}

/**
 * Our node with defaults (plus `oursBulk`), and n8n's node with its defaults and hand-batched. The sender is
 * `$json.from` when `perItemSender`, for items spread over several numbers.
 */
export function variants(
	builtinAvailable: boolean,
	oursBulk: IDataObject = {},
	options: { batches?: Array<[number, number]>; builtinDefaults?: boolean; perItemSender?: boolean } = {},
): Variant[] {
	const sender = options.perItemSender ? '={{ $json.from }}' : PHONE;
	const ours: Variant = {
		name: oursBulk.messagesPerSecond !== undefined ? `ours (defaults, Messages per Second ${String(oursBulk.messagesPerSecond)})` : 'ours (defaults)',
		node: {
			type: 'whatsAppCommerce',
			parameters: {
				resource: 'order',
				operation: 'sendOrderStatus',
				phoneNumberId: { __rl: true, mode: 'id', value: sender },
				to: '={{ $json.to }}',
				referenceId: '={{ $json.ref }}',
				orderStatus: 'shipped',
				bodyText: 'Your order is on its way',
				...(Object.keys(oursBulk).length > 0 ? { bulkSending: oursBulk } : {}),
			},
			credentials: ['waCommerceMetaApi'],
			continueOnFail: true,
		},
	};
	if (!builtinAvailable) return [ours];
	const builtin = (name: string, requestOptions?: IDataObject): Variant => ({
		name,
		node: {
			type: 'builtinWhatsApp',
			typeVersion: 1.1,
			parameters: {
				resource: 'message',
				operation: 'send',
				messageType: 'text',
				phoneNumberId: sender,
				recipientPhoneNumber: '={{ $json.to }}',
				textBody: 'Your order is on its way',
				...(requestOptions ? { requestOptions } : {}),
			},
			credentials: ['whatsAppApi'],
			// Lets the run finish so every lost message is counted (n8n's default stops at the first error,
			// after all requests were already fired).
			continueOnFail: true,
		},
	});
	const batches = options.batches ?? [
		[80, 1000],
		[1, 13],
	];
	return [
		ours,
		...(options.builtinDefaults === false ? [] : [builtin('n8n WhatsApp (defaults)')]),
		...batches.map(([batchSize, batchInterval]) =>
			builtin(`n8n WhatsApp (batch ${batchSize} / ${batchInterval} ms)`, { batching: { batch: { batchSize, batchInterval } } }),
		),
	];
}

/** Node types and credentials for both sides, pointed at the counterpart at `baseUrl`. */
export function setupNodes(baseUrl: string, floor: { rate: number; inFlight: number } = { rate: 1000, inFlight: 300 }) {
	const base = findNodesBase();
	const extra: Record<string, INodeType> = {};
	const credentialTypes: Record<string, ICredentialType> = { ...allCredentialTypes() };
	if (base) {
		const whatsApp = loadBuiltin<INodeType>(base, 'nodes/WhatsApp/WhatsApp.node.js', 'WhatsApp');
		// Same node, pointed at the counterpart (its base URL is hard-coded to graph.facebook.com/v13.0).
		whatsApp.description.requestDefaults = { ...whatsApp.description.requestDefaults, baseURL: `${baseUrl}/v21.0/` };
		// The n8n server runs a declarative node through RoutingNode as its execute(). Its loader adds the
		// "requestOptions" (batching) options only to nodes without a webhook, and this node has one (Send
		// and Wait), so n8n 2.41.1 does not offer batching for it: a user would hand-tune with Loop Over
		// Items (80) + Wait (1 s). We add the options anyway so RoutingNode paces it the same way.
		const { webhook } = whatsApp;
		whatsApp.webhook = undefined;
		DirectoryLoader.applyDeclarativeNodeOptionParameters(whatsApp);
		whatsApp.webhook = webhook;
		whatsApp.execute = async function (this: IExecuteFunctions) {
			return (await new RoutingNode(this as never, whatsApp).runNode()) ?? [];
		};
		extra[`${PACKAGE}.builtinWhatsApp`] = whatsApp;
		credentialTypes.whatsAppApi = loadBuiltin<ICredentialType>(base, 'credentials/WhatsAppApi.credentials.js', 'WhatsAppApi');
	}
	extra[`${PACKAGE}.httpFloor`] = httpFloorNode(baseUrl, floor.rate, floor.inFlight);
	const nodeTypes = new TestNodeTypes(extra);
	// As the editor saves it: the node's parameters completed with their defaults (declarative nodes read
	// displayOptions against them).
	const complete = (variant: Variant): Variant => {
		if (variant.node.type !== 'builtinWhatsApp') return variant;
		const type = extra[`${PACKAGE}.builtinWhatsApp`];
		const parameters = NodeHelpers.getNodeParameters(
			type.description.properties,
			variant.node.parameters as INodeParameters,
			false,
			false,
			{ typeVersion: variant.node.typeVersion ?? 1 } as INode,
			type.description,
		);
		return { ...variant, node: { ...variant.node, parameters: { ...(parameters as IDataObject), ...variant.node.parameters } } };
	};
	const credentials = () =>
		new TestCredentialsHelper(credentialTypes)
			.set('waCommerceMetaApi', { accessToken: TOKEN, businessAccountId: WABA, apiVersion: 'v25.0', baseUrl })
			.set('whatsAppApi', { accessToken: TOKEN, businessAccountId: WABA });
	return { base, nodeTypes, credentials, complete };
}

/** The rows of one scenario, medians over `runs`. */
export async function runScenario(
	meta: RemoteMeta,
	setup: ReturnType<typeof setupNodes>,
	scenario: Scenario,
	runs: number,
	log: (line: string) => void,
): Promise<P1Row[]> {
	const { base, nodeTypes, credentials: makeCredentials, complete } = setup;
	const input = Array.from({ length: scenario.items }, (_, i) => ({
		to: `9190${String(i).padStart(8, '0')}`,
		ref: `INV-${i}`,
		from: PHONES[i % scenario.senders],
	}));
	const oursBulk = scenario.limit !== 80 ? { messagesPerSecond: scenario.limit } : {};
	const list = variants(Boolean(base), oursBulk, {
		batches: scenario.batches,
		builtinDefaults: scenario.builtinDefaults,
		perItemSender: scenario.senders > 1,
	}).map(complete);
	const rows: P1Row[] = [];
	for (const variant of list) {
		const samples: P1Row[] = [];
		for (let run = 0; run < runs; run++) {
			await meta.reset(scenario.limit, scenario.latencyMs);
			const credentials = makeCredentials();
			const cpuBefore = process.cpuUsage();
			const started = Date.now();
			const result = await runNode(variant.node, input, credentials, { nodeTypes });
			const seconds = (Date.now() - started) / 1000;
			const cpu = process.cpuUsage(cpuBefore);
			const stats = await meta.stats();
			const delivered = stats.accepted.length;
			const unique = new Set(stats.acceptedRecipients).size;
			const bySender = new Map<string, number[]>();
			stats.attempts.forEach((at, i) => {
				const sender = stats.attemptSenders[i];
				bySender.set(sender, [...(bySender.get(sender) ?? []), at]);
			});
			const accepted = [...stats.accepted].sort((a, b) => a - b);
			const sample: P1Row = {
				scenario: scenario.id,
				items: scenario.items,
				limit: scenario.limit,
				latencyMs: scenario.latencyMs,
				senders: scenario.senders,
				variant: variant.name,
				delivered,
				lost: scenario.items - unique,
				refusedByLimit: stats.refused,
				msgPerSecond: delivered / seconds,
				rateAtMeta: accepted.length > 1 ? (accepted.length - 1) / ((accepted[accepted.length - 1] - accepted[0]) / 1000) : 0,
				peakPerSecond: Math.max(0, ...[...bySender.values()].map((times) => peakInWindow(times))),
				seconds,
				duplicates: delivered - unique,
				cpuMicrosPerMessage: delivered > 0 ? (cpu.user + cpu.system) / delivered : 0,
				counterpartCpuMicrosPerMessage: delivered > 0 ? stats.cpuMicros / delivered : 0,
			};
			if (result.error) log(`  ${variant.name}: run error: ${result.error.message}`);
			if (delivered === 0) log(`  ${variant.name}: nothing delivered; first item: ${JSON.stringify(result.items[0]?.json ?? null)}`);
			log(
				`  ${scenario.id} ${scenario.latencyMs} ms ${variant.name} run ${run + 1}: delivered ${delivered}, lost ${sample.lost}, ` +
					`${sample.msgPerSecond.toFixed(1)} msg/s (${sample.rateAtMeta.toFixed(1)} at Meta), peak ${sample.peakPerSecond}/s, ` +
					`${seconds.toFixed(1)} s, CPU ${sample.cpuMicrosPerMessage.toFixed(0)} µs/msg (counterpart ${sample.counterpartCpuMicrosPerMessage.toFixed(0)})`,
			);
			samples.push(sample);
		}
		const mid = (pick: (row: P1Row) => number) => median(samples.map(pick));
		rows.push({
			...samples[0],
			delivered: mid((s) => s.delivered),
			lost: mid((s) => s.lost),
			refusedByLimit: mid((s) => s.refusedByLimit),
			msgPerSecond: mid((s) => s.msgPerSecond),
			rateAtMeta: mid((s) => s.rateAtMeta),
			// The worst run, not the median: "never above the limit" must hold in every run.
			peakPerSecond: Math.max(...samples.map((s) => s.peakPerSecond)),
			seconds: mid((s) => s.seconds),
			duplicates: Math.max(...samples.map((s) => s.duplicates)),
			cpuMicrosPerMessage: mid((s) => s.cpuMicrosPerMessage),
			counterpartCpuMicrosPerMessage: mid((s) => s.counterpartCpuMicrosPerMessage),
		});
	}
	return rows;
}

/** Every scenario whose id is in `only` (P1, P1C, P1D), each with its rows. */
export async function runP1(
	runs: number,
	only: Set<string>,
	log: (line: string) => void,
): Promise<{ scenarios: Array<{ scenario: Scenario; rows: P1Row[] }>; builtin: string | undefined }> {
	const meta = await RemoteMeta.start();
	try {
		const setup = setupNodes(meta.baseUrl);
		const done: Array<{ scenario: Scenario; rows: P1Row[] }> = [];
		for (const scenario of scenarios().filter((s) => only.has(s.id.toUpperCase()))) {
			log(scenario.title);
			done.push({ scenario, rows: await runScenario(meta, setup, scenario, runs, log) });
		}
		return { scenarios: done, builtin: setup.base };
	} finally {
		meta.stop();
	}
}
