/**
 * Look-up before create, for services without an idempotency key (Razorpay payment links, PayU links, Lyra
 * refunds, Meta refunds): the object is looked up by the caller's reference before the POST and before every
 * new attempt of it. The POST itself is sent without blind retries: a 5xx or a timeout may come after the
 * service committed, so the object is looked up first and sent again only when it is not there.
 *
 * `replayed` says whether the object existed before this call: found by the first look-up, or refused as
 * "already exists" on our first attempt (made by someone else). Found after one of our own uncertain attempts,
 * it is ours: replayed false.
 */
import { sleep } from 'n8n-workflow';

import { RemoteApiError } from '../errors';

export interface CreateOnceSteps<T> {
	/** The object made earlier for this reference, or undefined. */
	lookup(): Promise<T | undefined>;
	/** One POST, no retry of a 5xx or timeout (see gatewayPolicy's retryServerErrors). */
	create(): Promise<T>;
	/** The service refused because the reference exists already (e.g. Razorpay "reference ID already attempted"). */
	isConflict?(error: unknown): boolean;
	/** POSTs at most (default 3). */
	attempts?: number;
	/** Wait before sending again after an uncertain attempt found nothing (default 500 ms, doubled each time). */
	baseDelayMs?: number;
	/** The caller has just checked that nothing exists: look up only after an uncertain attempt. */
	skipFirstLookup?: boolean;
}

export interface Created<T> {
	value: T;
	replayed: boolean;
}

/** The request may have been processed: a 5xx after the request arrived, or no answer in time. */
export function mayHaveCommitted(error: unknown): boolean {
	return error instanceof RemoteApiError && error.details.maybeDelivered === true;
}

export async function createOnce<T>(steps: CreateOnceSteps<T>): Promise<Created<T>> {
	const before = steps.skipFirstLookup ? undefined : await steps.lookup();
	if (before !== undefined) return { value: before, replayed: true };
	const attempts = Math.max(1, steps.attempts ?? 3);
	let uncertain = false;
	for (let attempt = 1; ; attempt++) {
		const sent = await steps.create().then(
			(value) => ({ value, failure: undefined }),
			(failure: unknown) => ({ value: undefined, failure: failure ?? new Error('create failed') }),
		);
		if (sent.failure === undefined) return { value: sent.value as T, replayed: false };
		const conflict = steps.isConflict?.(sent.failure) === true;
		if (!conflict && !mayHaveCommitted(sent.failure)) throw sent.failure;
		const found = await steps.lookup();
		if (found !== undefined) return { value: found, replayed: conflict && !uncertain };
		// "Exists" but not found, or still unknown after the last attempt: say so, never send once more.
		if (conflict || attempt >= attempts) throw sent.failure;
		uncertain = true;
		await sleep((steps.baseDelayMs ?? 500) * 2 ** (attempt - 1));
	}
}
