import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Stripe: Bearer secret key injected by n8n; the signing secret is for the Payment Gateway Trigger. */
export class WaCommerceStripeApi implements ICredentialType {
	name = 'waCommerceStripeApi';

	// Not "Stripe API" (n8n's own Stripe credential) and not "WhatsApp ..." (typing WhatsApp in the credential
	// picker must find the Meta credential, not this one).
	displayName = 'Stripe Payment Gateway API';

	icon: Icon = { light: 'file:icons/stripe.svg', dark: 'file:icons/stripe.dark.svg' };

	documentationUrl = 'https://docs.stripe.com/keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_test_...',
			description:
				'Developers > API keys. A restricted key (rk_...) works if it may write Checkout Sessions, Payment Links and Refunds.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_...',
			description:
				'Developers > Webhooks > your endpoint > Signing secret; the Payment Gateway Trigger fills it in itself when it registers the endpoint',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.stripe.com',
			description: 'Change only for the local sandbox',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.secretKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/balance',
		},
	};
}
