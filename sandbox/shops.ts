/**
 * What the seed-flow examples (examples/5-... to 9-...) need from the sandbox besides example 1's world: their
 * own WhatsApp numbers (one shop per example, so that Meta events of one example never start another), a PayU
 * payment configuration for WhatsApp Pay, the templates they send, a second Lyra shop, and the catalog's products
 * with names, prices and images the chat view shows. Applied to the counterparts once, at construction.
 */
import type { MetaCounterpart, MetaPhoneNumber } from '../test/counterparts/meta';
import type { LyraCounterpart } from '../test/counterparts/lyra';

/** Business numbers of the seed-flow examples (Meta phone number ids in Meta's 15-digit format). */
export const SHOP_NUMBERS = {
	checkout: { id: '106540352243005', display_phone_number: '+91 98765 00005', verified_name: 'Chai Point Checkout', quality_rating: 'GREEN' },
	monitoring: { id: '106540352243006', display_phone_number: '+91 98765 00006', verified_name: 'Chai Point Express', quality_rating: 'GREEN' },
	lyraParis: { id: '106540352243007', display_phone_number: '+33 1 70 00 00 07', verified_name: 'Boulangerie Paris', quality_rating: 'GREEN' },
	lyraLyon: { id: '106540352243008', display_phone_number: '+33 4 70 00 00 08', verified_name: 'Boulangerie Lyon', quality_rating: 'GREEN' },
	kirana: { id: '106540352243009', display_phone_number: '+91 98765 00009', verified_name: 'Kirana Bazaar', quality_rating: 'GREEN' },
} satisfies Record<string, MetaPhoneNumber>;

/** The merchant's staff phone that example 5 tells about each paid order (a sandbox number, never a real one). */
export const STAFF_PHONE = '919800000099';

/** A PayU payment configuration (WhatsApp Pay through PayU) for examples 8 and 9. */
export const PAYU_CONFIGURATION = {
	configuration_name: 'payu-prod',
	merchant_category_code: { code: '5411', description: 'Grocery stores' },
	purpose_code: { code: '00', description: 'Default' },
	status: 'Active',
	provider_mid: 'payu-mid-1',
	provider_name: 'payu',
	created_timestamp: 1700000000,
	updated_timestamp: 1700000000,
};

/** Templates the seed-flow examples send (Meta checks the parameter counts of templates it knows components of). */
export const SHOP_TEMPLATES: Array<Record<string, unknown>> = [
	{
		name: 'staff_new_order',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'New paid order {{1}}: {{2}} from {{3}}. Please pack it.' }],
	},
	{
		name: 'delivery_feedback',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		components: [
			{ type: 'BODY', text: 'Your order {{1}} was delivered. How was it?' },
			{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Loved it' }, { type: 'QUICK_REPLY', text: 'Had a problem' }] },
		],
	},
];

/** The second Lyra shop of example 7 (its own shop id, password and HMAC key; test credentials only). */
export const LYRA_LYON = {
	shopId: '69876358',
	password: 'testpassword_LYONPRIVATEKEY77Q8C2bXRT0aQ9p',
	hmacKey: '7c1b9a6e0a0445d18f0f2b6c3e5d7a91',
};

export interface CatalogProduct {
	retailerId: string;
	name: string;
	description: string;
	/** Major units as Meta's catalog shows them, e.g. "120.00". */
	price: string;
	currency: string;
	/** A small SVG drawing, shipped with the sandbox (no network needed). */
	image: string;
}

const svg = (body: string, background: string) =>
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img"><rect width="64" height="64" rx="10" fill="${background}"/>${body}</svg>`;

/** Products of the sandbox catalog (Meta catalog id of the first catalog); retailer ids match the default cart. */
export const CATALOG_PRODUCTS: CatalogProduct[] = [
	{
		retailerId: 'masala-chai',
		name: 'Masala chai',
		description: 'Spiced milk tea, 250 ml',
		price: '120.00',
		currency: 'INR',
		image: svg('<path d="M16 26h28v14a12 12 0 0 1-12 12h-4a12 12 0 0 1-12-12z" fill="#8d5524"/><path d="M44 30h4a6 6 0 0 1 0 12h-4" fill="none" stroke="#8d5524" stroke-width="4"/><path d="M24 12c-3 4 3 6 0 10M32 12c-3 4 3 6 0 10" stroke="#c9a27e" stroke-width="3" fill="none"/>', '#fdf1e3'),
	},
	{
		retailerId: 'samosa',
		name: 'Samosa',
		description: 'Potato and pea, 1 piece',
		price: '25.50',
		currency: 'INR',
		image: svg('<path d="M32 12 52 50H12z" fill="#e0a040" stroke="#b07020" stroke-width="3" stroke-linejoin="round"/><path d="M24 40h16" stroke="#b07020" stroke-width="2"/>', '#fff6da'),
	},
	{
		retailerId: 'filter-coffee',
		name: 'Filter coffee',
		description: 'South Indian, 180 ml',
		price: '90.00',
		currency: 'INR',
		image: svg('<path d="M20 22h24l-4 28H24z" fill="#5b3a29"/><ellipse cx="32" cy="22" rx="12" ry="3" fill="#a47551"/><path d="M14 50h36" stroke="#999" stroke-width="4" stroke-linecap="round"/>', '#efe7df'),
	},
	{
		retailerId: 'vada-pav',
		name: 'Vada pav',
		description: 'Mumbai burger, 1 piece',
		price: '40.00',
		currency: 'INR',
		image: svg('<ellipse cx="32" cy="26" rx="20" ry="9" fill="#e8b76b"/><rect x="12" y="30" width="40" height="6" rx="3" fill="#c0762b"/><ellipse cx="32" cy="42" rx="20" ry="7" fill="#e8b76b"/>', '#fdf3e1'),
	},
	{
		retailerId: 'gulab-jamun',
		name: 'Gulab jamun',
		description: 'Two pieces in syrup',
		price: '60.00',
		currency: 'INR',
		image: svg('<ellipse cx="32" cy="44" rx="22" ry="8" fill="#f4d9a6"/><circle cx="24" cy="38" r="9" fill="#7b2d12"/><circle cx="40" cy="38" r="9" fill="#8e3a17"/>', '#fbeee6'),
	},
];

/** Adds the shops to the Meta counterpart and returns the second Lyra shop's settings for its own counterpart. */
export function addShops(meta: MetaCounterpart): void {
	for (const phone of Object.values(SHOP_NUMBERS)) {
		if (!meta.state.phoneNumbers.some((known) => known.id === phone.id)) meta.state.phoneNumbers.push({ ...phone });
	}
	if (!meta.state.paymentConfigurations.some((c) => c.configuration_name === PAYU_CONFIGURATION.configuration_name)) {
		meta.state.paymentConfigurations.push({ ...PAYU_CONFIGURATION });
	}
	for (const template of SHOP_TEMPLATES) {
		if (!meta.state.templates.some((t) => t.name === template.name && t.language === template.language)) meta.state.templates.push(template);
	}
	if (!meta.state.customers.has('IN.1739912009999')) meta.state.customers.set('IN.1739912009999', { waId: STAFF_PHONE, name: 'Staff (packing desk)' });
}

/** Gives a Lyra counterpart the second shop's identity. */
export function becomeLyon(lyra: LyraCounterpart): LyraCounterpart {
	lyra.shopId = LYRA_LYON.shopId;
	lyra.password = LYRA_LYON.password;
	lyra.hmacKey = LYRA_LYON.hmacKey;
	return lyra;
}
