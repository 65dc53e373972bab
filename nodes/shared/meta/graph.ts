/**
 * Meta Graph API transport: URL building from the credential, the retry policy, and Meta's error codes
 * mapped to what the merchant should do. Every Meta call of every node goes through `graphRequest`.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { RemoteApiError } from '../errors';
import type { HttpResponse, Outcome, RequestContext, RetryPolicy, AttemptObserver } from '../transport/http';
import { retryAfterMs, sendRequest } from '../transport/http';
import { bareServerErrorDecision } from '../transport/retryRules';
import { DEFAULT_GRAPH_VERSION } from './graphVersions';

export const META_CREDENTIAL = 'waCommerceMetaApi';

export interface MetaCredential {
	accessToken: string;
	businessAccountId: string;
	appSecret?: string;
	appId?: string;
	apiVersion: string;
	baseUrl: string;
}

export async function metaCredential(ctx: RequestContext): Promise<MetaCredential> {
	const data = (await ctx.getCredentials(META_CREDENTIAL)) as unknown as MetaCredential;
	return {
		...data,
		apiVersion: data.apiVersion || DEFAULT_GRAPH_VERSION,
		baseUrl: String(data.baseUrl || 'https://graph.facebook.com').replace(/\/+$/, ''),
		businessAccountId: String(data.businessAccountId ?? '').trim(),
	};
}

/** Throttling: slow the whole sending number down. */
export const THROTTLE_CODES = new Set([4, 80007, 130429]);
export const THROUGHPUT_CODE = 130429;
/** Pair rate limit: only this recipient must wait (~1 message per 6 s). */
export const PAIR_LIMIT_CODE = 131056;
export const PAIR_LIMIT_WAIT_MS = 6000;
/** Meta says the request failed on its side and was not processed: safe to send again. */
export const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

/** What to do, by Meta error code. */
const HINTS: Record<number, string> = {
	0: 'The access token is invalid or expired: generate a new System User token and update the credential.',
	190: 'The access token is invalid or expired: generate a new System User token and update the credential.',
	10: 'The token lacks a permission: give the System User whatsapp_business_messaging and whatsapp_business_management for this WABA.',
	100: 'A parameter is invalid: check the field Meta names in the details.',
	131008: 'A required parameter is missing: check the field Meta names in the details.',
	131009: 'A parameter value is invalid: check the field Meta names in the details.',
	131026: 'The message cannot be delivered to this number (not on WhatsApp, old app version, or it blocked you). Do not retry; reach the customer another way.',
	131047: 'More than 24 hours have passed since the customer last wrote: send a template instead (e.g. Send Order Details Template, Send Template).',
	131048: 'Spam rate limit hit: too many messages were blocked or reported. Slow down and review message quality.',
	131051: 'Meta does not support this message type for this recipient.',
	131062: 'Meta does not accept a business-scoped user ID (BSUID) as the recipient of this message (authentication templates, and templates with dynamic pricing, need the phone number). Send it to the customer\'s phone number, or use another template category.',
	131056: 'Too many messages to the same customer in a short time (pair rate limit): wait a few seconds before sending to them again.',
	130429: 'Throughput limit of the sending number reached: lower "Messages per Second" or ask Meta for a higher tier.',
	80007: 'The WhatsApp Business Account rate limit was reached: wait and retry later.',
	4: 'The app rate limit was reached: wait and retry later.',
	132000: 'The number of template parameters does not match the template: check the body/header/button parameters.',
	132001: 'The template does not exist in this language or is not approved: pick it from the Template dropdown.',
	132015: 'The template is paused for low quality: edit it in WhatsApp Manager or use another template.',
	134011: 'WhatsApp Payments terms are not accepted for this WABA: accept them in WhatsApp Manager > Payment configurations.',
	131005: 'WhatsApp Payments terms are not accepted or the permission is missing: accept them in WhatsApp Manager > Payment configurations.',
	2046: 'This order status change is not allowed (e.g. from completed or canceled): send a status that follows the current one.',
	2047: 'The order cannot be canceled because a payment is captured or pending: refund it first.',
	2040: 'order_status is not supported for this order (Brazil): notify the customer with a text or template.',
	2026: 'Some products are hidden or not approved in the catalog: fix them in Commerce Manager.',
};

export function metaHint(code: number | undefined): string | undefined {
	return code === undefined ? undefined : HINTS[code];
}

interface MetaErrorBody {
	error?: {
		message?: string;
		type?: string;
		code?: number;
		error_subcode?: number;
		error_user_title?: string;
		error_user_msg?: string;
		error_data?: { details?: string; messaging_product?: string };
		fbtrace_id?: string;
		is_transient?: boolean;
	};
	/** The payments lookup answers errors as `{errors:[{code,title,details}]}`. */
	errors?: Array<{ code?: number; title?: string; details?: string }>;
}

export function metaErrorFrom(response: HttpResponse): RemoteApiError {
	const body = (response.body ?? {}) as MetaErrorBody;
	const err = body.error;
	const alt = body.errors?.[0];
	const code = err?.code ?? alt?.code;
	const title = err?.error_user_title ?? alt?.title ?? err?.type;
	const detail = err?.error_data?.details ?? err?.error_user_msg ?? alt?.details;
	const message = err?.message ?? alt?.title ?? `HTTP ${response.statusCode}`;
	return new RemoteApiError('Meta', message, {
		httpStatus: response.statusCode,
		code,
		subcode: err?.error_subcode,
		title,
		detail,
		hint: metaHint(code),
		body: response.body,
	});
}

export function classifyMetaResponse(response: HttpResponse): Outcome {
	const { statusCode } = response;
	const body = (response.body ?? {}) as MetaErrorBody;
	if (statusCode >= 200 && statusCode < 300 && !body.error) return { kind: 'ok' };
	const code = body.error?.code ?? body.errors?.[0]?.code;
	if (statusCode === 429 || (code !== undefined && THROTTLE_CODES.has(code))) {
		// 130429 is the per-number throughput limit: we are above the number's tier, so send slower.
		// 4 / 80007 / a bare 429 are app or account budgets: waiting (Retry-After) is the remedy.
		return { kind: 'retry', reason: `throttled (${code ?? statusCode})`, throttled: true, lowerRate: code === THROUGHPUT_CODE };
	}
	if (code === PAIR_LIMIT_CODE) {
		// Retry-After, when Meta sends one, wins over the documented ~6 s pair window.
		const wait = retryAfterMs(response.headers) ?? PAIR_LIMIT_WAIT_MS;
		return { kind: 'retry', reason: 'pair rate limit (131056)', delayMs: wait, pairLimited: true };
	}
	// Meta says it did not process the request (transient code or is_transient): safe to send again.
	if ((code !== undefined && TRANSIENT_CODES.has(code)) || body.error?.is_transient === true) {
		return { kind: 'retry', reason: `temporary Meta error ${code ?? statusCode}` };
	}
	if (code === undefined) {
		const decision = bareServerErrorDecision(statusCode);
		if (decision === 'retry') return { kind: 'retry', reason: `HTTP ${statusCode}` };
		if (decision === 'maybeDelivered') {
			const error = metaErrorFrom(response);
			return {
				kind: 'fail',
				error: new RemoteApiError('Meta', `HTTP ${statusCode} without an error code: the message may have been delivered`, {
					...error.details,
					maybeDelivered: true,
					hint: 'Meta or a proxy failed after the request may have reached it, so it was not sent again: check the recipient\'s chat or the status webhooks before resending.',
				}),
			};
		}
	}
	return { kind: 'fail', error: metaErrorFrom(response) };
}

export interface MetaRetryOptions {
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	retryOnTimeout?: boolean;
}

export function metaPolicy(options: MetaRetryOptions = {}): RetryPolicy {
	return {
		service: 'Meta',
		maxAttempts: options.maxAttempts ?? 5,
		baseDelayMs: options.baseDelayMs ?? 500,
		maxDelayMs: options.maxDelayMs ?? 30000,
		retryOnTimeout: options.retryOnTimeout ?? false,
		classify: classifyMetaResponse,
	};
}

export interface GraphCall {
	method: IHttpRequestMethods;
	/** Path after the version, starting with '/', e.g. `/123/messages`. */
	path: string;
	body?: unknown;
	qs?: IDataObject;
	timeoutMs?: number;
	/**
	 * Send the APP access token ("app_id|app_secret", for /<APP_ID>/subscriptions) instead of the System User
	 * token: in the Authorization header like every call, never in the URL where proxies log it.
	 */
	asApp?: boolean;
}

/** One Graph API call with the Meta credential, retries and error mapping. Resolves with the body. */
export async function graphRequest<T = IDataObject>(
	ctx: RequestContext,
	call: GraphCall,
	retry: MetaRetryOptions = {},
	observer?: AttemptObserver,
): Promise<T> {
	const credential = await metaCredential(ctx);
	const response = await sendRequest<T>(
		ctx,
		META_CREDENTIAL,
		{
			method: call.method,
			url: `${credential.baseUrl}/${credential.apiVersion}${call.path}`,
			body: call.body,
			qs: call.qs,
			timeoutMs: call.timeoutMs,
			credentialData: call.asApp ? { ...credential, accessToken: `${credential.appId}|${credential.appSecret}` } : undefined,
		},
		metaPolicy(retry),
		observer,
	);
	return response.body;
}
