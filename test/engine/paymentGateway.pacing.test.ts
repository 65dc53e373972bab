/**
 * Many items through the Payment Gateway node (an ERP's batch of invoices): up to "Max Requests in Flight" at
 * once, never more than "Requests per Second" reaching the gateway, a 429 pausing the whole run for its
 * Retry-After, output in input order with pairedItem, and Refund > Create one item at a time. Real engine,
 * Razorpay counterpart; rates are computed from the counterpart's recorded arrival times.
 */
import type { IDataObject } from 'n8n-workflow';

import { RazorpayCounterpart } from '../counterparts/razorpay';
import type { RecordedRequest } from '../counterparts/server';
import { runNode, TestCredentialsHelper } from '../harness/engine';
import { peakInWindow } from '../harness/rate';

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const isLinkCreate = (r: RecordedRequest) => r.method === 'POST' && r.path === '/v1/payment_links';

describe('Payment Gateway: many items in one run (real engine)', () => {
	const razorpay = new RazorpayCounterpart();
	beforeAll(async () => {
		await razorpay.start();
	});
	afterAll(async () => {
		await razorpay.stop();
	});
	beforeEach(() => razorpay.reset());

	const run = (parameters: IDataObject, input: IDataObject[]) =>
		runNode(
			{ type: 'paymentGateway', parameters: { gateway: 'razorpay', ...parameters }, credentials: ['waCommerceRazorpayApi'] },
			input,
			new TestCredentialsHelper().set('waCommerceRazorpayApi', { keyId: razorpay.keyId, keySecret: razorpay.keySecret, webhookSecret: 'whsec', baseUrl: razorpay.baseUrl }),
		);
	const invoices = (count: number) => Array.from({ length: count }, (_, i) => ({ invoice: `INV-${i}`, amount: `${100 + i}.00` }));
	const createLinks = (count: number, pacing: IDataObject) =>
		run({ resource: 'paymentLink', operation: 'create', amount: '={{ $json.amount }}', currency: 'INR', reference: '={{ $json.invoice }}', pacing }, invoices(count));

	/** Counts requests the counterpart is holding at once; early items answer last so completion order differs. */
	const trackConcurrency = (match: (r: RecordedRequest) => boolean) => {
		const seen = { now: 0, peak: 0 };
		razorpay.inject(async (request) => {
			if (!match(request)) return undefined;
			seen.now += 1;
			seen.peak = Math.max(seen.peak, seen.now);
			const index = Number(/INV-(\d+)/.exec(JSON.stringify(request.body))?.[1] ?? 0);
			await wait(index < 4 ? 120 - index * 20 : 30);
			seen.now -= 1;
			return undefined;
		});
		return seen;
	};

	it('runs up to Max Requests in Flight items at once and keeps input order and pairedItem', async () => {
		const seen = trackConcurrency(isLinkCreate);
		const result = await createLinks(12, { maxInFlight: 4, requestsPerSecond: 100 });
		expect(result.error).toBeUndefined();
		// Items 0-3 are held 60-120 ms, so all four overlap; never a fifth.
		expect(seen.peak).toBeLessThanOrEqual(4);
		expect(seen.peak).toBeGreaterThanOrEqual(3);
		expect(result.items.map((item) => item.json.reference)).toEqual(invoices(12).map((i) => i.invoice));
		expect(result.items.map((item) => item.pairedItem)).toEqual(invoices(12).map((_, item) => ({ item })));
		expect(result.items.map((item) => (item.json.amount as IDataObject).minor)).toEqual(invoices(12).map((_, i) => (100 + i) * 100));
	});

	it('never lets more than Requests per Second reach the gateway in any second', async () => {
		const result = await createLinks(14, { maxInFlight: 10, requestsPerSecond: 5 });
		expect(result.error).toBeUndefined();
		const arrivals = razorpay.received('POST', '/v1/payment_links').map((r) => r.at);
		expect(arrivals).toHaveLength(14);
		expect(peakInWindow(arrivals)).toBeLessThanOrEqual(5);
	});

	it('a 429 with Retry-After pauses the whole run, then every item is created once', async () => {
		let refusedAt = 0;
		razorpay.inject(async (request) => {
			if (!isLinkCreate(request)) return undefined;
			if (!refusedAt) {
				refusedAt = request.at;
				return { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'Too many requests' } } };
			}
			// Slow answers keep the other worker busy, so without a shared pause it would send during it.
			await wait(100);
			return undefined;
		});
		const result = await createLinks(6, { maxInFlight: 2, requestsPerSecond: 50 });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(6);
		expect(razorpay.links.size).toBe(6);
		const arrivals = razorpay.received('POST', '/v1/payment_links').map((r) => r.at);
		// A request granted just before the 429 came back may still land early in the pause (a busy CI machine can
		// hold it back a little); none is granted during it. Unpaced, the other worker would send every ~100 ms.
		const duringPause = arrivals.filter((at) => at > refusedAt + 250 && at < refusedAt + 900);
		expect(duringPause).toEqual([]);
	});

	it('Refund > Create runs one item at a time whatever Max Requests in Flight says', async () => {
		const links = await createLinks(4, { requestsPerSecond: 100 });
		const paymentIds = links.items.map((item) => razorpay.markLinkPaid(item.json.linkId as string).id as string);
		const seen = { now: 0, peak: 0 };
		razorpay.inject(async (request) => {
			if (request.method !== 'POST' || !request.path.endsWith('/refund')) return undefined;
			seen.now += 1;
			seen.peak = Math.max(seen.peak, seen.now);
			await wait(40);
			seen.now -= 1;
			return undefined;
		});
		const result = await run(
			{ resource: 'refund', operation: 'create', paymentId: '={{ $json.paymentId }}', refundType: 'full', pacing: { maxInFlight: 10 } },
			paymentIds.map((paymentId) => ({ paymentId })),
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.paymentId)).toEqual(paymentIds);
		expect(seen.peak).toBe(1);
	});
});
