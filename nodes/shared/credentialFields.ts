import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/** The fields and the test every media-server credential shares. */

export function serverUrlProperty(server: string, example: string): INodeProperties {
	return {
		displayName: 'Server URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: example,
		description: `${server}'s address as this n8n reaches it, with its base path if it has one (https://example.com/${server.toLowerCase()})`,
	};
}

export const ignoreSslIssuesProperty: INodeProperties = {
	displayName: 'Ignore SSL Issues (Insecure)',
	name: 'ignoreSslIssues',
	type: 'boolean',
	default: false,
	description:
		'Whether to connect even if the TLS certificate cannot be verified, e.g. a self-signed one',
};

/** n8n's Test button: an authenticated GET that a wrong key answers with 401. */
export function credentialTest(path: string, rejected: string): ICredentialTestRequest {
	return {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: path,
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
		},
		rules: [{ type: 'responseCode', properties: { value: 401, message: rejected } }],
	};
}
