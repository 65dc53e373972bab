/**
 * PayU India notifications: form-encoded fields signed with the reverse SHA-512 hash
 * sha512(SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key),
 * prefixed with additional_charges| when PayU adds charges. PayU signs the parsed fields, not the raw body.
 */
import type { IDataObject } from 'n8n-workflow';

import { moneyView, toMinor } from '../../money';
import { safeEqualHex, sha512Hex } from '../../signatures';
import { withSemanticKey } from '../semanticKey';
import { nonEmpty } from '../types';
import type { GatewayEvent, VerifyResult, WebhookRequest } from '../types';

export interface PayUWebhookSecrets {
	merchantKey: string;
	merchantSalt: string;
}

const field = (body: IDataObject, name: string): string => (body[name] === undefined || body[name] === null ? '' : String(body[name]));

export function reverseHashString(body: IDataObject, salt: string): string {
	const parts = [
		salt,
		field(body, 'status'),
		'', '', '', '', '',
		field(body, 'udf5'),
		field(body, 'udf4'),
		field(body, 'udf3'),
		field(body, 'udf2'),
		field(body, 'udf1'),
		field(body, 'email'),
		field(body, 'firstname'),
		field(body, 'productinfo'),
		field(body, 'amount'),
		field(body, 'txnid'),
		field(body, 'key'),
	];
	const text = parts.join('|');
	const charges = field(body, 'additional_charges');
	return charges ? `${charges}|${text}` : text;
}

export function verify(request: WebhookRequest, secrets: PayUWebhookSecrets): VerifyResult {
	const body = request.body as IDataObject;
	if (!body || typeof body !== 'object' || !body.txnid || !body.status) {
		return { ok: false, status: 400, reason: 'not a PayU notification (txnid and status required)' };
	}
	const hash = field(body, 'hash');
	if (!hash) return { ok: false, status: 401, reason: 'missing hash' };
	if (!secrets.merchantSalt || field(body, 'key') !== secrets.merchantKey) {
		return { ok: false, status: 401, reason: 'merchant key mismatch' };
	}
	if (!safeEqualHex(sha512Hex(reverseHashString(body, secrets.merchantSalt)), hash.toLowerCase())) {
		return { ok: false, status: 401, reason: 'hash mismatch' };
	}
	return { ok: true };
}

export function toEvents(request: WebhookRequest): GatewayEvent[] {
	const body = request.body;
	const status = field(body, 'status').toLowerCase();
	const event = status === 'success' ? 'payment.succeeded' : status === 'failure' ? 'payment.failed' : undefined;
	if (!event) return [];
	const amount = field(body, 'amount');
	const added = Date.parse(`${field(body, 'addedon').replace(' ', 'T')}+05:30`);
	return [
		withSemanticKey({
			gateway: 'payu',
			event,
			eventId: `${field(body, 'txnid')}:${status}`,
			reference: field(body, 'txnid'),
			paymentId: field(body, 'mihpayid') || undefined,
			amount: amount ? moneyView(toMinor(amount, 'INR', 'amount'), 'INR') : undefined,
			customer: { name: field(body, 'firstname') || undefined, email: field(body, 'email') || undefined, phone: field(body, 'phone') || undefined },
			notes: nonEmpty(Object.fromEntries(['udf1', 'udf2', 'udf3', 'udf4', 'udf5'].map((name) => [name, field(body, name)]).filter(([, value]) => value !== ''))),
			occurredAt: Number.isFinite(added) ? new Date(added).toISOString() : new Date(0).toISOString(),
			raw: Object.fromEntries(Object.entries(body).filter(([name]) => name !== 'hash')) as IDataObject,
		}),
	];
}
