import { testCredential } from '../harness/credentialTest';
import { MetaCounterpart } from '../counterparts/meta';

describe('credential tests (the "Save" button) against the counterparts', () => {
	const meta = new MetaCounterpart();
	beforeAll(async () => {
		await meta.start();
	});
	afterAll(async () => {
		await meta.stop();
	});
	beforeEach(() => meta.reset());

	const metaCredential = (overrides: Record<string, unknown> = {}) => ({
		accessToken: meta.state.token,
		businessAccountId: meta.state.wabaId,
		apiVersion: 'v25.0',
		baseUrl: meta.baseUrl,
		...overrides,
	});

	it('Meta: a valid token and WABA pass, through the credential\'s own bearer authentication', async () => {
		expect(await testCredential('waCommerceMetaApi', metaCredential())).toEqual({ status: 'OK', message: 'Connection tested successfully' });
		const [request] = meta.received('GET');
		expect(request.path).toBe(`/v25.0/${meta.state.wabaId}/phone_numbers`);
		expect(request.headers.authorization).toBe(`Bearer ${meta.state.token}`);
	});

	it('Meta: without a chosen version the credential uses its default, the newest (v27.0)', async () => {
		const { apiVersion: _omitted, ...withoutVersion } = metaCredential();
		expect(await testCredential('waCommerceMetaApi', withoutVersion)).toEqual({ status: 'OK', message: 'Connection tested successfully' });
		expect(meta.received('GET')[0].path).toBe(`/v27.0/${meta.state.wabaId}/phone_numbers`);
	});

	it('Meta: a wrong token fails', async () => {
		const result = await testCredential('waCommerceMetaApi', metaCredential({ accessToken: 'EAAG-wrong' }));
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('EAAG-wrong');
	});

	it('Meta: a WABA id the token cannot see fails', async () => {
		expect((await testCredential('waCommerceMetaApi', metaCredential({ businessAccountId: '999' }))).status).toBe('Error');
	});
});
