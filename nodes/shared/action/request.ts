import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type INode,
	type ITriggerFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { baseUrl } from '../client';

/** One media server API as the action nodes call it. */
export interface ServerApi {
	/** The server in output items: jellyfin, emby, plex. */
	id: 'jellyfin' | 'emby' | 'plex' | 'kodi';
	/** The name used in messages: Jellyfin, Emby, Plex. */
	name: string;
	credentialType: 'jellyfinApi' | 'embyApi' | 'plexApi' | 'kodiApi';
}

export interface ServerRequest {
	method: IHttpRequestMethods;
	/** Path after the server URL, starting with `/`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** What a 404 means for this call, e.g. `library "12"`. */
	notFound?: string;
	/** An answer with this status is not a failure here: the call returns `value` instead. */
	orElse?: { status: number; value: unknown };
}

type ApiContext = IExecuteFunctions | ILoadOptionsFunctions | ITriggerFunctions;

interface ServerCredentials {
	url: string;
	ignoreSslIssues?: boolean;
}

export const REQUEST_TIMEOUT_MS = 30_000;

/** Sends one request with the node's credential, and turns any failure into a clear, key-free error. */
export async function serverRequest<T>(
	context: ApiContext,
	api: ServerApi,
	request: ServerRequest,
): Promise<T> {
	const credentials = await context.getCredentials<ServerCredentials>(api.credentialType);
	const url = `${baseUrl(credentials.url)}${request.path}`;
	try {
		return (await context.helpers.httpRequestWithAuthentication.call(context, api.credentialType, {
			method: request.method,
			url,
			qs: request.qs,
			body: request.body,
			json: true,
			// Jellyfin's spec lists arrays as repeated parameters (`fields=A&fields=B`); n8n's default is `fields[0]=`.
			arrayFormat: 'repeat',
			timeout: REQUEST_TIMEOUT_MS,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
		})) as T;
	} catch (error) {
		const failure = serverError(context.getNode(), api, request, url, error);
		if (request.orElse && failure.httpCode === String(request.orElse.status)) {
			return request.orElse.value as T;
		}
		throw failure;
	}
}

interface CaughtHttpError {
	httpCode?: string | null;
	code?: string;
	message?: string;
	response?: { status?: number; data?: unknown };
	cause?: CaughtHttpError;
}

/** Where n8n's request helpers leave the status and the socket error code. */
function failureOf(error: unknown): {
	status: number | null;
	code: string | null;
	detail: string;
	message: string | null;
} {
	const caught = (error ?? {}) as CaughtHttpError;
	const chain = [caught, caught.cause ?? {}, caught.cause?.cause ?? {}];
	const responseStatus = chain
		.map((link) => link.response?.status)
		.find((value) => typeof value === 'number');
	const codeStatus = chain
		.map((link) => link.httpCode)
		.find((value) => typeof value === 'string' && /^\d{3}$/.test(value));
	const status = responseStatus ?? (codeStatus ? Number(codeStatus) : null);
	const code = chain.map((link) => link.code).find((value) => typeof value === 'string') ?? null;
	return {
		status: status === 0 ? null : status,
		code,
		detail: responseDetail(chain.map((link) => link.response?.data).find((data) => data)),
		// The innermost message: n8n's helpers and our credentials write them, never with headers in them.
		message: [...chain].reverse().find((link) => typeof link.message === 'string')?.message ?? null,
	};
}

/** A short, single-line excerpt of what the server answered (Plex answers HTML). */
function responseDetail(data: unknown): string {
	if (data === undefined || data === null || data === '') return '';
	const textual = typeof data === 'string' ? data : JSON.stringify(data);
	const plain = textual
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

/** The URL without user info, the one part of a URL that could hold a secret. */
function safeUrl(url: string): string {
	return url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
}

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_HAS_EXPIRED',
]);

/** A NodeApiError that names the server, the status and what to check, built from scratch: no request headers. */
export function serverError(
	node: INode,
	api: ServerApi,
	request: ServerRequest,
	url: string,
	error: unknown,
): NodeApiError {
	const { status, code, detail, message: cause } = failureOf(error);
	const where = `${request.method} ${safeUrl(url)}`;
	let message: string;
	let description: string;
	if (status === 401) {
		message = `${api.name} rejected the credentials (401)`;
		description = `Check the API key or sign-in in the ${api.name} credential (${where}).`;
	} else if (status === 403) {
		message = `${api.name} refused this action (403)`;
		description = `The credential is valid but lacks the rights: library scans and refreshes need an administrator's key or token (${where}).`;
	} else if (status === 404) {
		message = `${api.name} found no ${request.notFound ?? 'such resource'} (404)`;
		description = `Check the ID, and that the server URL includes the base path if ${api.name} has one (${where}).`;
	} else if (status !== null) {
		message = `${api.name} answered HTTP ${status}`;
		description = `${where}${detail ? `: ${detail}` : ''}`;
	} else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		message = `${api.name} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
		description = `${where}. Is the server busy or the URL pointing at the wrong host?`;
	} else if (code === 'ECONNREFUSED') {
		message = `Could not connect to ${api.name}: connection refused`;
		description = `${where}. Is ${api.name} running, and is the server URL right as seen from n8n (in Docker, localhost is the n8n container)?`;
	} else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		message = `Could not find the ${api.name} host`;
		description = `${where}. Check the server URL in the credential.`;
	} else if (code !== null && TLS_CODES.has(code)) {
		message = `${api.name}'s TLS certificate is not trusted (${code})`;
		description = `${where}. For a self-signed certificate, turn on Ignore SSL Issues in the credential.`;
	} else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
		message = `${api.name} closed the connection`;
		description = `${where}. The server may be restarting; try again.`;
	} else {
		message = cause ?? `Request to ${api.name} failed${code ? ` (${code})` : ''}`;
		description = where;
	}
	const summary: JsonObject = { message, description, server: api.name, request: where };
	if (status !== null) summary.httpCode = String(status);
	// Not "code": NodeApiError would read it as the status and swap our message for a generic one.
	if (code !== null) summary.socketError = code;
	return new NodeApiError(node, summary, {
		message,
		description,
		httpCode: status === null ? undefined : String(status),
	});
}
