/**
 * Lyra / PayZen IPN: form fields kr-answer (a JSON string) and kr-hash = hex HMAC-SHA256(kr-answer) keyed
 * with the API password when kr-hash-key is "password" (server IPN) or with the HMAC-SHA-256 key otherwise.
 */
import type { IDataObject } from 'n8n-workflow';

import { moneyView } from '../../money';
import { hmacSha256Hex, safeEqualHex } from '../../signatures';
import { withSemanticKey } from '../semanticKey';
import { nonEmpty } from '../types';
import type { GatewayEvent, VerifyResult, WebhookRequest } from '../types';

export interface LyraWebhookSecrets {
	password: string;
	hmacKey?: string;
}

export function verify(request: WebhookRequest, secrets: LyraWebhookSecrets): VerifyResult {
	const body = request.body as IDataObject;
	const answer = body?.['kr-answer'];
	if (typeof answer !== 'string') return { ok: false, status: 400, reason: 'kr-answer missing' };
	const hash = body['kr-hash'];
	if (typeof hash !== 'string' || !hash) return { ok: false, status: 401, reason: 'kr-hash missing' };
	const key = body['kr-hash-key'] === 'password' ? secrets.password : secrets.hmacKey;
	if (!key) return { ok: false, status: 401, reason: 'no key for this kr-hash-key in the credential' };
	if (!safeEqualHex(hmacSha256Hex(key, Buffer.from(answer, 'utf8')), hash)) {
		return { ok: false, status: 401, reason: 'kr-hash mismatch' };
	}
	try {
		JSON.parse(answer);
	} catch {
		return { ok: false, status: 400, reason: 'kr-answer is not JSON' };
	}
	return { ok: true };
}

export function toEvents(request: WebhookRequest): GatewayEvent[] {
	const answer = JSON.parse(String(request.body['kr-answer'])) as IDataObject;
	const status = String(answer.orderStatus ?? '');
	const event = status === 'PAID' ? 'payment.succeeded' : status === 'UNPAID' || status === 'REFUSED' ? 'payment.failed' : undefined;
	if (!event) return [];
	const details = (answer.orderDetails ?? {}) as IDataObject;
	const transaction = ((answer.transactions as IDataObject[] | undefined) ?? [])[0] ?? {};
	const currency = String(details.orderCurrency ?? transaction.currency ?? '');
	const minor = details.orderTotalAmount ?? transaction.amount;
	const customer = (answer.customer ?? {}) as IDataObject;
	const billing = (customer.billingDetails ?? {}) as IDataObject;
	return [
		withSemanticKey({
			gateway: 'lyra',
			event,
			eventId: `${String(transaction.uuid ?? details.orderId)}:${status}`,
			reference: details.orderId as string | undefined,
			paymentId: transaction.uuid as string | undefined,
			amount: typeof minor === 'number' && currency ? moneyView(minor, currency) : undefined,
			customer: {
				email: customer.email as string | undefined,
				phone: (billing.cellPhoneNumber ?? billing.phoneNumber) as string | undefined,
			},
			notes: nonEmpty(transaction.metadata ?? details.metadata),
			occurredAt: String(answer.serverDate ?? new Date(0).toISOString()),
			raw: answer,
		}),
	];
}
