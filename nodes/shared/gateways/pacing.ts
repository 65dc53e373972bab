/**
 * Many gateway calls in one run (an ERP turning thousands of invoices into PayLinks): every request to the
 * gateway waits for a slot under "Requests per Second", and items run side by side while the gateway's
 * in-flight window has room. The window follows the gateway's measured response time (rate x round trip,
 * transport/window.ts), so a slow gateway still gets its full rate; "Max Requests in Flight" is an upper bound
 * the user may set. Gateways answer 429 above their limits (Stripe allows about 100 requests per second live
 * and 25 in test mode); a 429 pauses that gateway's requests, honouring Retry-After, through the same limiter
 * and throttle the WhatsApp sends use. Refund > Create keeps the pace but runs one item at a time (see the router).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AttemptObserver, RequestContext } from '../transport/http';
import { clampSetting, optionalSetting, realClock, SendThrottle } from '../transport/throttle';
import type { GatewayId } from './types';

// The default of "Requests per Second" (n8n's linter wants it written as a literal there too).
const DEFAULTS = { requestsPerSecond: 20 };
const LIMITS = { maxInFlight: 200, requestsPerSecond: 100 };

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
				default: 10,
				typeOptions: { minValue: 1, maxValue: LIMITS.maxInFlight },
				description: 'Upper bound on the items waiting for the gateway\'s answer at the same time. Leave out to size it automatically from Requests per Second and the gateway\'s measured response time.',
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

/**
 * Sets up this run's pacing from the node's options and returns what the item loop needs: how many items may
 * have started (read again as the window adapts) and what to do when the run stops after a failure.
 */
export function startPacing(ctx: IExecuteFunctions): { inFlight: () => number; onStop: () => void } {
	const raw = (ctx.getNodeParameter('pacing', 0, {}) ?? {}) as IDataObject;
	const maxInFlight = optionalSetting(raw.maxInFlight, 1, LIMITS.maxInFlight);
	const requestsPerSecond = clampSetting(raw.requestsPerSecond, DEFAULTS.requestsPerSecond, 1, LIMITS.requestsPerSecond);
	const throttle = new SendThrottle({ messagesPerSecond: requestsPerSecond, maxInFlight, retryTimeouts: false, timeoutMs: 30000 }, realClock);
	throttles.set(ctx, throttle);
	return { inFlight: () => throttle.itemsAhead(), onStop: () => throttle.stop() };
}

/** The pacing hooks for one request of this run (none outside a paced run: triggers, credential tests). */
export function pacingObserver(ctx: RequestContext, gateway: GatewayId): AttemptObserver {
	return throttles.get(ctx)?.observer(gateway, '') ?? {};
}
