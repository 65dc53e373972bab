/** The spec's official signature vectors against the one signatures module (pure functions). */
import {
	hmacSha256Hex,
	safeEqualHex,
	safeEqualText,
	sha512Hex,
	signMetaBody,
	verifyMetaSignature,
} from '../../nodes/shared/signatures';

describe('signature primitives against the spec vectors', () => {
	it('Razorpay webhook: HMAC-SHA256(raw body, webhook secret)', () => {
		expect(hmacSha256Hex('123456', '{"a":1,"b":2,"c":{"d":3}}')).toBe(
			'2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc',
		);
	});

	it('Razorpay payment link callback: HMAC-SHA256(key secret, plink|ref|status|payment)', () => {
		expect(hmacSha256Hex('EnLs21M47BllR3X8PSFtjtbd', 'plink_IH3cNucfVEgV68|TSsd1989|paid|pay_IH3d0ara9bSsjQ')).toBe(
			'07ae18789e35093e51d0a491eb9922646f3f82773547e5b0f67ee3f2d3bf7d5b',
		);
	});

	it('Stripe: v1 = HMAC-SHA256(whsec, "t.body")', () => {
		expect(hmacSha256Hex('whsec_test_secret', '1700000000.{"id":"evt_test_webhook","object":"event"}')).toBe(
			'd95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990',
		);
	});

	it('Lyra IPN: kr-hash = HMAC-SHA256(password, kr-answer)', () => {
		expect(hmacSha256Hex('testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M', '{"shopId":"69876357","orderStatus":"PAID"}')).toBe(
			'53160d783db8dab28404d0565082ca3c32032166086cab6fcae24a1dffd3d983',
		);
	});

	it('PayU: reverse response hash and API hash (SHA-512)', () => {
		expect(sha512Hex('vhgvs75|success|||||||||||test@payu.in|Jacob|mobile|1000|3123|bjg$121')).toBe(
			'687c82156a84271a7a6c63d0e8774d5ac567d9b894a334a47d72e47b72392a5167a1b2add5b253490b70731d9eb3e3a3b7225e0c5f26829befafbbee71977c4c',
		);
		expect(sha512Hex('bjg$121|verify_payment|3123|vhgvs75')).toBe(
			'fd13e1a56cc6f5742edb8a78561ef4c2bc6aeb98b4591526772a81824657a87248a97bdd5517afa24a5be7f05b016e7e5867a1524c084e82de5c1594dd9c1bad',
		);
	});

	it('Meta: X-Hub-Signature-256 on the raw bytes, unicode escapes included', () => {
		const raw = Buffer.from('{"entry":[{"text":"\\u00e9t\\u00e9"}]}');
		const header = signMetaBody(raw, 'app-secret');
		expect(verifyMetaSignature(raw, 'app-secret', header)).toBe(true);
		// Re-serialised JSON (unicode unescaped) is a different byte string: it must not verify.
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
		expect(verifyMetaSignature(reserialised, 'app-secret', header)).toBe(false);
		expect(verifyMetaSignature(raw, 'other-secret', header)).toBe(false);
		expect(verifyMetaSignature(raw, 'app-secret', undefined)).toBe(false);
		expect(verifyMetaSignature(raw, 'app-secret', header.replace('sha256=', 'sha1='))).toBe(false);
		// The hex may come in upper case; anything but 64 hex digits is refused before any comparison.
		expect(verifyMetaSignature(raw, 'app-secret', `sha256=${header.slice(7).toUpperCase()}`)).toBe(true);
		expect(verifyMetaSignature(raw, 'app-secret', header.slice(0, -2))).toBe(false);
		expect(verifyMetaSignature(raw, 'app-secret', `${header.slice(0, -1)}g`)).toBe(false);
		expect(verifyMetaSignature(raw, 'app-secret', `${header}00`)).toBe(false);
	});

	it('constant-time comparisons refuse non-hex, other lengths and absent values', () => {
		const digest = hmacSha256Hex('k', 'm');
		expect(safeEqualHex(digest, digest.toUpperCase())).toBe(true);
		expect(safeEqualHex(digest, digest.slice(0, -2))).toBe(false);
		expect(safeEqualHex(digest, `${digest.slice(0, -1)}g`)).toBe(false);
		expect(safeEqualHex(digest, undefined)).toBe(false);
		expect(safeEqualText('verify-me', 'verify-me')).toBe(true);
		expect(safeEqualText('verify-me', 'verify-me2')).toBe(false);
		expect(safeEqualText('verify-me', null)).toBe(false);
	});
});
