/**
 * `node -r ./bench/register.js bench/p2Stages.ts [samples] [deliveries per sample]`: where a trigger's CPU goes on
 * P2's signed 100-event deliveries, one stage at a time, each stage a trigger of its own run through n8n-core's
 * WebhookContext like P2's rows, all interleaved in one process (medians, µs per event):
 *   plumbing (reads the body) -> + signature -> + parse and normalize -> + duplicate check -> our whole trigger,
 *   and n8n's WhatsApp Trigger with only its signature check, then whole.
 * A stage's figure minus the one before it is what that stage costs.
 */
import '../test/harness/env';

import { createHmac } from 'crypto';
import type { ICredentialType, INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { claimInProcess } from '../nodes/shared/effects/deliveries';
import { META_EVENT_KEYS, parseMetaWebhook } from '../nodes/shared/meta/webhookEvents';
import { signMetaBody, verifyMetaSignature } from '../nodes/shared/signatures';
import { TestCredentialsHelper, TestNodeTypes } from '../test/harness/engine';
import { allCredentialTypes, PACKAGE } from '../test/harness/registry';
import { findNodesBase, loadBuiltin, median, TOKEN, WABA } from './lib';
import { EVENTS, payload, webhookRunner } from './p2';

const APP_SECRET = 'meta-app-secret-for-bench';
const OURS = `${PACKAGE}.whatsAppCommerceTrigger`;
const PARAMETERS = { registration: 'manual', verifyToken: 'bench', events: ['order', 'paymentStatus', 'messageStatus', 'interactiveReply', 'paymentConfigurationUpdate'] };

type RawRequest = { rawBody: Buffer };

/** Our trigger cut after `stage`: 0 reads the body, 1 verifies, 2 parses and normalizes, 3 claims. */
function oursUpTo(stage: number, description: INodeType['description']): INodeType {
	return {
		description,
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			const body = this.getBodyData();
			if (stage >= 1) {
				const { appSecret } = await this.getCredentials('waCommerceMetaApi');
				const header = this.getHeaderData()['x-hub-signature-256'] as string;
				if (!verifyMetaSignature((this.getRequestObject() as unknown as RawRequest).rawBody, String(appSecret), header)) throw new Error('signature');
			}
			if (stage < 2) return { webhookResponse: 'OK' };
			let events = parseMetaWebhook(body);
			if (stage >= 3) events = claimInProcess(this, events, META_EVENT_KEYS, this.getNode().id);
			return { webhookResponse: 'OK', workflowData: [events.map((event) => ({ json: event.json }))] };
		},
	};
}

/** n8n's WhatsApp Trigger's signature check alone (its webhook() up to `x-hub-signature-256`). */
function builtinSignatureOnly(description: INodeType['description']): INodeType {
	return {
		description,
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			this.getBodyData();
			const { clientSecret } = await this.getCredentials('whatsAppTriggerApi');
			const digest = createHmac('sha256', String(clientSecret)).update((this.getRequestObject() as unknown as RawRequest).rawBody).digest('hex');
			if (this.getHeaderData()['x-hub-signature-256'] !== `sha256=${digest}`) throw new Error('signature');
			return {};
		},
	};
}

async function main(): Promise<void> {
	const samples = Number(process.argv[2] ?? 30);
	const perSample = Number(process.argv[3] ?? 100);
	const deliveries = Array.from({ length: 480 }, (_, d) => {
		const raw = payload(d);
		return { raw, signature: signMetaBody(raw, APP_SECRET) };
	});
	const types: Record<string, ICredentialType> = { ...allCredentialTypes() };
	const base = findNodesBase();
	if (!base) throw new Error("n8n-nodes-base not found: run npm start once (it provisions n8n)");
	types.whatsAppTriggerApi = loadBuiltin<ICredentialType>(base, 'credentials/WhatsAppTriggerApi.credentials.js', 'WhatsAppTriggerApi');
	const credentials = new TestCredentialsHelper(types)
		.set('waCommerceMetaApi', { accessToken: TOKEN, businessAccountId: WABA, apiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9', appSecret: APP_SECRET })
		.set('whatsAppTriggerApi', { clientId: '1234567890', clientSecret: APP_SECRET });
	const ours = new TestNodeTypes().getByName(OURS);
	const builtin = loadBuiltin<INodeType>(base, 'nodes/WhatsApp/WhatsAppTrigger.node.js', 'WhatsAppTrigger');
	const builtinParameters = { updates: ['messages'], options: {} };

	const stages: Array<[string, (raw: Buffer, signature: string) => Promise<number>]> = [
		['plumbing (reads the body)', webhookRunner(oursUpTo(0, ours.description), OURS, PARAMETERS, credentials, 'waCommerceMetaApi')],
		['ours + signature', webhookRunner(oursUpTo(1, ours.description), OURS, PARAMETERS, credentials, 'waCommerceMetaApi')],
		['ours + parse, normalize', webhookRunner(oursUpTo(2, ours.description), OURS, PARAMETERS, credentials, 'waCommerceMetaApi')],
		// Own node ids: two runners with one id would share a duplicate memory and see each other's events.
		['ours + duplicate check', webhookRunner(oursUpTo(3, ours.description), OURS, PARAMETERS, credentials, 'waCommerceMetaApi', 'stage-3')],
		['ours, whole trigger', webhookRunner(ours, OURS, PARAMETERS, credentials, 'waCommerceMetaApi', 'whole')],
		['n8n + signature', webhookRunner(builtinSignatureOnly(builtin.description), 'n8n-nodes-base.whatsAppTrigger', builtinParameters, credentials, 'whatsAppTriggerApi')],
		['n8n, whole trigger', webhookRunner(builtin, 'n8n-nodes-base.whatsAppTrigger', builtinParameters, credentials, 'whatsAppTriggerApi')],
	];
	const next = stages.map(() => 0);
	const run = async (stage: number, count: number): Promise<number> => {
		const start = process.cpuUsage();
		for (let i = 0; i < count; i++) {
			const { raw, signature } = deliveries[next[stage]++ % deliveries.length];
			await stages[stage][1](raw, signature);
		}
		const used = process.cpuUsage(start);
		return (used.user + used.system) / (count * EVENTS);
	};
	for (let stage = 0; stage < stages.length; stage++) await run(stage, 500);
	const micros: number[][] = stages.map(() => []);
	for (let sample = 0; sample < samples; sample++) {
		for (let k = 0; k < stages.length; k++) {
			const stage = (k + sample) % stages.length;
			micros[stage].push(await run(stage, perSample));
		}
	}
	for (const [index, [name]] of stages.entries()) process.stdout.write(`${name.padEnd(28)} ${median(micros[index]).toFixed(2)} µs per event\n`);
}

void main();
