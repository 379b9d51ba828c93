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
import { baseUrl, withoutUserInfo } from '../client';

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
	/**
	 * The secrets sent with every request (key, session token, Plex token), which a proxy's or server's error page
	 * may echo. Passwords are not: only a sign-in sends one, and a short one would mangle the message.
	 */
	apiKey?: string;
	accessToken?: string;
	token?: string;
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
	let answer: unknown;
	try {
		answer = await context.helpers.httpRequestWithAuthentication.call(context, api.credentialType, {
			method: request.method,
			url,
			qs: request.qs,
			body: request.body,
			json: true,
			// Jellyfin's spec lists arrays as repeated parameters (`fields=A&fields=B`); n8n's default is `fields[0]=`.
			arrayFormat: 'repeat',
			timeout: REQUEST_TIMEOUT_MS,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
		});
	} catch (error) {
		const failure = serverError(context.getNode(), api, request, url, error, credentials);
		if (request.orElse && failure.httpCode === String(request.orElse.status)) {
			return request.orElse.value as T;
		}
		throw failure;
	}
	// A GET is made to read its answer; n8n's helper hands back a body that does not parse as JSON as text.
	if (request.method === 'GET' && (typeof answer !== 'object' || answer === null)) {
		throw notJsonError(context.getNode(), api, request, url, answer, credentials);
	}
	return answer as T;
}

interface CaughtHttpError {
	httpCode?: string | null;
	code?: string;
	message?: string;
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
	cause?: CaughtHttpError;
}

/** Where n8n's request helpers leave the status, the socket error code and the answer. */
function failureOf(error: unknown): {
	status: number | null;
	code: string | null;
	detail: string;
	retryAfter: string | null;
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
	const retryAfter = chain
		.map((link) => link.response?.headers?.['retry-after'])
		.find((value) => typeof value === 'string');
	return {
		status: status === 0 ? null : status,
		code,
		detail: responseDetail(chain.map((link) => link.response?.data).find((data) => data)),
		retryAfter: retryAfter ?? null,
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

/** Retry-After as a wait ("30 s", "5 min"): delay-seconds or an HTTP date; null when there is none to read. */
function retryWait(retryAfter: string | null): string | null {
	if (retryAfter === null) return null;
	const seconds = /^\s*\d+\s*$/.test(retryAfter)
		? Number(retryAfter)
		: Math.ceil((Date.parse(retryAfter) - Date.now()) / 1000);
	if (Number.isNaN(seconds)) return null;
	const wait = Math.max(0, seconds);
	return wait < 120 ? `${wait} s` : `${Math.round(wait / 60)} min`;
}

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_HAS_EXPIRED',
]);

/** Statuses with which a server, or a proxy in front of it, says it is down or not ready. */
const UNAVAILABLE = new Set([502, 503, 504]);

const RETRY_ON_FAIL = "Retry On Fail in the node's settings tries again";

/** A NodeApiError with our message and description, the server's secrets masked in both. */
function apiError(
	node: INode,
	api: ServerApi,
	where: string,
	text: { message: string; description: string },
	failure: { status: number | null; code: string | null },
	credentials: ServerCredentials,
): NodeApiError {
	const secrets = [credentials.apiKey, credentials.accessToken, credentials.token].filter(
		(secret): secret is string => typeof secret === 'string' && secret !== '',
	);
	const mask = (value: string) =>
		secrets.reduce((masked, secret) => masked.split(secret).join('***'), value);
	const message = mask(text.message);
	const description = mask(text.description);
	const summary: JsonObject = { message, description, server: api.name, request: where };
	if (failure.status !== null) summary.httpCode = String(failure.status);
	// Not "code": NodeApiError would read it as the status and swap our message for a generic one.
	if (failure.code !== null) summary.socketError = failure.code;
	return new NodeApiError(node, summary, {
		message,
		description,
		httpCode: failure.status === null ? undefined : String(failure.status),
	});
}

/** A NodeApiError that names the server, the status and what to check, built from scratch: no request headers. */
export function serverError(
	node: INode,
	api: ServerApi,
	request: ServerRequest,
	url: string,
	error: unknown,
	credentials: ServerCredentials,
): NodeApiError {
	const failure = failureOf(error);
	const { code, detail, message: cause } = failure;
	// n8n's helper fails a 2xx answer only when its body broke off.
	const cutOff = failure.status !== null && failure.status < 300;
	const status = cutOff ? null : failure.status;
	const where = `${request.method} ${withoutUserInfo(url)}`;
	const answered = `${where}${detail ? `: ${detail}` : ''}`;
	const wait = retryWait(failure.retryAfter);
	const askedToWait = wait === null ? '' : ` It asks to wait ${wait} (Retry-After).`;
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
	} else if (status === 429) {
		message = `${api.name} rate-limited this request (429)`;
		description = `${answered}.${askedToWait || ' It did not say how long to wait.'} ${RETRY_ON_FAIL} (at most 5 s apart); for longer waits, send fewer requests or route the error output through a Wait node.`;
	} else if (status === 500) {
		message = `${api.name} had an internal error (HTTP 500)`;
		description = `${answered}. ${api.name}'s log says why.`;
	} else if (status !== null && UNAVAILABLE.has(status)) {
		message = `${api.name} is unavailable (HTTP ${status})`;
		description = `${answered}. ${api.name}, or a proxy in front of it, answers this while the server starts, restarts or is down.${askedToWait} ${RETRY_ON_FAIL}.`;
	} else if (status !== null) {
		message = `${api.name} answered HTTP ${status}`;
		description = `${answered}${askedToWait}`;
	} else if (cutOff) {
		message = `${api.name} closed the connection in the middle of its answer`;
		description = `${where}. The server may be restarting, or a proxy in between cut the answer short. ${RETRY_ON_FAIL}.`;
	} else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		message = `${api.name} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
		description = `${where}. The server may be overloaded (a scan of a large library, a slow disk), or a firewall drops the connection. ${RETRY_ON_FAIL}.`;
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
	return apiError(node, api, where, { message, description }, { status, code }, credentials);
}

/** The answer to a GET that is not a JSON object or array: a login page, another service, a cut-off body. */
function notJsonError(
	node: INode,
	api: ServerApi,
	request: ServerRequest,
	url: string,
	answer: unknown,
	credentials: ServerCredentials,
): NodeApiError {
	const where = `${request.method} ${withoutUserInfo(url)}`;
	const detail = responseDetail(answer);
	const looksCutOff = typeof answer === 'string' && /^\s*[[{]/.test(answer);
	const hint = looksCutOff
		? `The answer looks cut off: a proxy in between or a restarting server may have ended it early. ${RETRY_ON_FAIL}.`
		: `Check that the server URL points at ${api.name} itself, not at a login page or another service in front of it.`;
	return apiError(
		node,
		api,
		where,
		{
			message: `${api.name} answered something that is not JSON`,
			description: `${where}: ${detail || 'an empty answer'}. ${hint}`,
		},
		{ status: null, code: null },
		credentials,
	);
}
