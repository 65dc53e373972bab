/**
 * Bulk sending behaviour through the real engine: input order and pairedItem under concurrency, the
 * default 80/s limit, stop-on-failure without continueOnFail, the per-recipient pair limit, and the
 * opt-in retry of timeouts. Outcomes and orderings only; the one rate check is computed from the
 * counterpart's recorded arrival times.
 */
import { AttemptCounter, isMessagePost } from '../counterparts/faults';
import { MetaCounterpart, metaError } from '../counterparts/meta';
import { runNode, TestCredentialsHelper } from '../harness/engine';
import { peakInWindow } from '../harness/rate';

const PHONE = '106540352242922';
const recipient = (i: number) => `9190${String(i).padStart(8, '0')}`;
const indexOf = (request: { body: unknown }) => Number(String((request.body as { to: string }).to).slice(4));

describe('Bulk sending (real engine)', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());

	const run = (count: number, bulkSending: Record<string, unknown> = {}, continueOnFail = true) =>
		runNode(
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
					bulkSending,
				},
				credentials: ['waCommerceMetaApi'],
				...(continueOnFail ? { continueOnFail: true } : {}),
			},
			Array.from({ length: count }, (_, i) => ({ to: recipient(i), ref: `INV-${i}` })),
			new TestCredentialsHelper().set('waCommerceMetaApi', {
				accessToken: meta.state.token,
				businessAccountId: meta.state.wabaId,
				apiVersion: 'v25.0',
				baseUrl: meta.baseUrl,
			}),
		);

	it('keeps input order and pairedItem when answers come back out of order', async () => {
		// Early items answer last: with 10 in flight, completion order differs from input order.
		meta.inject(async (request) => {
			if (!isMessagePost(request)) return undefined;
			const i = indexOf(request);
			await new Promise((resolve) => setTimeout(resolve, i < 10 ? 150 - i * 10 : 0));
			return undefined;
		});
		const result = await run(40, { maxInFlight: 10, messagesPerSecond: 1000 });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.referenceId)).toEqual(Array.from({ length: 40 }, (_, i) => `INV-${i}`));
		expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 40 }, (_, i) => ({ item: i })));
		const byTo = new Map(meta.sent.map((s) => [String(s.message.to), s.id]));
		result.items.forEach((item, i) => expect(item.json.messageId).toBe(byTo.get(recipient(i))));
		// Completion order really differed from input order.
		expect(meta.sent.map((s) => indexOf({ body: s.message }))).not.toEqual(Array.from({ length: 40 }, (_, i) => i));
	});

	it('never exceeds the default 80 messages per second', async () => {
		const result = await run(200);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(200);
		expect(meta.sent).toHaveLength(200);
		expect(peakInWindow(meta.received('POST').map((r) => r.at))).toBeLessThanOrEqual(80);
	});

	it('without continueOnFail, stops starting items after a failure and throws that item\'s error', async () => {
		meta.inject((request) =>
			isMessagePost(request) && indexOf(request) === 3
				? metaError(400, 131026, 'Message undeliverable', 'Recipient is not a valid WhatsApp user')
				: undefined,
		);
		const result = await run(300, { maxInFlight: 5, messagesPerSecond: 1000 }, false);
		expect(result.error).toBeDefined();
		expect(result.error!.message).toMatch(/131026/);
		expect(result.error!.context?.itemIndex ?? result.error!.itemIndex).toBe(3);
		// Only items started before the failure was seen were sent; nothing after.
		expect(meta.received('POST').length).toBeLessThan(300);
	});

	it('the pair limit (131056) delays only that recipient; the message is accepted once', async () => {
		const attempts = new AttemptCounter();
		meta.inject((request) => {
			if (!isMessagePost(request)) return undefined;
			const attempt = attempts.next(request);
			return indexOf(request) === 0 && attempt === 1
				? { ...metaError(400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit'), headers: { 'Retry-After': '1' } }
				: undefined;
		});
		const result = await run(20, { messagesPerSecond: 200 });
		expect(result.error).toBeUndefined();
		expect(result.items.every((item) => typeof item.json.messageId === 'string')).toBe(true);
		const order = meta.received('POST').map((r) => indexOf(r));
		// Item 0 was sent first, refused, and sent again after every other recipient went through.
		expect(order[0]).toBe(0);
		expect(order[order.length - 1]).toBe(0);
		expect(order.filter((i) => i === 0)).toHaveLength(2);
		expect(meta.sent.filter((s) => s.message.to === recipient(0))).toHaveLength(1);
	});

	it('retries a timed-out send only when Retry Timeouts is on', async () => {
		const attempts = new AttemptCounter();
		meta.inject((request) => (isMessagePost(request) && attempts.next(request) === 1 ? 'hang' : undefined));
		const off = await run(1, { timeout: 500 });
		expect(off.items[0].json).toMatchObject({ maybeDelivered: true });
		expect(String(off.items[0].json.error)).toMatch(/may have been processed/);
		expect(meta.received('POST')).toHaveLength(1);

		meta.reset();
		const again = new AttemptCounter();
		meta.inject((request) => (isMessagePost(request) && again.next(request) === 1 ? 'hang' : undefined));
		const on = await run(1, { timeout: 500, retryTimeouts: true });
		expect(on.items[0].json.messageId).toBe(meta.sent[0].id);
		expect(meta.received('POST')).toHaveLength(2);
	});

	it('keeps the access token out of error items', async () => {
		meta.inject((request) => (isMessagePost(request) ? { status: 502, body: 'Bad Gateway' } : undefined));
		const result = await run(3);
		expect(result.items).toHaveLength(3);
		expect(JSON.stringify(result.items)).not.toContain(meta.state.token);
	});
});
