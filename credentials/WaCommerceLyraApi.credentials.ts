import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Lyra / PayZen REST V4 (and white labels). Basic auth shopId:password; errors come back with HTTP 200 and
 * status ERROR, so the credential test reads the body.
 */
export class WaCommerceLyraApi implements ICredentialType {
	name = 'waCommerceLyraApi';

	displayName = 'Lyra / PayZen API';

	icon: Icon = { light: 'file:icons/lyra.svg', dark: 'file:icons/lyra.dark.svg' };

	documentationUrl = 'https://docs.lyra.com/en/rest/V4.0/api/get_my_keys.html';

	properties: INodeProperties[] = [
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'options',
			options: [
				{ name: 'Custom (White Label)', value: 'custom' },
				{ name: 'Lyra', value: 'https://api.lyra.com' },
				{ name: 'PayZen', value: 'https://api.payzen.eu' },
			],
			default: 'https://api.lyra.com',
		},
		{
			displayName: 'Custom Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.systempay.fr',
			description: 'REST API server of your white-label brand (Back Office > Settings > Shop > REST API keys)',
			displayOptions: { show: { baseUrl: ['custom'] } },
		},
		{
			displayName: 'Shop ID',
			name: 'shopId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '69876357',
			description: 'The user name shown under Settings > Shop > REST API keys',
		},
		{
			displayName: 'REST API Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The test or production REST password (testpassword_... or prodpassword_...)',
		},
		{
			displayName: 'HMAC-SHA-256 Key',
			name: 'hmacSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Used to verify IPN notifications (same page as the password)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.shopId}}',
				password: '={{$credentials.password}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL:
				'={{($credentials.baseUrl === "custom" ? $credentials.customBaseUrl : $credentials.baseUrl).replace(/\\/+$/, "")}}',
			url: '/api-payment/V4/Charge/SDKTest',
			body: { value: 'n8n' },
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 'ERROR',
					message: 'Lyra refused the credentials (check shop ID, password and base URL)',
				},
			},
		],
	};
}
