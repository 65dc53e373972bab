/**
 * P1 bulk send: 2,000 items against the counterpart enforcing 80 msg/s (130429 above it) with 50 ms
 * latency. Ours with defaults vs n8n-nodes-base's WhatsApp node (declarative, run by n8n-core's
 * RoutingNode) with its defaults, and with its batching hand-tuned to 80 per second.
 */
import type { ICredentialType, IDataObject, IExecuteFunctions, INode, INodeParameters, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { DirectoryLoader, RoutingNode } from 'n8n-core';

import { runNode, TestCredentialsHelper, TestNodeTypes, type NodeUnderTest } from '../test/harness/engine';
import { allCredentialTypes, PACKAGE } from '../test/harness/registry';
import { findNodesBase, loadBuiltin, median, peakInWindow, PHONE, RemoteMeta, TOKEN, WABA } from './lib';

export interface P1Row {
	variant: string;
	delivered: number;
	lost: number;
	refusedByLimit: number;
	msgPerSecond: number;
	peakPerSecond: number;
	seconds: number;
	duplicates: number;
}

const ITEMS = Number(process.env.BENCH_P1_ITEMS ?? 2000);
const LIMIT = 80;
const LATENCY_MS = 50;

export interface Variant {
	name: string;
	node: NodeUnderTest;
}

export function variants(builtinAvailable: boolean, oursBulk: IDataObject = {}): Variant[] {
	const ours: Variant = {
		name: 'ours (defaults)',
		node: {
			type: 'whatsAppCommerce',
			parameters: {
				resource: 'order',
				operation: 'sendOrderStatus',
				phoneNumberId: { __rl: true, mode: 'id', value: PHONE },
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
				phoneNumberId: PHONE,
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
	return [
		ours,
		builtin('n8n WhatsApp (defaults)'),
		builtin('n8n WhatsApp (batch 80 / 1000 ms)', { batching: { batch: { batchSize: LIMIT, batchInterval: 1000 } } }),
		builtin('n8n WhatsApp (batch 1 / 13 ms)', { batching: { batch: { batchSize: 1, batchInterval: 13 } } }),
	];
}

/** Node types and credentials for both sides, pointed at the counterpart at `baseUrl`. */
export function setupNodes(baseUrl: string) {
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

export async function runP1(runs: number, log: (line: string) => void): Promise<{ rows: P1Row[]; builtin: string | undefined }> {
	const meta = await RemoteMeta.start();
	try {
		const { base, nodeTypes, credentials: makeCredentials, complete } = setupNodes(meta.baseUrl);
		const input = Array.from({ length: ITEMS }, (_, i) => ({ to: `9190${String(i).padStart(8, '0')}`, ref: `INV-${i}` }));
		const rows: P1Row[] = [];
		for (const variant of variants(Boolean(base)).map(complete)) {
			const samples: P1Row[] = [];
			for (let run = 0; run < runs; run++) {
				await meta.reset(LIMIT, LATENCY_MS);
				const credentials = makeCredentials();
				const started = Date.now();
				const result = await runNode(variant.node, input, credentials, { nodeTypes });
				const seconds = (Date.now() - started) / 1000;
				const stats = await meta.stats();
				const delivered = stats.accepted.length;
				const unique = new Set(stats.acceptedRecipients).size;
				const sample: P1Row = {
					variant: variant.name,
					delivered,
					lost: ITEMS - unique,
					refusedByLimit: stats.refused,
					msgPerSecond: delivered / seconds,
					peakPerSecond: peakInWindow(stats.attempts),
					seconds,
					duplicates: delivered - unique,
				};
				if (result.error) log(`  ${variant.name}: run error: ${result.error.message}`);
				if (delivered === 0) log(`  ${variant.name}: nothing delivered; first item: ${JSON.stringify(result.items[0]?.json ?? null)}`);
				log(`  ${variant.name} run ${run + 1}: delivered ${delivered}, lost ${sample.lost}, ${sample.msgPerSecond.toFixed(1)} msg/s, peak ${sample.peakPerSecond}/s, ${seconds.toFixed(1)} s`);
				samples.push(sample);
			}
			rows.push({
				variant: variant.name,
				delivered: median(samples.map((s) => s.delivered)),
				lost: median(samples.map((s) => s.lost)),
				refusedByLimit: median(samples.map((s) => s.refusedByLimit)),
				msgPerSecond: median(samples.map((s) => s.msgPerSecond)),
				peakPerSecond: median(samples.map((s) => s.peakPerSecond)),
				seconds: median(samples.map((s) => s.seconds)),
				duplicates: Math.max(...samples.map((s) => s.duplicates)),
			});
		}
		return { rows, builtin: base };
	} finally {
		meta.stop();
	}
}
