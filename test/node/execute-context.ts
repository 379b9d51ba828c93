/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test helper that sends real HTTP and fails like n8n's helpers */
import { request as httpRequest, type IncomingHttpHeaders } from 'http';
import { request as httpsRequest } from 'https';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';
import { EmbyApi } from '../../credentials/EmbyApi.credentials';
import { JellyfinApi } from '../../credentials/JellyfinApi.credentials';
import { KodiApi } from '../../credentials/KodiApi.credentials';
import { PlexApi } from '../../credentials/PlexApi.credentials';

/**
 * A hand-built IExecuteFunctions whose httpRequestWithAuthentication sends real HTTP to the local fakes: it runs
 * the credential's own preAuthentication and authenticate as n8n 2.41 does (sign in when the expirable token
 * is empty, and once more after a 401), and fails the way n8n's helper fails (an error with `httpCode` whose
 * cause carries the response or the socket error code). The e2e tier runs the same nodes in a real n8n.
 */

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	jellyfinApi: new JellyfinApi(),
	embyApi: new EmbyApi(),
	plexApi: new PlexApi(),
	kodiApi: new KodiApi(),
};

/** What n8n's httpRequest throws: axios's error, with the response or the socket error code. */
export interface AxiosLikeError extends Error {
	code?: string;
	response?: { status: number; data: unknown; headers: IncomingHttpHeaders };
}

/** What httpRequestWithAuthentication throws: a NodeApiError whose cause is that axios error. */
export interface HttpFailure extends Error {
	httpCode?: string;
	cause?: AxiosLikeError;
}

function axiosError(
	message: string,
	fields: Pick<AxiosLikeError, 'code' | 'response'>,
): AxiosLikeError {
	return Object.assign(new Error(message), fields);
}

export interface SentRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
}

/** Sends one request the way n8n's httpRequest does for `json: true`. */
export function sendHttp(options: IHttpRequestOptions, sent?: SentRequest[]): Promise<unknown> {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		// As n8n with `arrayFormat: 'repeat'`: one parameter per array element.
		for (const element of Array.isArray(value) ? value : [value]) {
			if (element !== undefined) url.searchParams.append(key, String(element));
		}
	}
	const headers: Record<string, string> = { accept: 'application/json' };
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = String(value);
	let payload: string | undefined;
	if (options.body !== undefined) {
		payload = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
	}
	const method = options.method ?? 'GET';
	sent?.push({ method, url: url.toString(), headers });
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const outgoing = send(
			url,
			{
				method,
				headers,
				timeout: options.timeout,
				// A connection per request, as n8n's helper builds new agents for each: none outlives a server restart.
				agent: false,
				rejectUnauthorized: options.skipSslCertificateValidation !== true,
			},
			(response) => {
				let text = '';
				const status = response.statusCode ?? 0;
				const { headers } = response;
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				// The connection closed before the whole body arrived: axios fails with the status it had.
				response.on('error', () => undefined);
				response.on('close', () => {
					if (response.complete) return;
					reject(
						axiosError('stream has been aborted', {
							code: 'ERR_BAD_RESPONSE',
							response: { status, data: undefined, headers },
						}),
					);
				});
				response.on('end', () => {
					let data: unknown = text;
					try {
						data = text === '' ? '' : JSON.parse(text);
					} catch {
						// Not JSON (Plex HTML errors, XML): kept as text, as axios does.
					}
					if (status >= 200 && status < 300) return resolve(data);
					reject(
						axiosError(`Request failed with status code ${status}`, {
							response: { status, data, headers },
						}),
					);
				});
			},
		);
		outgoing.on('timeout', () => {
			outgoing.destroy(
				axiosError(`timeout of ${options.timeout}ms exceeded`, { code: 'ECONNABORTED' }),
			);
		});
		outgoing.on('error', (error: NodeJS.ErrnoException) => {
			reject(
				error.code === 'ECONNABORTED' ? error : axiosError(error.message, { code: error.code }),
			);
		});
		outgoing.end(payload);
	});
}

function resolveGeneric(template: string, credentials: ICredentialDataDecryptedObject): string {
	const match = /^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/.exec(template);
	return match ? String(credentials[match[1]] ?? '') : template;
}

async function authenticated(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { authenticate } = type;
	if (typeof authenticate === 'function') return await authenticate(credentials, { ...options });
	if (authenticate?.type === 'generic') {
		const headers = { ...options.headers };
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = resolveGeneric(String(value), credentials);
		}
		// `auth` becomes HTTP Basic auth, as axios sends it for n8n.
		const auth = authenticate.properties.auth as
			| { username?: string; password?: string }
			| undefined;
		if (auth) {
			const user = resolveGeneric(String(auth.username ?? ''), credentials);
			const password = resolveGeneric(String(auth.password ?? ''), credentials);
			headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
		}
		return { ...options, headers };
	}
	return options;
}

export interface ExecuteCall {
	/** The node's description, for parameter defaults. */
	description: INodeTypeDescription;
	items?: IDataObject[];
	/** The same for every item, or one object per item. */
	parameters?: Record<string, unknown> | Array<Record<string, unknown>>;
	/** Credential data by type; mutated like n8n's store when a sign-in refreshes a token. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	credentialId?: string;
	continueOnFail?: boolean;
	/** n8n's On Error setting; either Continue makes continueOnFail() true. */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
}

function defaultsOf(properties: INodeProperties[]): Record<string, unknown> {
	return Object.fromEntries(properties.map((property) => [property.name, property.default]));
}

/** Reads `a.b.c` from the parameters, like n8n's getNodeParameter with a dotted name. */
function dotted(parameters: Record<string, unknown>, name: string): unknown {
	return name
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value !== null && typeof value === 'object'
					? (value as Record<string, unknown>)[key]
					: undefined,
			parameters,
		);
}

export function executeContext(call: ExecuteCall) {
	const defaults = defaultsOf(call.description.properties);
	const items = (call.items ?? [{}]).map((json) => ({ json }));
	const parametersOf = (itemIndex: number) => ({
		...defaults,
		...(Array.isArray(call.parameters) ? call.parameters[itemIndex] : call.parameters),
	});
	const sent: SentRequest[] = [];
	let signIns = 0;

	async function withAuthentication(typeName: string, options: IHttpRequestOptions) {
		const type = CREDENTIAL_TYPES[typeName];
		const credentials = call.credentials[typeName];
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		const signIn = async () => {
			if (!expirable || !type.preAuthentication) return false;
			const helpers = { helpers: { httpRequest: (o: IHttpRequestOptions) => sendHttp(o, sent) } };
			const output = await type.preAuthentication.call(helpers as never, credentials);
			if (output[expirable.name] === undefined) return false;
			signIns += 1;
			Object.assign(credentials, output);
			return true;
		};
		const asNodeApiError = (error: AxiosLikeError): HttpFailure =>
			Object.assign(new Error(error.message), {
				httpCode: error.response ? String(error.response.status) : undefined,
				cause: error,
			});
		try {
			if (expirable && credentials[expirable.name] === '') await signIn();
			return await sendHttp(await authenticated(type, credentials, options), sent);
		} catch (error) {
			if ((error as AxiosLikeError).response?.status !== 401)
				throw asNodeApiError(error as AxiosLikeError);
			try {
				if (!(await signIn())) throw error;
				return await sendHttp(await authenticated(type, credentials, options), sent);
			} catch (retryError) {
				throw asNodeApiError(retryError as AxiosLikeError);
			}
		}
	}

	const node = {
		id: 'node-1',
		name: call.description.defaults.name ?? call.description.displayName,
		type: call.description.name,
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: parametersOf(0),
		credentials: Object.fromEntries(
			Object.keys(call.credentials).map((type) => [
				type,
				{ id: call.credentialId ?? `${type}-1`, name: type },
			]),
		),
		onError: call.onError,
	};
	const context = {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => call.continueOnFail === true || call.onError !== undefined,
		getCredentials: async (type: string) => {
			const credentials = call.credentials[type];
			if (!credentials) throw new Error(`No credentials of type ${type} in this test`);
			return credentials;
		},
		getNodeParameter: (
			name: string,
			itemIndex: number,
			fallback?: unknown,
			options?: { extractValue?: boolean },
		) => {
			const value = dotted(parametersOf(itemIndex), name);
			if (value === undefined) return fallback;
			if (
				options?.extractValue &&
				value !== null &&
				typeof value === 'object' &&
				'value' in value
			) {
				return (value as { value: unknown }).value;
			}
			return value;
		},
		helpers: {
			httpRequestWithAuthentication: withAuthentication,
		},
	};
	return {
		context: context as unknown as IExecuteFunctions & ILoadOptionsFunctions,
		sent,
		signIns: () => signIns,
	};
}
