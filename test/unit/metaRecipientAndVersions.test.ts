/**
 * Recipient addressing (phone -> `to`, BSUID -> `recipient`), Graph version end dates, Meta's wamid format and
 * Brazil's simplified order_details. Facts: /work/shared/spec/meta-2026.md §1.4 (BSUID in `recipient`; format
 * `^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$`), §4.1 (simplified order, Pix flow_type APPSWITCH), §5 (version dates);
 * the wamid sample is the one in Meta's Cloud API reference.
 */
import { recipientField, sentTo } from '../../nodes/shared/meta/customer';
import { DEFAULT_GRAPH_VERSION, GRAPH_VERSIONS, graphVersionWarning } from '../../nodes/shared/meta/graphVersions';
import { buildOrderDetails } from '../../nodes/shared/meta/orderDetails';
import { InputError } from '../../nodes/shared/errors';
import { WaCommerceMetaApi } from '../../credentials/WaCommerceMetaApi.credentials';
import { realWamid } from '../counterparts/meta';

describe('Recipient: a phone number or a BSUID', () => {
	it.each([
		['+91 98765-43210', { to: '919876543210' }],
		['16505551234', { to: '16505551234' }],
		['BR.8812004471', { recipient: 'BR.8812004471' }],
		['US.13491208655302741918', { recipient: 'US.13491208655302741918' }],
		['US.ENT.11815799212886844830', { recipient: 'US.ENT.11815799212886844830' }],
		[{ to: '16505551234' }, { to: '16505551234' }],
		[{ recipient: 'BR.8812004471' }, { recipient: 'BR.8812004471' }],
	])('%j -> %j', (input, expected) => {
		expect(recipientField(input)).toEqual(expected);
	});

	it.each(['', 'br.8812004471', 'BR-8812004471', '12345', 'ana.shop'])('refuses %j naming the field', (input) => {
		expect(() => recipientField(input, 'to')).toThrow(InputError);
		try {
			recipientField(input, 'to');
		} catch (error) {
			expect((error as InputError).field).toBe('to');
		}
	});

	it('reads the wa_id or user_id Meta answers', () => {
		expect(sentTo({ contacts: [{ input: 'BR.8812004471', user_id: 'BR.8812004471' }] }, { recipient: 'BR.8812004471' })).toEqual({ waId: null, userId: 'BR.8812004471' });
		expect(sentTo({ contacts: [{ input: '+16505551234', wa_id: '16505551234' }] }, { to: '16505551234' })).toEqual({ waId: '16505551234', userId: null });
	});
});

describe('Graph API versions', () => {
	it('the credential offers v21.0-v27.0, newest first, defaulting to the newest', () => {
		const property = new WaCommerceMetaApi().properties.find((p) => p.name === 'apiVersion')!;
		expect((property.options as Array<{ value: string }>).map((o) => o.value)).toEqual(GRAPH_VERSIONS.map((v) => v.version));
		expect(property.default).toBe(DEFAULT_GRAPH_VERSION);
		expect(DEFAULT_GRAPH_VERSION).toBe('v27.0');
	});

	it('warns within 90 days of a version\'s end and after it, never for versions without a published end', () => {
		expect(graphVersionWarning('v21.0', new Date('2026-10-20T00:00:00Z'))).toBeUndefined();
		expect(graphVersionWarning('v21.0', new Date('2026-10-24T00:00:00Z'))).toMatch(/v21\.0 ends on 2027-01-21 \(in 89 days\)/);
		expect(graphVersionWarning('v21.0', new Date('2027-01-21T00:00:00Z'))).toMatch(/ended on 2027-01-21/);
		expect(graphVersionWarning('v20.0', new Date('2026-11-23T00:00:00Z'))).toMatch(/ended on 2026-09-24/);
		expect(graphVersionWarning('v27.0', new Date('2026-11-23T00:00:00Z'))).toBeUndefined();
		expect(graphVersionWarning('v25.0', new Date('2026-11-23T00:00:00Z'))).toBeUndefined();
	});
});

describe('wamids in Meta\'s format', () => {
	it('decode like Meta\'s sample: a record holding the recipient and a 20-hex-digit id', () => {
		const sample = 'wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
		expect(realWamid('16505076520', '3A4A6599AEE03810144F')).toBe(sample);
		const made = realWamid('BR.8812004471');
		expect(made).toMatch(/^wamid\.[A-Za-z0-9+/]+=*$/);
		expect(Buffer.from(made.slice(6), 'base64').toString('latin1')).toContain('BR.8812004471');
	});
});

describe('Brazil: simplified order_details and Pix flow_type', () => {
	const base = { market: 'brazil' as const, referenceId: 'pedido-5521', items: [], tax: 0, now: 1767000000 };
	it('sends the total and payment settings with no order object', () => {
		const built = buildOrderDetails({
			...base,
			simplifiedTotal: 12990,
			payment: { type: 'pix_dynamic_code', code: '00020101021226', merchantName: 'Loja Azul', key: 'loja@azul.com.br', keyType: 'EMAIL', flowType: 'APPSWITCH' },
		});
		expect(built.parameters).toEqual({
			reference_id: 'pedido-5521',
			type: 'digital-goods',
			payment_type: 'br',
			currency: 'BRL',
			total_amount: { value: 12990, offset: 100 },
			payment_settings: [{ type: 'pix_dynamic_code', pix_dynamic_code: { code: '00020101021226', merchant_name: 'Loja Azul', key: 'loja@azul.com.br', key_type: 'EMAIL', flow_type: 'APPSWITCH' } }],
		});
		expect(built.amounts.total).toMatchObject({ minor: 12990, decimal: '129.90' });
	});

	it('refuses a simplified order in India and a zero total', () => {
		const payment = { type: 'boleto' as const, digitableLine: '03399026944140000002628346101018898510000008848' };
		expect(() => buildOrderDetails({ ...base, market: 'india', simplifiedTotal: 100, payment })).toThrow(/Only Brazil/);
		expect(() => buildOrderDetails({ ...base, simplifiedTotal: 0, payment })).toThrow(/greater than 0/);
	});
});
