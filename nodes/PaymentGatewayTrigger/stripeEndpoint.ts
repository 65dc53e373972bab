import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { RemoteApiError } from '../shared/errors';
import { sendRequest } from '../shared/transport/http';
import type { HttpResponse, RetryPolicy } from '../shared/transport/http';

export const STRIPE_CREDENTIAL = 'waCommerceStripeApi';

/** Events the registered endpoint receives: exactly what stripe/webhook.ts normalizes. */
export const STRIPE_ENABLED_EVENTS = [
	'checkout.session.async_payment_failed',
	'checkout.session.async_payment_succeeded',
	'checkout.session.completed',
	'checkout.session.expired',
	'payment_intent.payment_failed',
	'payment_intent.succeeded',
	'refund.created',
	'refund.failed',
	'refund.updated',
];

// Registration happens once on activation: no retries, so a failure surfaces right away.
const policy: RetryPolicy = {
	service: 'Stripe',
	maxAttempts: 1,
	baseDelayMs: 0,
	maxDelayMs: 0,
	classify(response: HttpResponse) {
		if (response.statusCode < 300 || response.statusCode === 404) return { kind: 'ok' };
		const error = ((response.body as IDataObject)?.error ?? {}) as IDataObject;
		return {
			kind: 'fail',
			error: new RemoteApiError('Stripe', String(error.message ?? `HTTP ${response.statusCode}`), {
				httpStatus: response.statusCode,
				code: error.code as string | undefined,
				hint: 'Check the secret key in the Stripe credential (it needs write access to webhook endpoints).',
			}),
		};
	},
};

async function stripeCall(ctx: IHookFunctions, method: 'GET' | 'POST' | 'DELETE', path: string, form?: Record<string, string>) {
	const credential = await ctx.getCredentials(STRIPE_CREDENTIAL);
	const base = String(credential.baseUrl || 'https://api.stripe.com').replace(/\/+$/, '');
	return await sendRequest<IDataObject>(ctx, STRIPE_CREDENTIAL, { method, url: `${base}${path}`, form }, policy);
}

export async function stripeEndpointExists(ctx: IHookFunctions, url: string): Promise<boolean> {
	const data = ctx.getWorkflowStaticData('node');
	if (typeof data.stripeEndpointId !== 'string') return false;
	const response = await stripeCall(ctx, 'GET', `/v1/webhook_endpoints/${data.stripeEndpointId}`);
	if (response.statusCode === 404 || response.body.url !== url) {
		delete data.stripeEndpointId;
		delete data.stripeEndpointSecret;
		return false;
	}
	return true;
}

export async function createStripeEndpoint(ctx: IHookFunctions, url: string): Promise<void> {
	const form: Record<string, string> = { url, description: 'n8n Payment Gateway Trigger' };
	STRIPE_ENABLED_EVENTS.forEach((event, index) => {
		form[`enabled_events[${index}]`] = event;
	});
	const response = await stripeCall(ctx, 'POST', '/v1/webhook_endpoints', form);
	// 404 passes the policy (it means "already gone" for GET and DELETE); for a create it means no endpoint API here.
	if (response.statusCode >= 300 || typeof response.body.id !== 'string' || typeof response.body.secret !== 'string') {
		throw new RemoteApiError('Stripe', `Stripe did not register the webhook endpoint (HTTP ${response.statusCode})`, {
			httpStatus: response.statusCode,
			hint: 'Check the Base URL and secret key of the Stripe credential, or register the endpoint in the Stripe Dashboard and put its signing secret in the credential.',
		});
	}
	const data = ctx.getWorkflowStaticData('node');
	data.stripeEndpointId = response.body.id;
	// Stripe shows the signing secret only in this response: keep it for verifying deliveries.
	data.stripeEndpointSecret = response.body.secret;
}

export async function deleteStripeEndpoint(ctx: IHookFunctions): Promise<void> {
	const data = ctx.getWorkflowStaticData('node');
	if (typeof data.stripeEndpointId === 'string') {
		await stripeCall(ctx, 'DELETE', `/v1/webhook_endpoints/${data.stripeEndpointId}`);
	}
	delete data.stripeEndpointId;
	delete data.stripeEndpointSecret;
}
