/**
 * Stripe's webhook endpoint API as the trigger uses it: form-encoded create (url + enabled_events[]), fetch,
 * delete, Bearer secret key; answers in Stripe's shapes, including the one-time `secret`.
 */
import { randomBytes } from 'crypto';

import { bearerToken, Counterpart } from './server';
import type { RecordedRequest, Reply } from './server';

export interface StripeEndpoint {
	id: string;
	object: 'webhook_endpoint';
	url: string;
	enabled_events: string[];
	status: 'enabled';
	secret?: string;
}

const stripeError = (status: number, type: string, message: string, code?: string): Reply => ({
	status,
	body: { error: { type, message, ...(code ? { code } : {}) } },
});

export class StripeWebhooksCounterpart extends Counterpart {
	secretKey = 'sk_test_triggers';
	readonly endpoints = new Map<string, StripeEndpoint>();

	constructor() {
		super('Stripe');
		const guard = (handler: (r: RecordedRequest) => Reply) => (r: RecordedRequest): Reply =>
			bearerToken(r) === this.secretKey
				? handler(r)
				: stripeError(401, 'invalid_request_error', 'Invalid API Key provided');
		this.route('POST', '/v1/webhook_endpoints', guard((r) => {
			if (!String(r.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
				return stripeError(400, 'invalid_request_error', 'Invalid request (check that your POST content type is application/x-www-form-urlencoded).');
			}
			const form = (r.body ?? {}) as Record<string, string>;
			if (!/^https?:\/\//.test(form.url ?? '')) return stripeError(400, 'invalid_request_error', 'Invalid URL', 'url_invalid');
			const events = Object.keys(form).filter((k) => /^enabled_events\[\d+\]$/.test(k)).map((k) => form[k]);
			if (events.length === 0) return stripeError(400, 'invalid_request_error', 'Missing required param: enabled_events.', 'parameter_missing');
			const endpoint: StripeEndpoint = {
				id: `we_${randomBytes(8).toString('hex')}`,
				object: 'webhook_endpoint',
				url: form.url,
				enabled_events: events,
				status: 'enabled',
			};
			this.endpoints.set(endpoint.id, endpoint);
			return { status: 200, body: { ...endpoint, secret: `whsec_${randomBytes(16).toString('hex')}` } };
		}));
		this.route('GET', '/v1/webhook_endpoints/:id', guard((r) => {
			const found = this.endpoints.get(r.params.id);
			if (!found) return stripeError(404, 'invalid_request_error', `No such webhook endpoint: '${r.params.id}'`, 'resource_missing');
			return { status: 200, body: found };
		}));
		this.route('DELETE', '/v1/webhook_endpoints/:id', guard((r) => {
			if (!this.endpoints.delete(r.params.id)) {
				return stripeError(404, 'invalid_request_error', `No such webhook endpoint: '${r.params.id}'`, 'resource_missing');
			}
			return { status: 200, body: { id: r.params.id, object: 'webhook_endpoint', deleted: true } };
		}));
	}
}
