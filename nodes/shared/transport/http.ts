/**
 * HTTP: the one module that talks to the network, for every node, trigger and dropdown.
 *
 * Requests go through n8n's `httpRequestWithAuthentication`, so the credential type's own `authenticate`
 * block adds the secret (it never passes through our code) and n8n's proxy / TLS settings apply.
 * We always ask for the full response and read error bodies ourselves: each service has its own idea of
 * an error (Meta's `error.code`, Lyra's HTTP 200 with `status: "ERROR"`), so a per-service policy
 * classifies every answer as ok, retry, or fail.
 *
 * Retry rules (shared with bulk sending, see throttle.ts): only what cannot have been accepted is retried
 * (throttling answers, explicit "not processed" errors, connection refused/reset). A timeout after the
 * request left is NOT retried unless the caller opts in: the service may have acted on it.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RemoteApiError } from '../errors';
import { millisFromSeconds } from '../time';
import { networkFailureDecision } from './retryRules';

const DEFAULT_TIMEOUT_MS = 30000;

export type RequestContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface HttpRequest {
	method: IHttpRequestMethods;
	url: string;
	headers?: Record<string, string>;
	qs?: IDataObject;
	/** JSON body. */
	body?: unknown;
	/** application/x-www-form-urlencoded body (Stripe, PayU): already flattened to strings. */
	form?: Record<string, string>;
	timeoutMs?: number;
	/**
	 * The credential holds an expirable token (preAuthentication, e.g. PayU's OAuth token): on a 401 the
	 * request is sent once more in the mode where n8n itself refreshes the token and retries. A 401 means
	 * the service did nothing, so sending again is safe.
	 */
	refreshTokenOn401?: boolean;
	/**
	 * The credential's data, given by the caller instead of n8n reading the stored credential again: either
	 * already read once for this run (bulk sends: a thousand a second), or other fields to authenticate with
	 * (e.g. Meta's app access token "app_id|app_secret" as Bearer). n8n's own `authenticate` block still builds the
	 * header, so the secret never passes through our code into a URL. Not for expirable tokens (refreshTokenOn401).
	 */
	credentialData?: ICredentialDataDecryptedObject;
}

export interface HttpResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
}

export type Outcome =
	| { kind: 'ok' }
	/** Safe to send again: the service did not act on the request. `delayMs` overrides the backoff. */
	| {
			kind: 'retry';
			delayMs?: number;
			reason: string;
			/** The whole sender must pause (Retry-After or the backoff). */
			throttled?: boolean;
			/** The sender is above its throughput tier: lower its rate, not only pause. */
			lowerRate?: boolean;
			/** Only this recipient must wait (pair limit). */
			pairLimited?: boolean;
	  }
	| { kind: 'fail'; error: RemoteApiError };

export interface RetryPolicy {
	/** Name shown in errors: "Meta", "Razorpay", ... */
	service: string;
	/** Total attempts including the first (1 = no retry). */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	classify(response: HttpResponse): Outcome;
	/** Retry a timeout after the request was sent (may duplicate the effect). Default false. */
	retryOnTimeout?: boolean;
}

export type RetryOutcome = Extract<Outcome, { kind: 'retry' }>;

/** Hooks used by the bulk throttle (transport/throttle.ts) to pace a sender and see each answer. */
export interface AttemptObserver {
	/** Awaited before every attempt, retries included: each attempt takes a rate slot. */
	beforeAttempt?(attempt: number): Promise<void>;
	/**
	 * The attempt got an answer (`answered`) or failed at the transport level (no answer: timeout, reset),
	 * called before it is classified.
	 */
	afterAttempt?(attempt: number, answered: boolean): void;
	onThrottled?(delayMs: number): void;
	/** A retryable answer, with the wait before the next attempt. */
	onRetry?(outcome: RetryOutcome, delayMs: number): void;
	/** The policy accepted the answer. */
	onAccepted?(): void;
}

/** n8n wraps transport errors in NodeApiError; the socket's error code sits on the cause chain. */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(headers: HttpResponse['headers'], now = Date.now()): number | undefined {
	const raw = headerValue(headers, 'retry-after');
	if (raw === undefined || raw === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(raw.trim())) return millisFromSeconds(Number(raw));
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
	// Exponential with "equal jitter"-free determinism: tests and benchmarks must be repeatable.
	return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

function toFormBody(form: Record<string, string>): string {
	return new URLSearchParams(form).toString();
}

async function sendOnce(
	ctx: RequestContext,
	credentialType: string,
	request: HttpRequest,
): Promise<HttpResponse> {
	const response = await sendRaw(ctx, credentialType, request, true);
	if (response.statusCode !== 401 || !request.refreshTokenOn401) return response;
	// n8n refreshes an expirable credential only when the request throws a 401: send it once that way.
	// If the refreshed attempt fails too, the first answer (with the service's own message) stands.
	return await sendRaw(ctx, credentialType, request, false).then(
		(refreshed) => refreshed,
		() => response,
	);
}

async function sendRaw(
	ctx: RequestContext,
	credentialType: string,
	request: HttpRequest,
	ignoreHttpStatusErrors: boolean,
): Promise<HttpResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		qs: request.qs,
		headers: { Accept: 'application/json', ...(request.headers ?? {}) },
		returnFullResponse: true,
		ignoreHttpStatusErrors,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	if (request.form) {
		options.body = toFormBody(request.form);
		options.headers = { ...options.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
		options.json = false;
	} else if (request.body !== undefined) {
		options.body = request.body as IDataObject;
		options.json = true;
	} else {
		options.json = true;
	}
	const known = request.credentialData && !request.refreshTokenOn401
		? { credentialsDecrypted: { id: '', name: credentialType, type: credentialType, data: request.credentialData } }
		: undefined;
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options, known)) as {
		statusCode: number;
		headers: HttpResponse['headers'];
		body: unknown;
	};
	let body = response.body;
	if (typeof body === 'string' && body !== '') {
		try {
			body = JSON.parse(body);
		} catch {
			// Not JSON (an HTML error page from a proxy, a plain-text challenge): keep the text.
		}
	} else if (Buffer.isBuffer(body)) {
		const text = body.toString('utf8');
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body };
}

/**
 * Sends `request` with the credential `credentialType`, retrying per `policy`. Resolves with the response
 * the policy accepted; rejects with a RemoteApiError that carries the service's code and what to do.
 */
export async function sendRequest<T = unknown>(
	ctx: RequestContext,
	credentialType: string,
	request: HttpRequest,
	policy: RetryPolicy,
	observer: AttemptObserver = {},
): Promise<HttpResponse<T>> {
	let lastError: RemoteApiError | undefined;
	for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
		if (observer.beforeAttempt) await observer.beforeAttempt(attempt);
		const sent = await sendOnce(ctx, credentialType, request).then(
			(response) => ({ response, failure: undefined }),
			(failure: unknown) => ({ response: undefined, failure }),
		);
		observer.afterAttempt?.(attempt, sent.response !== undefined);
		if (sent.response === undefined) {
			const code = networkErrorCode(sent.failure);
			const decision = networkFailureDecision(code, policy.retryOnTimeout === true);
			if (decision === 'maybeDelivered') {
				throw new RemoteApiError(
					policy.service,
					`${policy.service} did not answer in time: the request may have been processed`,
					{
						// The socket code goes in the detail, not `code`: n8n would replace our message by its
						// generic text for a known socket code and lose "may have been processed".
						detail: `No answer within ${request.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms (${code}).`,
						maybeDelivered: true,
						hint: 'Check at the service before sending again (e.g. look the message or payment up): retrying blindly could duplicate it.',
					},
				);
			}
			if (decision === 'fail') {
				const reason = (sent.failure as Error)?.message ?? String(sent.failure);
				throw new RemoteApiError(policy.service, `Request to ${policy.service} failed: ${reason}`, { code });
			}
			lastError = new RemoteApiError(policy.service, `Could not reach ${policy.service} after ${attempt} attempts`, {
				detail: `Connection failed before any answer (${code}); nothing was processed.`,
				hint: 'Check the base URL in the credential and the network; the request was retried.',
			});
			if (attempt < policy.maxAttempts) await sleep(backoffMs(policy, attempt));
			continue;
		}
		const response = sent.response;
		const outcome = policy.classify(response);
		if (outcome.kind === 'ok') {
			observer.onAccepted?.();
			return response as HttpResponse<T>;
		}
		if (outcome.kind === 'fail') throw outcome.error;
		lastError = new RemoteApiError(policy.service, `${policy.service} asked us to retry: ${outcome.reason}`, {
			httpStatus: response.statusCode,
			body: response.body,
			hint: 'The service stayed busy through every retry; run again later or lower the sending rate.',
		});
		const delay = outcome.delayMs ?? retryAfterMs(response.headers) ?? backoffMs(policy, attempt);
		const capped = Math.min(delay, policy.maxDelayMs);
		// Tell the throttle even on the last attempt: the other requests of this sender must slow down.
		if (outcome.throttled && observer.onThrottled) observer.onThrottled(capped);
		observer.onRetry?.(outcome, capped);
		if (attempt < policy.maxAttempts) await sleep(capped);
	}
	throw lastError ?? new RemoteApiError(policy.service, `${policy.service} request failed`);
}
