import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { ignoreSslIssuesProperty, serverUrlProperty } from '../nodes/shared/credentialFields';

export class KodiApi implements ICredentialType {
	name = 'kodiApi';

	displayName = 'Kodi API';

	icon = {
		light: 'file:../nodes/Kodi/kodi.svg',
		dark: 'file:../nodes/Kodi/kodi.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/n8n-nodes-media-server/n8n-nodes-media-server#kodi-api';

	properties: INodeProperties[] = [
		{
			...serverUrlProperty('Kodi', 'http://192.168.1.20:8080'),
			description:
				"Kodi's web server as this n8n reaches it (Settings → Services → Control → Allow remote control via HTTP)",
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: 'kodi',
			description: "The web server's user name (Settings → Services → Control)",
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Notification Port',
			name: 'notificationPort',
			type: 'number',
			default: 9090,
			description:
				"The port of Kodi's JSON-RPC notifications, which the Kodi Trigger listens to (9090 unless changed in advancedsettings.xml)",
		},
		ignoreSslIssuesProperty,
	];

	/**
	 * Basic auth, written out rather than as `{{$credentials…}}` expressions: the Kodi Trigger calls Kodi from its
	 * connection, outside any execution, where n8n 2.41 cannot evaluate expressions ("No bridge acquired").
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const pair = `${String(credentials.username ?? '')}:${String(credentials.password ?? '')}`;
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
			},
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: '/jsonrpc',
			method: 'POST',
			body: { jsonrpc: '2.0', id: 1, method: 'JSONRPC.Ping' },
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Kodi rejected the user name or password (401)' },
			},
		],
	};
}
