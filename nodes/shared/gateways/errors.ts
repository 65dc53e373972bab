/**
 * The retry policy shared by the gateways (429 and 5xx retried with backoff, other 4xx not) and the helper
 * that turns a gateway's error body into a RemoteApiError keeping its code and message.
 */
import { RemoteApiError } from '../errors';
import type { HttpResponse, Outcome, RetryPolicy } from '../transport/http';

export function gatewayPolicy(
	service: string,
	toError: (response: HttpResponse) => RemoteApiError,
	options: { isOk?: (response: HttpResponse) => boolean } = {},
): RetryPolicy {
	return {
		service,
		maxAttempts: 4,
		baseDelayMs: 500,
		maxDelayMs: 20000,
		classify(response: HttpResponse): Outcome {
			const ok = options.isOk ? options.isOk(response) : response.statusCode >= 200 && response.statusCode < 300;
			if (ok) return { kind: 'ok' };
			if (response.statusCode === 429) return { kind: 'retry', reason: 'rate limited (429)', throttled: true };
			if (response.statusCode >= 500) return { kind: 'retry', reason: `HTTP ${response.statusCode}` };
			return { kind: 'fail', error: toError(response) };
		},
	};
}

/** Hints by HTTP status when the gateway gives none. */
export function statusHint(status: number | undefined, service: string): string | undefined {
	if (status === 401 || status === 403) return `${service} refused the credentials: check the keys in the ${service} credential (test vs live).`;
	if (status === 404) return `${service} does not know this ID: check it was created with the same account and mode.`;
	return undefined;
}

export function remoteError(service: string, response: HttpResponse, code: string | undefined, message: string, extra: { hint?: string; detail?: string } = {}): RemoteApiError {
	return new RemoteApiError(service, message, {
		httpStatus: response.statusCode,
		code,
		detail: extra.detail,
		hint: extra.hint ?? statusHint(response.statusCode, service),
		body: response.body,
	});
}
