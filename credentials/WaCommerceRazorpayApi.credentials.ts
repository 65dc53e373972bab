import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Razorpay: HTTP Basic auth with the key pair. n8n injects it from here so node code never builds the
 * header; the optional account ID is for partner (sub-merchant) calls.
 */
export class WaCommerceRazorpayApi implements ICredentialType {
	name = 'waCommerceRazorpayApi';

	displayName = 'Razorpay API';

	icon: Icon = { light: 'file:icons/razorpay.svg', dark: 'file:icons/razorpay.dark.svg' };

	documentationUrl = 'https://razorpay.com/docs/api/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'rzp_test_...',
			description: 'Dashboard > Account & Settings > API Keys. Test keys start with rzp_test_.',
		},
		{
			displayName: 'Key Secret',
			name: 'keySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once when the key is generated (regenerate it if lost)',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The secret typed when creating the webhook (Dashboard > Account & Settings > Webhooks); used by the Payment Gateway Trigger',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			placeholder: 'acc_...',
			description: 'Optional. For partners acting on a sub-merchant: sent as the X-Razorpay-Account header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.razorpay.com',
			description: 'Change only for the local sandbox',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.keyId}}',
				password: '={{$credentials.keySecret}}',
			},
			headers: {
				'X-Razorpay-Account': '={{$credentials.accountId || undefined}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/orders',
			qs: { count: 1 },
		},
	};
}
