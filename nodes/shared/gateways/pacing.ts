/**
 * Many gateway calls in one run (an ERP turning thousands of invoices into PayLinks): the Payment Gateway node
 * runs up to "Max Requests in Flight" items together, and every request to the gateway waits for a slot under
 * "Requests per Second". Gateways answer 429 above their limits (Stripe allows about 100 requests per second
 * live and 25 in test mode); a 429 slows the whole run down, honouring Retry-After, through the same limiter
 * and throttle the WhatsApp sends use. Refund > Create keeps the pace but runs one item at a time (see the router).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AttemptObserver, RequestContext } from '../transport/http';
import { clampSetting, realClock, SendThrottle } from '../transport/throttle';
import type { GatewayId } from './types';

// The defaults of the two options below (n8n's linter wants them written as literals there).
const DEFAULTS = { maxInFlight: 5, requestsPerSecond: 20 };
const LIMITS = { maxInFlight: 50, requestsPerSecond: 100 };

export function pacingField(): INodeProperties {
	return {
		displayName: 'Bulk Processing',
		name: 'pacing',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'How many items of this run go to the gateway at the same time, and how fast. Refund > Create always runs one item at a time, so two refunds of one payment never race.',
		options: [
			{
				displayName: 'Max Requests in Flight',
				name: 'maxInFlight',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1, maxValue: LIMITS.maxInFlight },
				description: 'How many items may wait for the gateway\'s answer at the same time',
			},
			{
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				default: 20,
				typeOptions: { minValue: 1, maxValue: LIMITS.requestsPerSecond },
				description: 'Never more requests than this reach the gateway in any second (Stripe test mode allows 25)',
			},
		],
	};
}

// One throttle per node run, keyed by the execute context (created per run), so the state dies with it.
const throttles = new WeakMap<object, SendThrottle>();

/** Sets up this run's pacing from the node's options and returns how many items may run at once. */
export function startPacing(ctx: IExecuteFunctions): number {
	const raw = (ctx.getNodeParameter('pacing', 0, {}) ?? {}) as IDataObject;
	const maxInFlight = clampSetting(raw.maxInFlight, DEFAULTS.maxInFlight, 1, LIMITS.maxInFlight);
	const requestsPerSecond = clampSetting(raw.requestsPerSecond, DEFAULTS.requestsPerSecond, 1, LIMITS.requestsPerSecond);
	throttles.set(ctx, new SendThrottle({ messagesPerSecond: requestsPerSecond, maxInFlight, retryTimeouts: false, timeoutMs: 30000 }, realClock));
	return maxInFlight;
}

/** The pacing hooks for one request of this run (none outside a paced run: triggers, credential tests). */
export function pacingObserver(ctx: RequestContext, gateway: GatewayId): AttemptObserver {
	return throttles.get(ctx)?.observer(gateway, '') ?? {};
}
