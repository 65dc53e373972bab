import { classifyMetaResponse } from '../../nodes/shared/meta/graph';
import { RemoteApiError } from '../../nodes/shared/errors';
import { bareServerErrorDecision, networkFailureDecision } from '../../nodes/shared/transport/retryRules';

const meta = (status: number, error?: Record<string, unknown>, headers: Record<string, string> = {}) =>
	classifyMetaResponse({ statusCode: status, headers, body: error ? { error } : {} });

describe('network failures', () => {
	it('retries only failures where nothing reached the service', () => {
		for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']) {
			expect(networkFailureDecision(code, false)).toBe('retry');
		}
	});
	it('reports a timeout as "may have been delivered" unless the user opted in', () => {
		for (const code of ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']) {
			expect(networkFailureDecision(code, false)).toBe('maybeDelivered');
			expect(networkFailureDecision(code, true)).toBe('retry');
		}
	});
	it('fails unknown transport errors without retrying', () => {
		expect(networkFailureDecision(undefined, true)).toBe('fail');
		expect(networkFailureDecision('ECERTHASEXPIRED', true)).toBe('fail');
	});
	it('treats a bare 503 as not handled and other bare 5xx as possibly processed', () => {
		expect(bareServerErrorDecision(503)).toBe('retry');
		expect(bareServerErrorDecision(500)).toBe('maybeDelivered');
		expect(bareServerErrorDecision(502)).toBe('maybeDelivered');
		expect(bareServerErrorDecision(504)).toBe('maybeDelivered');
		expect(bareServerErrorDecision(404)).toBeUndefined();
	});
});

describe('classifyMetaResponse', () => {
	it('accepts 2xx without an error', () => {
		expect(meta(200)).toEqual({ kind: 'ok' });
	});
	it('marks HTTP 429 and codes 4, 80007, 130429 as throttling (whole sender)', () => {
		expect(meta(429)).toMatchObject({ kind: 'retry', throttled: true });
		for (const code of [4, 80007, 130429]) expect(meta(400, { code, message: 'x' })).toMatchObject({ kind: 'retry', throttled: true });
		// Only the per-number throughput limit lowers the sending rate; the others are waited out.
		expect(meta(400, { code: 130429, message: 'x' })).toMatchObject({ lowerRate: true });
		expect(meta(400, { code: 80007, message: 'x' })).toMatchObject({ lowerRate: false });
		expect(meta(429)).toMatchObject({ lowerRate: false });
	});
	it('marks 131056 as a pair limit with ~6 s or the Retry-After', () => {
		expect(meta(400, { code: 131056, message: 'pair' })).toMatchObject({ kind: 'retry', pairLimited: true, delayMs: 6000 });
		expect(meta(400, { code: 131056, message: 'pair' }, { 'Retry-After': '9' })).toMatchObject({ delayMs: 9000 });
	});
	it('retries 5xx whose body says not processed (transient code or is_transient)', () => {
		expect(meta(500, { code: 131000, message: 'Something went wrong' })).toMatchObject({ kind: 'retry' });
		expect(meta(500, { code: 2, message: 'Service temporarily unavailable' })).toMatchObject({ kind: 'retry' });
		expect(meta(500, { code: 999, message: 'x', is_transient: true })).toMatchObject({ kind: 'retry' });
		expect(meta(503)).toMatchObject({ kind: 'retry' });
	});
	it('does not retry a bare 500/502/504 and says the message may have been delivered', () => {
		for (const status of [500, 502, 504]) {
			const outcome = meta(status);
			expect(outcome.kind).toBe('fail');
			const error = (outcome as { error: RemoteApiError }).error;
			expect(error.details.maybeDelivered).toBe(true);
			expect(error.message).toMatch(/may have been delivered/);
		}
	});
	it('fails permanent errors with the code and hint', () => {
		const outcome = meta(400, { code: 131047, message: 'Re-engagement message' });
		expect(outcome.kind).toBe('fail');
		expect((outcome as { error: RemoteApiError }).error.details).toMatchObject({ code: 131047 });
	});
});
