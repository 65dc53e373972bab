/**
 * Which failures are safe to send again. The rule (issue 6): retry only what the service cannot have
 * accepted, so no message or payment is ever duplicated by our retry.
 *
 * - Connection refused / reset / DNS failure before any answer: the request was not processed.
 * - Throttling answers and answers whose body says "not processed": decided per service (meta/graph.ts).
 * - A timeout after the request left: the service may have acted on it. Not retried unless the user opted
 *   in; the item fails with a "may have been delivered" error instead.
 * - Any other transport failure: fail, no retry.
 */
export const NOT_PROCESSED_NETWORK_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

export const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);

export type NetworkDecision = 'retry' | 'maybeDelivered' | 'fail';

export function networkFailureDecision(code: string | undefined, retryOnTimeout: boolean): NetworkDecision {
	if (code === undefined) return 'fail';
	if (NOT_PROCESSED_NETWORK_CODES.has(code)) return 'retry';
	if (TIMEOUT_CODES.has(code)) return retryOnTimeout ? 'retry' : 'maybeDelivered';
	return 'fail';
}

/**
 * A 5xx answer without a service error code: 503 means the server refused to handle the request (safe to
 * send again); 500, 502 and 504 may come after the request reached the service, so they are reported as
 * "may have been delivered" rather than retried.
 */
export function bareServerErrorDecision(statusCode: number): 'retry' | 'maybeDelivered' | undefined {
	if (statusCode === 503) return 'retry';
	if (statusCode >= 500 && statusCode <= 599) return 'maybeDelivered';
	return undefined;
}
