import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class EmbyApi implements ICredentialType {
	name = 'embyApi';

	displayName = 'Emby API';

	icon = {
		light: 'file:../nodes/Emby/emby.svg',
		dark: 'file:../nodes/Emby/emby.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/n8n-nodes-media-server/n8n-nodes-media-server#emby-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://192.168.1.10:8096',
			description:
				"Emby's address as this n8n reaches it, with its base path if it has one (https://example.com/emby)",
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A key made in Settings → Advanced → API Keys',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the TLS certificate cannot be verified, e.g. a self-signed one',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Emby-Token': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: '/System/Info',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Emby rejected the API key (401)' },
			},
		],
	};
}
