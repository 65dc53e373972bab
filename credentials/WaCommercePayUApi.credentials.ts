import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/** Token URLs per environment; custom points at a sandbox or proxy. */
const AUTH_URLS: Record<string, string> = {
	production: 'https://accounts.payu.in',
	test: 'https://uat-accounts.payu.in',
};

const SCOPE = 'create_payment_links update_payment_links read_payment_links';

function authBase(credentials: ICredentialDataDecryptedObject): string {
	const env = String(credentials.environment ?? 'test');
	const base = env === 'custom' ? String(credentials.authUrl ?? '') : AUTH_URLS[env];
	return base.replace(/\/+$/, '');
}

/**
 * PayU India. Payment links (OneAPI) use an OAuth client-credentials token, fetched by preAuthentication and
 * cached by n8n in the hidden expirable field; postservice calls are signed with the salt by the adapter.
 */
export class WaCommercePayUApi implements ICredentialType {
	name = 'waCommercePayUApi';

	displayName = 'PayU India API';

	icon: Icon = { light: 'file:icons/payu.svg', dark: 'file:icons/payu.dark.svg' };

	documentationUrl = 'https://docs.payu.in/docs/get-client-id-and-secret-key';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Custom URLs', value: 'custom' },
				{ name: 'Production', value: 'production' },
				{ name: 'Test (UAT)', value: 'test' },
			],
			default: 'test',
		},
		{
			displayName: 'Auth URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8080',
			description: 'Base URL of the OAuth token service (the path /oauth/token is appended)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			description: 'Base URL of the OneAPI payment links service',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Post Service URL',
			name: 'postServiceUrl',
			type: 'string',
			default: '',
			description: 'Full URL of merchant/postservice.php (refunds and payment verification)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Merchant ID',
			name: 'merchantId',
			type: 'string',
			default: '',
			required: true,
			description: 'The MID shown in the PayU dashboard (Settings > My Account)',
		},
		{
			displayName: 'Merchant Key',
			name: 'merchantKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The merchant key (Developers > API keys)',
		},
		{
			displayName: 'Merchant Salt',
			name: 'merchantSaltSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The salt paired with the merchant key, used to sign refund and verification calls',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'OAuth client ID for payment links (Developers > API keys > Client ID)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${authBase(credentials)}/oauth/token`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: String(credentials.clientId ?? ''),
				client_secret: String(credentials.clientSecret ?? ''),
				grant_type: 'client_credentials',
				scope: SCOPE,
			}).toString(),
			json: true,
		})) as { access_token?: string };
		return { accessToken: response.access_token ?? '' };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
				// PayU's docs name this header both ways (merchantId and mid): both are sent.
				merchantId: '={{$credentials.merchantId}}',
				mid: '={{$credentials.merchantId}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.authUrl.replace(/\\/+$/, "") : ($credentials.environment === "production" ? "https://accounts.payu.in" : "https://uat-accounts.payu.in")}}',
			url: '/oauth/token',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: '=client_id={{encodeURIComponent($credentials.clientId)}}&client_secret={{encodeURIComponent($credentials.clientSecret)}}&grant_type=client_credentials&scope=create_payment_links%20update_payment_links%20read_payment_links',
		},
	};
}
