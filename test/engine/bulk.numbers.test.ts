/**
 * Several sending numbers in one run through the real engine (issue 18): items name their sender
 * (`$json.from`), each number is paced at its own limit, side by side. Outcomes only (every item accepted
 * once, order and pairedItem kept, a 130429 on one number leaves the others' items untouched); the one rate
 * check is the counterpart's own per-number count on arrival. Timing properties (aggregate rate, which number
 * slows) are proven in virtual time in test/unit/throughput.test.ts.
 */
import { AttemptCounter, enforceRate, isMessagePost } from '../counterparts/faults';
import { MetaCounterpart, metaError } from '../counterparts/meta';
import { runNode, TestCredentialsHelper } from '../harness/engine';
import { peakInWindow } from '../harness/rate';

const NUMBERS = ['106540352242922', '106540352242999', '106540352243001'];
const LIMIT = 60;
const recipient = (i: number) => `9190${String(i).padStart(8, '0')}`;
const senderOf = (path: string) => path.split('/')[2];

describe('Bulk sending from several numbers (real engine)', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
		meta.state.phoneNumbers.push({ id: NUMBERS[2], display_phone_number: '+91 98765 00001', verified_name: 'Chai Point 2', quality_rating: 'GREEN' });
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());

	const run = (count: number) =>
		runNode(
			{
				type: 'whatsAppCommerce',
				parameters: {
					resource: 'order',
					operation: 'sendOrderStatus',
					phoneNumberId: { __rl: true, mode: 'id', value: '={{ $json.from }}' },
					to: '={{ $json.to }}',
					referenceId: '={{ $json.ref }}',
					orderStatus: 'shipped',
					bodyText: 'Your order is on its way',
					bulkSending: { messagesPerSecond: LIMIT },
				},
				credentials: ['waCommerceMetaApi'],
				continueOnFail: true,
			},
			Array.from({ length: count }, (_, i) => ({ to: recipient(i), ref: `INV-${i}`, from: NUMBERS[i % 3] })),
			new TestCredentialsHelper().set('waCommerceMetaApi', {
				accessToken: meta.state.token,
				businessAccountId: meta.state.wabaId,
				apiVersion: 'v25.0',
				baseUrl: meta.baseUrl,
			}),
		);

	const arrivalsBy = (number: string) => meta.requests.filter((r) => isMessagePost(r) && senderOf(r.path) === number).map((r) => r.at);

	it('sends every item once from its own number, each number within its limit, in input order', async () => {
		const limit = enforceRate(LIMIT);
		meta.inject(limit);
		const result = await run(240);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.referenceId)).toEqual(Array.from({ length: 240 }, (_, i) => `INV-${i}`));
		expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 240 }, (_, item) => ({ item })));
		expect(meta.sent).toHaveLength(240);
		meta.sent.forEach((sent) => expect(sent.phoneNumberId).toBe(NUMBERS[Number(String(sent.message.to).slice(4)) % 3]));
		// Accepted exactly once per item and number. Arrival times are real here: on a starved machine the event loop
		// can release two paced requests together, so the counterpart may count one over the limit in a window and
		// answer 130429, which is then retried (never lost, never sent twice). That the limiter itself never plans
		// more than the limit is proven in virtual time (test/unit/throughput.test.ts, rateLimiter.test.ts).
		for (const number of NUMBERS) {
			expect(meta.sent.filter((sent) => sent.phoneNumberId === number)).toHaveLength(80);
			expect(arrivalsBy(number).length).toBeLessThanOrEqual(80 + limit.refused);
			expect(peakInWindow(arrivalsBy(number))).toBeLessThanOrEqual(LIMIT + 2);
		}
		expect(limit.refused).toBeLessThanOrEqual(2);
	}, 60000);

	it('a 130429 on one number is retried on that number only; nothing is lost or sent twice', async () => {
		const attempts = new AttemptCounter();
		meta.inject((request) => {
			if (!isMessagePost(request)) return undefined;
			const attempt = attempts.next(request);
			const to = String((request.body as { to: string }).to);
			return to === recipient(30) && attempt === 1 ? metaError(400, 130429, '(#130429) Rate limit hit') : undefined;
		});
		const result = await run(120);
		expect(result.error).toBeUndefined();
		expect(result.items.every((item) => typeof item.json.messageId === 'string')).toBe(true);
		expect(new Set(meta.sent.map((s) => String(s.message.to))).size).toBe(120);
		expect(meta.sent).toHaveLength(120);
		// Item 30 belongs to the first number: only it was sent twice (refused, then accepted).
		expect(attempts.get(recipient(30))).toBe(2);
		expect(arrivalsBy(NUMBERS[0])).toHaveLength(41);
		expect(arrivalsBy(NUMBERS[1])).toHaveLength(40);
		expect(arrivalsBy(NUMBERS[2])).toHaveLength(40);
	}, 60000);
});
