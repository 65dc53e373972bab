/**
 * Signatures: every HMAC / SHA digest and every comparison of one, in one place.
 *
 * Webhook signatures are always computed on the RAW request bytes (re-serialised JSON differs: Meta
 * escapes unicode, gateways order keys their own way) and compared in constant time, so a forger learns
 * nothing from response timing.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

export type Bytes = string | Buffer;

export function hmacSha256Hex(secret: Bytes, message: Bytes): string {
	return createHmac('sha256', secret).update(message).digest('hex');
}

export function sha512Hex(message: Bytes): string {
	return createHash('sha512').update(message).digest('hex');
}

export function sha256Hex(message: Bytes): string {
	return createHash('sha256').update(message).digest('hex');
}

/**
 * Constant-time comparison of two hex digests. Case-insensitive on the hex alphabet (some services send
 * upper case), false for anything that is not hex of the same length.
 */
export function safeEqualHex(expectedHex: string, receivedHex: string | undefined | null): boolean {
	if (typeof receivedHex !== 'string') return false;
	const received = receivedHex.trim().toLowerCase();
	const expected = expectedHex.toLowerCase();
	if (!/^[0-9a-f]+$/.test(received) || received.length !== expected.length || received.length % 2 !== 0) {
		return false;
	}
	return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(received, 'hex'));
}

/** Constant-time comparison of two secrets given as text (e.g. a webhook verify token). */
export function safeEqualText(expected: string, received: string | undefined | null): boolean {
	if (typeof received !== 'string') return false;
	// Hash both sides first so the comparison time does not depend on the lengths either.
	const a = createHash('sha256').update(expected, 'utf8').digest();
	const b = createHash('sha256').update(received, 'utf8').digest();
	return timingSafeEqual(a, b) && expected.length === received.length;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Meta's X-Hub-Signature-256: `sha256=<hex HMAC-SHA256(raw body, app secret)>`. Compared as bytes (the digest
 * is never turned into text): this runs for every delivery, before anything else.
 */
export function verifyMetaSignature(rawBody: Buffer, appSecret: string, header: string | undefined): boolean {
	if (!header || !header.startsWith('sha256=')) return false;
	const received = header.slice('sha256='.length).trim();
	if (!SHA256_HEX.test(received)) return false;
	return timingSafeEqual(createHmac('sha256', appSecret).update(rawBody).digest(), Buffer.from(received, 'hex'));
}

export function signMetaBody(rawBody: Bytes, appSecret: string): string {
	return `sha256=${hmacSha256Hex(appSecret, rawBody)}`;
}
