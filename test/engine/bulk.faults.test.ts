/**
 * Issue 6 fault tests: 500 sends through the real engine against the Meta counterpart, which enforces the
 * throughput limit (130429 above it) and injects 429 + Retry-After, 5xx, connection resets, answers slower
 * than the timeout and no answer at all, on a fixed script per item. Every item must end as exactly one
 * accepted message or an error item that says why; none may be accepted twice; the arrival rate at the
 * counterpart must never exceed the limit. Outcomes depend on the script, not on timing.
 */
import { AttemptCounter, enforceRate, isMessagePost } from '../counterparts/faults';
import { MetaCounterpart, metaError } from '../counterparts/meta';
import type { Fault, RecordedRequest } from '../counterparts/server';
import { runNode, TestCredentialsHelper } from '../harness/engine';
import { peakInWindow } from '../harness/rate';

const PHONE = '106540352242922';
const LIMIT = 200;
const TIMEOUT_MS = 1000;
/** Far beyond the timeout, so "slow" can never be mistaken for "in time" on a loaded machine. */
const SLOW_MS = 3000;

const recipient = (i: number) => `9190${String(i).padStart(8, '0')}`;
const indexOf = (to: string) => Number(to.slice(4));

type Expected = 'ok' | 'maybeDelivered' | 'busy';

/** The script: what happens to item i, by attempt. */
function scenario(i: number): { name: string; expected: Expected } {
	if (i % 100 === 39) return { name: 'always 429', expected: 'busy' };
	if (i % 50 === 9) return { name: 'slow (accepted after the timeout)', expected: 'maybeDelivered' };
	if (i % 50 === 19) return { name: 'no answer', expected: 'maybeDelivered' };
	if (i % 50 === 29) return { name: 'bare 502', expected: 'maybeDelivered' };
	if (i % 100 === 49) return { name: '503 then ok', expected: 'ok' };
	if (i % 50 === 1) return { name: '429 + Retry-After then ok', expected: 'ok' };
	if (i % 100 === 7) return { name: '130429 then reset then ok', expected: 'ok' };
	if (i % 10 === 3) return { name: '500 transient then ok', expected: 'ok' };
	if (i % 10 === 5) return { name: 'reset then ok', expected: 'ok' };
	return { name: 'ok', expected: 'ok' };
}

describe('Bulk sending under faults (500 sends, real engine)', () => {
	const meta = new MetaCounterpart();
	const attempts = new AttemptCounter();
	const slowOnes: Array<Promise<void>> = [];

	const plan: Fault = async (request: RecordedRequest) => {
		if (!isMessagePost(request)) return undefined;
		const attempt = attempts.next(request);
		const i = indexOf(String((request.body as { to: string }).to));
		const { name } = scenario(i);
		const retryAfter = { 'Retry-After': '0.1' };
		switch (name) {
			case 'always 429':
				return { status: 429, headers: retryAfter, body: { error: { message: 'Too many requests', code: 80007 } } };
			case 'slow (accepted after the timeout)': {
				const wait = new Promise<void>((resolve) => setTimeout(resolve, SLOW_MS));
				slowOnes.push(wait);
				await wait;
				return undefined; // on to the route: Meta accepts it, but the client gave up long ago
			}
			case 'no answer':
				return 'hang';
			case 'bare 502':
				return { status: 502, body: '<html>Bad Gateway</html>' };
			case '503 then ok':
				return attempt === 1 ? { status: 503, body: '' } : undefined;
			case '429 + Retry-After then ok':
				return attempt === 1 ? { status: 429, headers: retryAfter, body: { error: { message: 'Too many requests', code: 4 } } } : undefined;
			case '500 transient then ok':
				return attempt === 1 ? metaError(500, 131000, 'Something went wrong', 'Message failed to send because of an unknown error. Please try again later.') : undefined;
			case 'reset then ok':
				return attempt === 1 ? 'reset' : undefined;
			case '130429 then reset then ok':
				if (attempt === 1) return metaError(400, 130429, '(#130429) Rate limit hit');
				return attempt === 2 ? 'reset' : undefined;
			default:
				return undefined;
		}
	};

	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});

	const credentials = () =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: meta.state.token,
			businessAccountId: meta.state.wabaId,
			apiVersion: 'v25.0',
			baseUrl: meta.baseUrl,
		});

	it('ends every item as exactly one accepted message or an error saying why, never above the limit', async () => {
		meta.reset();
		const limit = enforceRate(LIMIT);
		meta.inject(limit);
		meta.inject(plan);
		const input = Array.from({ length: 500 }, (_, i) => ({ to: recipient(i), ref: `INV-${i}` }));
		const result = await runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					operation: 'sendOrderStatus',
					phoneNumberId: { __rl: true, mode: 'id', value: PHONE },
					to: '={{ $json.to }}',
					referenceId: '={{ $json.ref }}',
					orderStatus: 'shipped',
					bodyText: 'Your order is on its way',
					bulkSending: { messagesPerSecond: LIMIT, maxInFlight: 40, timeout: TIMEOUT_MS },
				},
				credentials: ['waCommerceMetaApi'],
				continueOnFail: true,
			},
			input,
			credentials(),
		);
		// Let the slow answers reach the route, so late acceptances are counted too.
		await Promise.all(slowOnes);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(500);

		const acceptedByRecipient = new Map<string, string[]>();
		for (const sent of meta.sent) {
			const to = String(sent.message.to);
			acceptedByRecipient.set(to, [...(acceptedByRecipient.get(to) ?? []), sent.id]);
		}
		// Nothing is ever accepted twice.
		for (const [, ids] of acceptedByRecipient) expect(ids).toHaveLength(1);

		const tally: Record<string, number> = {};
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const { expected, name } = scenario(i);
			const accepted = acceptedByRecipient.get(recipient(i)) ?? [];
			const json = item.json as Record<string, unknown>;
			tally[expected] = (tally[expected] ?? 0) + 1;
			if (expected === 'ok') {
				expect({ i, name, error: json.error }).toEqual({ i, name, error: undefined });
				expect(json.messageId).toBe(accepted[0]);
				expect(json.referenceId).toBe(`INV-${i}`);
				return;
			}
			expect(typeof json.error).toBe('string');
			if (expected === 'maybeDelivered') {
				expect(json).toMatchObject({ maybeDelivered: true });
				expect(String(json.error)).toMatch(/may have been (processed|delivered)/);
				// The slow one was accepted once after we gave up; we did not send it again.
				expect(accepted).toHaveLength(name.startsWith('slow') ? 1 : 0);
				expect(attempts.get(recipient(i))).toBe(1);
			} else {
				expect(String(json.error)).toMatch(/retry|throttled/i);
				expect(accepted).toHaveLength(0);
				expect(attempts.get(recipient(i))).toBe(5);
			}
		});
		expect(tally).toEqual({ ok: 465, maybeDelivered: 30, busy: 5 });

		// The rate never exceeded the limit at the counterpart (arrival times of every attempt).
		const arrivals = meta.requests.filter(isMessagePost).map((r) => r.at);
		expect(peakInWindow(arrivals)).toBeLessThanOrEqual(LIMIT);
		expect(limit.refused).toBe(0);
	}, 180000);
});
