import { runNode, TestCredentialsHelper } from '../harness/engine';
import { MetaCounterpart } from '../counterparts/meta';

describe('real-engine harness (WorkflowExecute + credential injection + Meta counterpart)', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());

	const credentials = (token = meta.state.token) =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: token,
			businessAccountId: meta.state.wabaId,
			apiVersion: 'v25.0',
			baseUrl: meta.baseUrl,
		});

	it('runs an operation through WorkflowExecute with the credential injected by its authenticate block', async () => {
		const result = await runNode(
			{ type: 'whatsAppCommerce', parameters: { resource: 'paymentConfiguration', operation: 'list' }, credentials: ['waCommerceMetaApi'] },
			[{}],
			credentials(),
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.configuration_name)).toEqual(['rzp-prod']);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const [request] = meta.received('GET');
		expect(request.path).toBe(`/v25.0/${meta.state.wabaId}/payment_configurations`);
		expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
	});

	it('keeps Meta\'s code and says what to do on a bad token, without leaking the token', async () => {
		const result = await runNode(
			{ type: 'whatsAppCommerce', parameters: { resource: 'paymentConfiguration', operation: 'list' }, credentials: ['waCommerceMetaApi'] },
			[{}],
			credentials('wrong-token-secret'),
		);
		expect(result.error?.message).toContain('(code 190)');
		expect(result.error?.description).toContain('token');
		expect(JSON.stringify(result.run)).not.toContain('wrong-token-secret');
		expect(meta.received('GET')).toHaveLength(1);
	});
});
