/**
 * The retry policy shared by the gateways (429 and 5xx retried with backoff, other 4xx not) and the helper
 * that turns a gateway's error body into a RemoteApiError keeping its code and message.
 *
 * A POST that the gateway cannot deduplicate (no idempotency key) uses `withoutServerRetries`: a 5xx may come
 * after the gateway committed, so it is reported as "may have been processed" and the caller looks the object
 * up before sending again (effects/createOnce.ts).
 */
import { RemoteApiError } from '../errors';
import type { HttpResponse, Outcome, RetryPolicy } from '../transport/http';
import { bareServerErrorDecision } from '../transport/retryRules';

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

/** The same policy, but a 5xx (other than 503) is never sent again blindly: see the header comment. */
export function withoutServerRetries(policy: RetryPolicy): RetryPolicy {
	return {
		...policy,
		classify(response: HttpResponse): Outcome {
			// 503 = the server did not take the request; any other 5xx may follow a commit.
			if (response.statusCode >= 500 && bareServerErrorDecision(response.statusCode) !== 'retry') {
				return { kind: 'fail', error: maybeCommitted(policy.service, response) };
			}
			return policy.classify(response);
		},
	};
}

function maybeCommitted(service: string, response: HttpResponse): RemoteApiError {
	return new RemoteApiError(service, `${service} answered HTTP ${response.statusCode}: the request may have been processed`, {
		httpStatus: response.statusCode,
		maybeDelivered: true,
		body: response.body,
		hint: `Look the object up at ${service} (by its reference) before trying again: sending it blindly could create it twice.`,
	});
}
