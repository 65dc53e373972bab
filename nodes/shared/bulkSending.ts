/**
 * Bulk sending in the node: the "Bulk Sending" options, the per-execution throttle, the throttled
 * message post used by every send operation, and the item loop that keeps every sending number busy.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { META_CREDENTIAL, type MetaCredential, metaCredential, metaPolicy } from './meta/graph';
import { type ItemOperation, runForEachItem } from './nodeErrors';
import { sendRequest } from './transport/http';
import { MAX_MESSAGES_PER_SECOND } from './transport/rateLimiter';
import { clampSetting, DEFAULT_THROTTLE, optionalSetting, realClock, SendThrottle, type ThrottleSettings } from './transport/throttle';

export function bulkSendingField(operations: string[]): INodeProperties {
	return {
		displayName: 'Bulk Sending',
		name: 'bulkSending',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'Pace the sends of this node to the limits of the sending number',
		displayOptions: { show: { operation: operations } },
		options: [
			{
				displayName: 'Max Requests in Flight',
				name: 'maxInFlight',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1, maxValue: 1000 },
				description: 'Upper bound on the messages of one sending number waiting for Meta\'s answer at the same time. Leave out to size it automatically: messages per second x Meta\'s measured response time, so the limit is reached whatever the latency.',
			},
			{
				displayName: 'Messages per Second',
				name: 'messagesPerSecond',
				type: 'number',
				default: 80,
				typeOptions: { minValue: 1, maxValue: MAX_MESSAGES_PER_SECOND },
				description: 'Throughput limit of the sending number (80 by default at Meta, up to 1,000 on upgraded numbers); never exceeded in any second',
			},
			{
				displayName: 'Retry Timeouts',
				name: 'retryTimeouts',
				type: 'boolean',
				default: false,
				description: 'Whether to send again when Meta does not answer in time. Off by default: Meta may have accepted the message, so a retry could deliver it twice.',
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				default: 30000,
				typeOptions: { minValue: 100 },
				description: 'Time in ms to wait for Meta\'s answer to one message',
			},
		],
	};
}

/** The node's Bulk Sending options (node-level: read from the first item). */
export function readThrottleSettings(ctx: IExecuteFunctions): ThrottleSettings {
	const raw = (ctx.getNodeParameter('bulkSending', 0, {}) ?? {}) as IDataObject;
	return {
		messagesPerSecond: clampSetting(raw.messagesPerSecond, DEFAULT_THROTTLE.messagesPerSecond, 1, MAX_MESSAGES_PER_SECOND),
		maxInFlight: optionalSetting(raw.maxInFlight, 1, 1000),
		retryTimeouts: raw.retryTimeouts === true,
		timeoutMs: clampSetting(raw.timeout, DEFAULT_THROTTLE.timeoutMs, 100, 300000),
	};
}

// One throttle per node run: the execute context is created per run, so the state dies with it.
const throttles = new WeakMap<object, SendThrottle>();


export function throttleFor(ctx: IExecuteFunctions): SendThrottle {
	let throttle = throttles.get(ctx);
	if (!throttle) {
		throttle = new SendThrottle(readThrottleSettings(ctx), realClock);
		throttles.set(ctx, throttle);
	}
	return throttle;
}

/**
 * The Meta credential, read once per node run: a bulk send posts up to a thousand messages a second, and
 * reading (in n8n: loading, decrypting, resolving) the credential twice per message was a large share of the
 * CPU each message costs.
 */
const credentials = new WeakMap<object, Promise<{ credential: MetaCredential; data: ICredentialDataDecryptedObject }>>();

function runCredential(ctx: IExecuteFunctions) {
	let known = credentials.get(ctx);
	if (!known) {
		known = Promise.all([metaCredential(ctx), ctx.getCredentials(META_CREDENTIAL)]).then(([credential, data]) => ({ credential, data }));
		// A failed read is not kept: the next item reads again (and fails with n8n's own message).
		known.catch(() => credentials.delete(ctx));
		credentials.set(ctx, known);
	}
	return known;
}

/** Posts one message body to `/{phoneNumberId}/messages`, paced by this run's throttle. */
export async function postMessage<T = IDataObject>(
	ctx: IExecuteFunctions,
	phoneNumberId: string,
	to: string,
	body: IDataObject,
): Promise<T> {
	const throttle = throttleFor(ctx);
	const { credential, data } = await runCredential(ctx);
	const response = await sendRequest<T>(
		ctx,
		META_CREDENTIAL,
		{
			method: 'POST',
			url: `${credential.baseUrl}/${credential.apiVersion}/${phoneNumberId}/messages`,
			body,
			timeoutMs: throttle.settings.timeoutMs,
			credentialData: data,
		},
		metaPolicy({ retryOnTimeout: throttle.settings.retryTimeouts }),
		throttle.observer(phoneNumberId, to),
	);
	return response.body;
}

/**
 * runForEachItem for every send operation: items start while the sending numbers' in-flight windows (plus a
 * short queue) have room, so each number reaches its rate whatever Meta's latency; after a failure without
 * Continue On Fail, items still waiting for their first attempt are not sent.
 */
export async function runSendItems(ctx: IExecuteFunctions, operation: ItemOperation): Promise<INodeExecutionData[]> {
	const throttle = throttleFor(ctx);
	return await runForEachItem(ctx, operation, { inFlight: () => throttle.itemsAhead(), onStop: () => throttle.stop() });
}
