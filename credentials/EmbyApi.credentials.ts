import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import {
	credentialTest,
	ignoreSslIssuesProperty,
	serverUrlProperty,
} from '../nodes/shared/credentialFields';

export class EmbyApi implements ICredentialType {
	name = 'embyApi';

	displayName = 'Emby API';

	icon = {
		light: 'file:../nodes/Emby/emby.svg',
		dark: 'file:../nodes/Emby/emby.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/n8n-nodes-media-server/n8n-nodes-media-server#emby-api';

	properties: INodeProperties[] = [
		serverUrlProperty('Emby', 'http://192.168.1.10:8096'),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A key made in the server dashboard under Advanced → Security → API Keys',
		},
		ignoreSslIssuesProperty,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Emby-Token': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = credentialTest('/System/Info', 'Emby rejected the API key (401)');
}
