import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { baseUrl, CLIENT_NAME, CLIENT_VERSION, stableDeviceId } from '../nodes/shared/client';
import {
	credentialTest,
	ignoreSslIssuesProperty,
	serverUrlProperty,
} from '../nodes/shared/credentialFields';

export class PlexApi implements ICredentialType {
	name = 'plexApi';

	displayName = 'Plex API';

	icon = {
		light: 'file:../nodes/Plex/plex.svg',
		dark: 'file:../nodes/Plex/plex.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/n8n-nodes-media-server/n8n-nodes-media-server#plex-api';

	properties: INodeProperties[] = [
		serverUrlProperty('Plex', 'http://192.168.1.10:32400'),
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The server owner's X-Plex-Token: scans need it. Plex shows it under View XML of any item (the X-Plex-Token in the URL).",
		},
		ignoreSslIssuesProperty,
	];

	/** Plex answers XML unless asked for JSON, and expects every client to name itself. */
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			Accept: 'application/json',
			'X-Plex-Token': String(credentials.token ?? ''),
			'X-Plex-Client-Identifier': stableDeviceId(baseUrl(credentials.url)),
			'X-Plex-Product': CLIENT_NAME,
			'X-Plex-Version': CLIENT_VERSION,
		},
	});

	test: ICredentialTestRequest = credentialTest(
		'/library/sections/all',
		'Plex rejected the token (401)',
	);
}
