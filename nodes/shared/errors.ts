/**
 * Domain errors raised by the shared core (money, builders, gateway adapters) before anything is sent.
 * They carry the parameter path the user has to fix; the node layer turns them into a NodeOperationError
 * that names that field and the item index (see `toNodeError` in nodes/shared/nodeErrors.ts).
 */
export class InputError extends Error {
	constructor(
		/** Dotted path of the offending field as the user sees it, e.g. `items[2].amount`. */
		readonly field: string,
		message: string,
		/** What the user should do about it, shown as the error description in n8n. */
		readonly hint?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/**
 * An error answered by a remote API (Meta, a gateway), normalised so the node can show the service's own
 * code and message plus what to do. Never holds request headers or credentials.
 */
export class RemoteApiError extends Error {
	constructor(
		readonly service: string,
		message: string,
		readonly details: {
			httpStatus?: number;
			code?: string | number;
			subcode?: string | number;
			title?: string;
			detail?: string;
			/** What the user should do about it. */
			hint?: string;
			/** The service's error body (already free of secrets: it is what the service answered). */
			body?: unknown;
			/** True when the request may have been accepted by the service (e.g. timeout after sending). */
			maybeDelivered?: boolean;
		} = {},
	) {
		super(message);
		this.name = 'RemoteApiError';
	}
}
