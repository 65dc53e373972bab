/**
 * `node -r ./bench/register.js bench/profileP2.ts [ours|builtin] [deliveries]`: our trigger's (or n8n's) webhook()
 * on P2's signed 100-event deliveries, for a CPU profile (add --cpu-prof) or a quick µs-per-event figure.
 */
import '../test/harness/env';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { signMetaBody } from '../nodes/shared/signatures';
import { TestCredentialsHelper, TestNodeTypes } from '../test/harness/engine';
import { allCredentialTypes, PACKAGE } from '../test/harness/registry';
import { findNodesBase, loadBuiltin, TOKEN, WABA } from './lib';
import { EVENTS, payload, webhookRunner } from './p2';

const APP_SECRET = 'meta-app-secret-for-bench';

async function main(): Promise<void> {
	const [which = 'ours', count = '3000'] = process.argv.slice(2);
	const deliveries = Array.from({ length: 480 }, (_, d) => {
		const raw = payload(d);
		return { raw, signature: signMetaBody(raw, APP_SECRET) };
	});
	const types: Record<string, ICredentialType> = { ...allCredentialTypes() };
	const base = findNodesBase()!;
	types.whatsAppTriggerApi = loadBuiltin<ICredentialType>(base, 'credentials/WhatsAppTriggerApi.credentials.js', 'WhatsAppTriggerApi');
	const credentials = new TestCredentialsHelper(types)
		.set('waCommerceMetaApi', { accessToken: TOKEN, businessAccountId: WABA, apiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9', appSecret: APP_SECRET })
		.set('whatsAppTriggerApi', { clientId: '1234567890', clientSecret: APP_SECRET });
	const hook =
		which === 'ours'
			? webhookRunner(
					new TestNodeTypes().getByName(`${PACKAGE}.whatsAppCommerceTrigger`),
					`${PACKAGE}.whatsAppCommerceTrigger`,
					{ registration: 'manual', verifyToken: 'bench', events: ['order', 'paymentStatus', 'messageStatus', 'interactiveReply', 'paymentConfigurationUpdate'] },
					credentials,
					'waCommerceMetaApi',
				)
			: webhookRunner(loadBuiltin<INodeType>(base, 'nodes/WhatsApp/WhatsAppTrigger.node.js', 'WhatsAppTrigger'), 'n8n-nodes-base.whatsAppTrigger', { updates: ['messages'], options: {} }, credentials, 'whatsAppTriggerApi');
	const n = Number(count);
	for (let i = 0; i < 300; i++) await hook(deliveries[i % 480].raw, deliveries[i % 480].signature);
	const cpu = process.cpuUsage();
	for (let i = 0; i < n; i++) await hook(deliveries[i % 480].raw, deliveries[i % 480].signature);
	const used = process.cpuUsage(cpu);
	process.stdout.write(`${which}: ${((used.user + used.system) / (n * EVENTS)).toFixed(2)} µs/event\n`);
}

void main();
