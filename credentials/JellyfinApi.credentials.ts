import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';
import {
	baseUrl,
	CLIENT_NAME,
	CLIENT_VERSION,
	stableDeviceId,
	withoutUserInfo,
} from '../nodes/shared/client';

interface JellyfinCredentials {
	url: string;
	authMethod: 'apiKey' | 'password';
	apiKey?: string;
	username?: string;
	password?: string;
	accessToken?: string;
	sessionOwner?: string;
	ignoreSslIssues?: boolean;
}

/** Whose token `accessToken` is: a token signed in for another server or user must not be sent. */
function tokenOwner(credentials: JellyfinCredentials): string {
	return `${baseUrl(credentials.url)}\n${credentials.username ?? ''}`;
}

/**
 * Jellyfin's own header. Jellyfin 12 turns the legacy `X-Emby-Token` / `api_key` forms off by default, so this is
 * the only one sent; without a token it is the client description that `/Users/AuthenticateByName` needs.
 */
function authorizationHeader(credentials: JellyfinCredentials, token?: string): string {
	const deviceId = stableDeviceId(
		baseUrl(credentials.url),
		credentials.authMethod === 'password' ? (credentials.username ?? '') : 'api-key',
	);
	const fields = [
		...(token === undefined ? [] : [`Token="${token}"`]),
		`Client="${CLIENT_NAME}"`,
		`Device="${CLIENT_NAME}"`,
		`DeviceId="${deviceId}"`,
		`Version="${CLIENT_VERSION}"`,
	];
	return `MediaBrowser ${fields.join(', ')}`;
}

function currentToken(credentials: JellyfinCredentials): string {
	if (credentials.authMethod !== 'password') return credentials.apiKey ?? '';
	// A token of another user or server (the credential was edited) is not sent: the server's 401 then makes
	// n8n sign in again.
	return credentials.sessionOwner === tokenOwner(credentials)
		? (credentials.accessToken ?? '')
		: '';
}
import {
	credentialTest,
	ignoreSslIssuesProperty,
	serverUrlProperty,
} from '../nodes/shared/credentialFields';

export class JellyfinApi implements ICredentialType {
	name = 'jellyfinApi';

	displayName = 'Jellyfin API';

	icon = {
		light: 'file:../nodes/Jellyfin/jellyfin.svg',
		dark: 'file:../nodes/Jellyfin/jellyfin.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-media-server/n8n-nodes-media-server#jellyfin-api';

	properties: INodeProperties[] = [
		serverUrlProperty('Jellyfin', 'http://192.168.1.10:8096'),
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'A key made in Dashboard → API Keys; acts as an administrator',
				},
				{
					name: 'User Name and Password',
					value: 'password',
					description:
						'Sign in as a Jellyfin user; n8n keeps the session token and signs in again when Jellyfin rejects it',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['apiKey'] } },
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['password'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Session Owner',
			name: 'sessionOwner',
			type: 'hidden',
			default: '',
		},
		ignoreSslIssuesProperty,
	];

	/** Signs in with user name and password; n8n stores the token and calls this again after a 401. */
	async preAuthentication(
		this: IHttpRequestHelper,
		decrypted: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const credentials = decrypted as unknown as JellyfinCredentials;
		if (credentials.authMethod !== 'password') return {};
		const url = `${baseUrl(credentials.url)}/Users/AuthenticateByName`;
		const shown = withoutUserInfo(url);
		let answer: { AccessToken?: unknown };
		try {
			answer = (await this.helpers.httpRequest({
				method: 'POST',
				url,
				headers: { Authorization: authorizationHeader(credentials) },
				body: { Username: credentials.username ?? '', Pw: credentials.password ?? '' },
				json: true,
				timeout: 30_000,
				skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			})) as { AccessToken?: unknown };
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			throw new Error(
				status === 401
					? `Jellyfin at ${withoutUserInfo(baseUrl(credentials.url))} rejected the user name or password (401)`
					: `Signing in to Jellyfin at ${shown} failed: ${status ? `HTTP ${status}` : (error as Error).message}`,
			);
		}
		if (typeof answer?.AccessToken !== 'string' || answer.AccessToken === '') {
			throw new Error(`Jellyfin at ${shown} answered the sign-in without an access token`);
		}
		return { accessToken: answer.AccessToken, sessionOwner: tokenOwner(credentials) };
	}

	authenticate: IAuthenticate = async (decrypted, requestOptions) => {
		const credentials = decrypted as unknown as JellyfinCredentials;
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: authorizationHeader(credentials, currentToken(credentials)),
			},
		};
	};

	test: ICredentialTestRequest = credentialTest(
		'/System/Info',
		'Jellyfin rejected the API key or the sign-in (401)',
	);
}
