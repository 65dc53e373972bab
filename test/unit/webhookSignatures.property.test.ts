/**
 * Property: for each of the five webhook schemes, a correctly signed delivery is accepted and NO mutation of
 * it (bit flip, truncation, appended bytes, changed signature header) is. Fixed seed: deterministic.
 */
import fc from 'fast-check';

import * as lyra from '../../nodes/shared/gateways/lyra/webhook';
import * as payu from '../../nodes/shared/gateways/payu/webhook';
import * as razorpay from '../../nodes/shared/gateways/razorpay/webhook';
import * as stripe from '../../nodes/shared/gateways/stripe/webhook';
import type { WebhookRequest } from '../../nodes/shared/gateways/types';
import { hmacSha256Hex, sha512Hex, signMetaBody, verifyMetaSignature } from '../../nodes/shared/signatures';

const RUNS = { seed: 20261122, numRuns: 2000 };

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'truncate'; at: number } | { kind: 'append'; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
	fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

/** Applies a mutation that always changes the bytes. */
function mutate(original: Buffer, m: Mutation): Buffer {
	if (m.kind === 'append') return Buffer.concat([original, Buffer.from(m.bytes)]);
	if (m.kind === 'truncate') return original.subarray(0, m.at % original.length);
	const copy = Buffer.from(original);
	copy[m.at % copy.length] ^= 1 << m.bit;
	return copy;
}

const mutateText = (text: string, m: Mutation) => mutate(Buffer.from(text, 'latin1'), m).toString('latin1');

const payloads = fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), amount: fc.nat(), note: fc.string() }).map((o) => JSON.stringify(o));

/**
 * A header mutation that only changes hex letter case or surrounding whitespace carries the same signature
 * (hex is case-insensitive), so it may be accepted; anything else must not be.
 */
const sameSignature = (mutated: string, original: string) => mutated.trim().toLowerCase() === original.toLowerCase();

const request = (rawBody: Buffer, headers: Record<string, string>, body: Record<string, unknown> = {}): WebhookRequest => ({
	rawBody,
	headers,
	body: body as never,
	query: {},
});

describe('no mutated signed delivery is accepted (fast-check)', () => {
	it('Meta X-Hub-Signature-256', () => {
		fc.assert(
			fc.property(payloads, mutation, fc.boolean(), (body, m, onHeader) => {
				const raw = Buffer.from(body);
				const header = signMetaBody(raw, 'app-secret');
				if (!verifyMetaSignature(raw, 'app-secret', header)) return false;
				if (!onHeader) return !verifyMetaSignature(mutate(raw, m), 'app-secret', header);
				const changed = mutateText(header, m);
				return !verifyMetaSignature(raw, 'app-secret', changed) || sameSignature(changed, header);
			}),
			RUNS,
		);
	});

	it('Razorpay X-Razorpay-Signature', () => {
		const secrets = { webhookSecret: 'whsec-rzp' };
		const body = { event: 'payment.captured', payload: {} };
		fc.assert(
			fc.property(payloads, mutation, fc.boolean(), (text, m, onHeader) => {
				const raw = Buffer.from(text);
				const signature = hmacSha256Hex(secrets.webhookSecret, raw);
				if (!razorpay.verify(request(raw, { 'x-razorpay-signature': signature }, body), secrets).ok) return false;
				const changed = mutateText(signature, m);
				const mutated = onHeader
					? request(raw, { 'x-razorpay-signature': changed }, body)
					: request(mutate(raw, m), { 'x-razorpay-signature': signature }, body);
				return !razorpay.verify(mutated, secrets).ok || (onHeader && sameSignature(changed, signature));
			}),
			RUNS,
		);
	});

	it('Stripe Stripe-Signature (t and v1)', () => {
		const secrets = { signingSecrets: ['whsec_prop'] };
		const body = { object: 'event', type: 'payment_intent.succeeded' };
		const now = 1800000000;
		fc.assert(
			fc.property(payloads, mutation, fc.boolean(), (text, m, onHeader) => {
				const raw = Buffer.from(text);
				const v1 = hmacSha256Hex('whsec_prop', `${now}.${text}`);
				const header = `t=${now},v1=${v1}`;
				if (!stripe.verify(request(raw, { 'stripe-signature': header }, body), secrets, { now }).ok) return false;
				const changed = mutateText(header, m);
				const mutated = onHeader
					? request(raw, { 'stripe-signature': changed }, body)
					: request(mutate(raw, m), { 'stripe-signature': header }, body);
				if (!stripe.verify(mutated, secrets, { now }).ok) return true;
				// Accepted only if the header still carries the same t and, among its v1 values, the valid one.
				const parsed = stripe.parseSignatureHeader(changed);
				return onHeader && parsed.t === now && parsed.v1.some((candidate) => sameSignature(candidate, v1));
			}),
			RUNS,
		);
	});

	it('PayU reverse SHA-512 hash', () => {
		const secrets = { merchantKey: 'bjg$121', merchantSalt: 'vhgvs75' };
		const names = ['status', 'txnid', 'amount', 'productinfo', 'firstname', 'email', 'udf1', 'hash'] as const;
		fc.assert(
			fc.property(
				fc.record({ txnid: fc.stringMatching(/^[A-Za-z0-9]{1,25}$/), amount: fc.stringMatching(/^\d{1,6}\.\d{2}$/), firstname: fc.string({ maxLength: 20 }) }),
				fc.constantFrom(...names),
				mutation,
				(fields, target, m) => {
					const body: Record<string, string> = { ...fields, status: 'success', productinfo: 'tea', email: 'a@b.in', udf1: '', key: secrets.merchantKey };
					body.hash = sha512Hex(payu.reverseHashString(body, secrets.merchantSalt));
					if (!payu.verify(request(Buffer.alloc(0), {}, body), secrets).ok) return false;
					const changed = { ...body, [target]: mutateText(body[target], m.kind === 'truncate' && body[target] === '' ? { kind: 'append', bytes: new Uint8Array([65]) } : m) };
					if (changed[target] === body[target]) return true;
					return !payu.verify(request(Buffer.alloc(0), {}, changed), secrets).ok || (target === 'hash' && sameSignature(changed.hash, body.hash));
				},
			),
			RUNS,
		);
	});

	it('Lyra kr-hash of kr-answer', () => {
		const secrets = { password: 'testpassword_X', hmacKey: 'hmac-key' };
		fc.assert(
			fc.property(payloads, mutation, fc.boolean(), (answer, m, onHash) => {
				const hash = hmacSha256Hex(secrets.password, answer);
				const body = { 'kr-answer': answer, 'kr-hash': hash, 'kr-hash-key': 'password' };
				if (!lyra.verify(request(Buffer.alloc(0), {}, body), secrets).ok) return false;
				const changed = onHash ? { ...body, 'kr-hash': mutateText(hash, m) } : { ...body, 'kr-answer': mutateText(answer, m) };
				if (changed['kr-answer'] !== answer && Buffer.from(changed['kr-answer'], 'utf8').equals(Buffer.from(answer, 'utf8'))) return true;
				return !lyra.verify(request(Buffer.alloc(0), {}, changed), secrets).ok || (onHash && sameSignature(changed['kr-hash'], hash));
			}),
			RUNS,
		);
	});
});
