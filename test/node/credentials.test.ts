import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';
import { JellyfinApi } from '../../credentials/JellyfinApi.credentials';

/** A Jellyfin credential URL through a proxy with Basic auth: the password in it must stay out of errors. */
const credentials: ICredentialDataDecryptedObject = {
	url: 'https://proxyuser:dummy-proxy-secret-01@jellyfin.example/',
	authMethod: 'password',
	username: 'alice',
	password: 'dummy-alice-password-01',
};

/** n8n's httpRequest helper, answering the sign-in with `answer` or failing as axios does with `status`. */
function helper(outcome: { status?: number; answer?: unknown }): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async () => {
				if (outcome.answer !== undefined) return outcome.answer;
				throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8096'), {
					...(outcome.status ? { response: { status: outcome.status } } : {}),
				});
			},
		},
	} as unknown as IHttpRequestHelper;
}

const signIn = async (outcome: { status?: number; answer?: unknown }) =>
	await new JellyfinApi().preAuthentication.call(helper(outcome), credentials);

test.each([
	[
		{ status: 401 },
		'Jellyfin at https://jellyfin.example rejected the user name or password (401)',
	],
	[
		{ status: 500 },
		'Signing in to Jellyfin at https://jellyfin.example/Users/AuthenticateByName failed: HTTP 500',
	],
	[
		{},
		'Signing in to Jellyfin at https://jellyfin.example/Users/AuthenticateByName failed: connect ECONNREFUSED 127.0.0.1:8096',
	],
	[
		{ answer: {} },
		'Jellyfin at https://jellyfin.example/Users/AuthenticateByName answered the sign-in without an access token',
	],
])(
	'a failed sign-in names the server without the user info of its URL (%j)',
	async (outcome, message) => {
		await expect(signIn(outcome)).rejects.toThrow(new Error(message));
	},
);
