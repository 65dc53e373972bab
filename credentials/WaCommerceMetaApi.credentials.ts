import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Meta WhatsApp Cloud API, as used by the WhatsApp Commerce node and trigger.
 * The token is injected by n8n from here (never by node code), and the base URL can point at a BSP proxy
 * or the local sandbox.
 */
export class WaCommerceMetaApi implements ICredentialType {
	name = 'waCommerceMetaApi';

	displayName = 'WhatsApp Commerce (Meta Cloud) API';

	icon: Icon = { light: 'file:icons/whatsappCommerce.svg', dark: 'file:icons/whatsappCommerce.dark.svg' };

	documentationUrl = 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'EAAG...',
			description:
				'A permanent System User access token with whatsapp_business_messaging and whatsapp_business_management (Business Settings > System users > Generate token)',
		},
		{
			displayName: 'WhatsApp Business Account ID',
			name: 'businessAccountId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '102290129340398',
			description: 'The WABA ID shown in WhatsApp Manager > Account tools, or in the app\'s WhatsApp > API Setup page',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			hint: 'Required for the WhatsApp Commerce Trigger; the WhatsApp Commerce node works without it',
			description:
				'Needed by the WhatsApp Commerce Trigger to verify that webhooks really come from Meta (App settings > Basic > App secret)',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			placeholder: '1234567890123456',
			description:
				'Optional. With an app access token ("APP_ID|APP_SECRET" is derived from App ID and App Secret) the trigger can set the app\'s webhook callback URL itself',
		},
		{
			displayName: 'Graph API Version',
			name: 'apiVersion',
			type: 'options',
			// End dates as Meta publishes them (nodes/shared/meta/graphVersions.ts keeps the same table).
			options: [
				{ name: 'Version 27.0 (Newest)', value: 'v27.0', description: 'Released Nov 4, 2026' },
				{ name: 'Version 26.0', value: 'v26.0', description: 'Released Jul 29, 2026' },
				{ name: 'Version 25.0', value: 'v25.0', description: 'Available until Jul 29, 2028' },
				{ name: 'Version 24.0', value: 'v24.0', description: 'Available until Feb 18, 2028' },
				{ name: 'Version 23.0', value: 'v23.0', description: 'Available until Oct 8, 2027' },
				{ name: 'Version 22.0', value: 'v22.0', description: 'Available until May 20, 2027' },
				{ name: 'Version 21.0', value: 'v21.0', description: 'Available until Jan 21, 2027' },
			],
			default: 'v27.0',
			description:
				'Graph API version used for every call. After a version\'s end date Meta silently answers with the oldest live version, so pick a newer one before then.',
		},
		{
			displayName:
				'Meta stops serving this Graph API version within months (v21.0 on Jan 21, 2027; v22.0 on May 20, 2027; v23.0 on Oct 8, 2027). After that date calls are silently answered by another version: choose v27.0.',
			name: 'versionEndNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { apiVersion: ['v21.0', 'v22.0', 'v23.0'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.facebook.com',
			description: 'Change only for a BSP proxy or the local sandbox',
		},
	];

	/**
	 * A function, not a generic `={{...}}` block: n8n evaluates a generic block with its expression engine on
	 * every request (a fresh expression context each time), which was about a tenth of the CPU of a bulk send
	 * at 1,000 msg/s. A function gives the same header for a fraction of that. The token still goes only into
	 * the Authorization header, added by n8n, never by node code.
	 */
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.apiVersion}}',
			url: '=/{{$credentials.businessAccountId}}/phone_numbers',
			qs: { fields: 'id,display_phone_number,verified_name' },
		},
	};
}
