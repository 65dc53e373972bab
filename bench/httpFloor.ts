/**
 * P3's floor: a bench-only node that does nothing but n8n's own HTTP helper. It sends the items at a fixed rate
 * with as many requests in flight as ours keeps at that rate and latency, each through
 * `this.helpers.httpRequestWithAuthentication` with the same credential and options. It does not classify
 * answers, retry, adapt its pace or validate anything.
 * Whatever memory it grows by is what n8n's HTTP client and engine cost at this rate. No node that sends
 * through n8n's helper (which the package rules require) can grow by less.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { PHONE } from './lib';

/** `rate` messages per second, at most `inFlight` requests at once (ours keeps rate x latency x 1.2). */
export function httpFloorNode(baseUrl: string, rate = 1000, inFlight = 300): INodeType {
	return {
		description: {
			displayName: 'HTTP floor (bench only)',
			name: 'httpFloor',
			group: ['output'],
			version: 1,
			description: "n8n's HTTP helper alone, paced",
			defaults: { name: 'HTTP floor' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'waCommerceMetaApi', required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const data = await this.getCredentials('waCommerceMetaApi');
			const credentialsDecrypted = { id: 'floor', name: 'floor', type: 'waCommerceMetaApi', data };
			const out: INodeExecutionData[] = new Array(items.length);
			const started = Date.now();
			let next = 0;
			const worker = async () => {
				for (let i = next++; i < items.length; i = next++) {
					const wait = started + (i * 1000) / rate - Date.now();
					if (wait > 0) await sleep(wait);
					const answer = (await this.helpers.httpRequestWithAuthentication.call(
						this,
						'waCommerceMetaApi',
						{
							method: 'POST',
							url: `${baseUrl}/v25.0/${PHONE}/messages`,
							body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: String(items[i].json.to), type: 'text', text: { body: 'Your order is on its way' } },
							json: true,
							// As ours asks: the whole answer, errors as answers (a 130429 must not end the run).
							returnFullResponse: true,
							ignoreHttpStatusErrors: true,
						},
						{ credentialsDecrypted },
					)) as { statusCode: number; body: { messages?: Array<{ id?: string }> } };
					out[i] = { json: { statusCode: answer.statusCode, messageId: answer.body?.messages?.[0]?.id }, pairedItem: { item: i } };
				}
			};
			await Promise.all(Array.from({ length: inFlight }, worker));
			return [out];
		},
	};
}
