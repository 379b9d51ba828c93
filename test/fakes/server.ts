/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- test fakes: local HTTP(S) servers for the tests, not node code */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import {
	createServer as createHttpServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'http';
import { createServer as createHttpsServer } from 'https';
import type { Socket } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { isFailure, JSON_TYPE, loadSpec, type Spec, type SpecName } from './spec';

/**
 * The generic part of the fake media servers: HTTP(S) listener, base path, JSON bodies, request log, waiting for
 * requests, fault injection, and per request, in this order:
 *   route + spec validation (404 / 405 / 415 / 400) → injected fault → server rules → auth → handler (501 if none).
 */

export interface FakeServerOptions {
	/** Serve HTTPS with a self-signed certificate for 127.0.0.1 (made with the `openssl` command at start). */
	tls?: boolean;
	/** A base URL path such as `/jellyfin`; requests outside it get 404. */
	basePath?: string;
	/** Listen on this port instead of a free one. */
	port?: number;
}

export interface RecordedRequest {
	method: string;
	/** The path without the base path (and, for Emby, without its `/emby` prefix). */
	path: string;
	query: Record<string, string | string[]>;
	headers: IncomingHttpHeaders;
	/** Parsed JSON when the body was JSON, the text otherwise, undefined when there was none. */
	body: unknown;
	rawBody: string;
	/** Date.now() when the request arrived. */
	at: number;
	/** The status we answered (0 while the request is being handled, or when the client gave up before it). */
	status: number;
	/** The request target as received (base path and query included). */
	url: string;
	/** The matched operation, when the path and method are in the spec. */
	operationId?: string;
	/** Why the fake refused the request, when it did (also sent as the `x-fake-reason` header). */
	reason?: string;
}

export interface FakeReply {
	status: number;
	/** A string or Buffer is sent as it is; anything else as JSON. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Why the fake refused the request (recorded, and sent as `x-fake-reason`). */
	reason?: string;
	/** Send only this many bytes of the body, under the whole body's Content-Length, then drop the connection. */
	cutAfterBytes?: number;
}

export interface FakeCall<TAuth> {
	request: RecordedRequest;
	operationId: string;
	/** Path parameters of the matched operation, URL-decoded. */
	params: Record<string, string>;
	/** Whether the spec declares a security requirement for the operation. */
	secured: boolean;
	/** Security scopes the spec lists (Jellyfin: `RequiresElevation`, …; Plex: `admin`, …). */
	scopes: string[];
	/** Who made the call, as decided by `authenticate`. */
	auth?: TAuth;
}

export type FakeHandler<TAuth> = (call: FakeCall<TAuth>) => FakeReply | Promise<FakeReply>;

export interface Fault {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** The answer breaks off after this many bytes of the body: the connection drops mid-answer. */
	cutAfterBytes?: number;
	/** How many of the next (spec-valid) requests get this answer (default 1). */
	times?: number;
}

type Waiter = () => void;

function makeCertificate(): { dir: string; key: string; cert: string; certPath: string } {
	const dir = mkdtempSync(join(tmpdir(), 'media-server-fake-tls-'));
	const keyPath = join(dir, 'key.pem');
	const certPath = join(dir, 'cert.pem');
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'ec',
				'-pkeyopt',
				'ec_paramgen_curve:prime256v1',
				'-nodes',
				'-keyout',
				keyPath,
				'-out',
				certPath,
				'-days',
				'2',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1',
			],
			{ stdio: 'pipe' },
		);
	} catch (error) {
		rmSync(dir, { recursive: true, force: true });
		const { code, stderr } = error as { code?: string; stderr?: Buffer };
		if (code === 'ENOENT') {
			throw new Error(
				'Fake server with tls: true needs the `openssl` command to make its self-signed certificate, and openssl is not on PATH. Install openssl or start the fake without tls.',
			);
		}
		throw new Error(
			`openssl could not make a self-signed certificate: ${stderr?.toString() ?? error}`,
		);
	}
	return {
		dir,
		key: readFileSync(keyPath, 'utf8'),
		cert: readFileSync(certPath, 'utf8'),
		certPath,
	};
}

function normaliseBasePath(basePath: string | undefined): string {
	if (!basePath || basePath === '/') return '';
	return `/${basePath.replace(/^\/+|\/+$/g, '')}`;
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
	const query: Record<string, string | string[]> = {};
	for (const [key, value] of params) {
		const previous = query[key];
		if (previous === undefined) query[key] = value;
		else query[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
	}
	return query;
}

/** A header's single value (the first one when repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** A query parameter's single value, its name matched case-insensitively (as ASP.NET and Plex do). */
export function queryValue(
	query: Record<string, string | string[]>,
	name: string,
): string | undefined {
	const key = Object.keys(query).find(
		(candidate) => candidate.toLowerCase() === name.toLowerCase(),
	);
	const value = key === undefined ? undefined : query[key];
	return Array.isArray(value) ? value[0] : value;
}

export abstract class FakeServer<TAuth = unknown> {
	/** Every request received, in the order answered. */
	readonly requests: RecordedRequest[] = [];

	protected abstract readonly specName: SpecName;
	/** Handlers by operationId; an operation in the spec without a handler answers 501. */
	protected abstract readonly handlers: Record<string, FakeHandler<TAuth>>;
	/** The name used in error messages, e.g. `FakeJellyfin`. */
	protected abstract readonly label: string;

	protected readonly tls: boolean;
	protected readonly basePath: string;
	private spec: Spec | undefined;
	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	private readonly waiters = new Set<Waiter>();
	private faults: Fault[] = [];
	private delays: number[] = [];
	private down = false;
	private tlsDir: string | undefined;
	private requestedPort: number;

	/** The listening port (0 before start). */
	port = 0;
	/** PEM of the self-signed certificate when tls is on (trust it with `ca`, or NODE_EXTRA_CA_CERTS=certificatePath). */
	certificate: string | undefined;
	certificatePath: string | undefined;

	constructor(options: FakeServerOptions = {}) {
		this.tls = options.tls ?? false;
		this.basePath = normaliseBasePath(options.basePath);
		this.requestedPort = options.port ?? 0;
	}

	/** `http(s)://127.0.0.1:<port><basePath>` */
	get url(): string {
		return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}${this.basePath}`;
	}

	/** Loads the spec (once per process), then listens on 127.0.0.1. */
	async start(): Promise<this> {
		if (this.server) throw new Error(`${this.label} is already started`);
		this.spec = await loadSpec(this.specName);
		const listener = (request: IncomingMessage, response: ServerResponse) =>
			void this.receive(request, response);
		if (this.tls) {
			const made = makeCertificate();
			this.tlsDir = made.dir;
			this.certificate = made.cert;
			this.certificatePath = made.certPath;
			this.server = createHttpsServer({ key: made.key, cert: made.cert }, listener);
		} else {
			this.server = createHttpServer(listener);
		}
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await this.listen(this.requestedPort);
		return this;
	}

	/** Closes the listener and every open connection, and fails pending waits. */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server && !this.down) await this.closeListener(server);
		this.down = false;
		if (this.tlsDir) rmSync(this.tlsDir, { recursive: true, force: true });
		this.tlsDir = undefined;
		this.wake();
	}

	/**
	 * `true`: close the listener and drop open connections, so new connections are refused.
	 * `false`: listen again on the same port.
	 */
	async setDown(down: boolean): Promise<void> {
		if (!this.server) throw new Error(`${this.label} is not started`);
		if (down === this.down) return;
		if (down) {
			await this.closeListener(this.server);
			this.down = true;
		} else {
			await this.listen(this.port);
			this.down = false;
		}
	}

	/** The next `times` (default 1) spec-valid requests get this answer instead of the real one. */
	failNext(fault: Fault): void {
		const times = fault.times ?? 1;
		for (let index = 0; index < times; index++) this.faults.push(fault);
	}

	/**
	 * The answer to the next request is sent `ms` later (calls queue up: one delay per request), or never when the
	 * client gives up first.
	 */
	delayNext(ms: number): void {
		this.delays.push(ms);
	}

	/** Forgets the recorded requests and any pending fault or delay. */
	clear(): void {
		this.requests.length = 0;
		this.faults = [];
		this.delays = [];
	}

	/**
	 * Resolves with the matching requests once at least `count` of them have been recorded (already recorded ones
	 * count). Woken by each new request; rejects after `timeoutMs` or when the server stops.
	 */
	waitForRequests(
		predicate: (request: RecordedRequest) => boolean = () => true,
		count = 1,
		timeoutMs = 10000,
	): Promise<RecordedRequest[]> {
		const matching = () => this.requests.filter(predicate);
		return new Promise((resolve, reject) => {
			const check: Waiter = () => {
				const found = matching();
				if (found.length >= count) {
					finish();
					resolve(found);
				} else if (!this.server) {
					finish();
					reject(new Error(`${this.label} stopped while waiting for ${count} request(s)`));
				}
			};
			const timer = setTimeout(() => {
				finish();
				const seen = this.requests.map((r) => `${r.method} ${r.url} → ${r.status}`).join('\n  ');
				reject(
					new Error(
						`${this.label}: ${matching().length} of ${count} matching request(s) within ${timeoutMs} ms; recorded:\n  ${seen || '(none)'}`,
					),
				);
			}, timeoutMs);
			const finish = () => {
				clearTimeout(timer);
				this.waiters.delete(check);
			};
			this.waiters.add(check);
			check();
		});
	}

	/** Checks that come on top of the spec, before auth. Return a reply to refuse the request. */
	protected rules?(call: FakeCall<TAuth>): FakeReply | undefined;

	/** Decides who is calling: return `{ auth }` to go on, or `{ reply }` to refuse (401/403). */
	protected abstract authenticate(call: FakeCall<TAuth>): { auth?: TAuth } | { reply: FakeReply };

	/** Maps the path (base path already removed) to the spec's path; e.g. Emby drops its `/emby` prefix. */
	protected specPath(path: string): string {
		return path;
	}

	/** The answer when the spec has no such path or method, or the request does not conform. */
	protected specFailureReply(
		status: number,
		operationId: string | undefined,
		errors: unknown[],
	): FakeReply {
		const titles: Record<number, string> = {
			400: 'Bad Request: the request does not conform to the OpenAPI spec',
			404: 'Not Found: no such path in the OpenAPI spec',
			405: 'Method Not Allowed by the OpenAPI spec',
			415: 'Unsupported Media Type',
		};
		return {
			status,
			body: { error: titles[status] ?? 'Rejected', operationId, errors },
			reason: `spec ${status}: ${JSON.stringify(errors)}`,
		};
	}

	private async listen(port: number): Promise<void> {
		const server = this.server!;
		await new Promise<void>((resolve, reject) => {
			const failed = (error: Error) => reject(error);
			server.once('error', failed);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', failed);
				resolve();
			});
		});
		this.port = (server.address() as { port: number }).port;
	}

	private async closeListener(server: Server): Promise<void> {
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}

	private wake(): void {
		for (const waiter of [...this.waiters]) waiter();
	}

	private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
		response.on('error', () => undefined);
		try {
			const at = Date.now();
			const chunks: Buffer[] = [];
			for await (const chunk of request) chunks.push(chunk as Buffer);
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const url = request.url ?? '/';
			const parsed = new URL(url, 'http://127.0.0.1');
			const contentType = headerValue(request.headers, 'content-type');
			let body: unknown = rawBody === '' ? undefined : rawBody;
			if (rawBody !== '' && contentType && JSON_TYPE.test(contentType)) {
				try {
					body = JSON.parse(rawBody);
				} catch {
					// left as text: the spec check answers 400 where the operation takes a body
				}
			}
			const recorded: RecordedRequest = {
				method: request.method ?? 'GET',
				path: parsed.pathname,
				query: queryRecord(parsed.searchParams),
				headers: request.headers,
				body,
				rawBody,
				at,
				status: 0,
				url,
			};
			let reply: FakeReply;
			try {
				reply = await this.answer(recorded, contentType);
			} catch (error) {
				reply = {
					status: 500,
					body: { error: `the fake failed: ${(error as Error).stack ?? error}` },
					reason: `fake error: ${(error as Error).message}`,
				};
			}
			const delay = this.delays.shift();
			if (delay) {
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, delay);
					response.once('close', () => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
			if (response.destroyed) {
				// Status stays 0: the answer was never sent.
				recorded.reason = 'the client gave up before the answer';
			} else {
				recorded.status = reply.status;
				if (reply.reason) recorded.reason = reply.reason;
				this.send(response, reply);
			}
			this.requests.push(recorded);
			this.wake();
		} catch {
			// the client went away while sending; nothing to answer
			response.destroy();
		}
	}

	private async answer(
		recorded: RecordedRequest,
		contentType: string | undefined,
	): Promise<FakeReply> {
		let path = recorded.path;
		if (this.basePath) {
			const inside = path === this.basePath || path.startsWith(`${this.basePath}/`);
			if (!inside) {
				return {
					status: 404,
					body: { error: `Not Found: outside the base path ${this.basePath}` },
					reason: `outside the base path ${this.basePath}`,
				};
			}
			path = path.slice(this.basePath.length) || '/';
		}
		path = this.specPath(path);
		recorded.path = path;
		const result = this.spec!.validate({
			method: recorded.method,
			path,
			query: recorded.query,
			headers: recorded.headers,
			body: recorded.body,
			contentType,
		});
		if (isFailure(result)) {
			return this.specFailureReply(result.status, result.operationId, result.errors);
		}
		recorded.operationId = result.operationId;
		const fault = this.faults.shift();
		if (fault) {
			return {
				status: fault.status,
				body: fault.body,
				headers: fault.headers,
				cutAfterBytes: fault.cutAfterBytes,
				reason: 'injected fault',
			};
		}
		const call: FakeCall<TAuth> = {
			request: recorded,
			operationId: result.operationId,
			params: result.params,
			secured: result.secured,
			scopes: result.scopes,
		};
		const refused = this.rules?.(call);
		if (refused) return refused;
		const decided = this.authenticate(call);
		if ('reply' in decided) return decided.reply;
		call.auth = decided.auth;
		const handler = this.handlers[result.operationId];
		if (!handler) {
			const error = `not implemented in the fake: ${result.operationId}`;
			return { status: 501, body: { error }, reason: error };
		}
		return await handler(call);
	}

	private send(response: ServerResponse, reply: FakeReply): void {
		const headers: Record<string, string> = {};
		let payload: Buffer | undefined;
		if (Buffer.isBuffer(reply.body)) payload = reply.body;
		else if (typeof reply.body === 'string') {
			payload = Buffer.from(reply.body, 'utf8');
			headers['content-type'] = 'text/plain; charset=utf-8';
		} else if (reply.body !== undefined) {
			payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
			headers['content-type'] = 'application/json; charset=utf-8';
		}
		for (const [name, value] of Object.entries(reply.headers ?? {})) {
			headers[name.toLowerCase()] = value;
		}
		if (reply.reason) headers['x-fake-reason'] = reply.reason.replace(/[^\x20-\x7e]/g, '?');
		headers['content-length'] = String(payload?.length ?? 0);
		response.writeHead(reply.status, headers);
		if (reply.cutAfterBytes !== undefined && payload) {
			response.write(payload.subarray(0, reply.cutAfterBytes), () => response.destroy());
			return;
		}
		response.end(payload);
	}
}

/** One entry of a `POST /Library/Media/Updated` body (Jellyfin and Emby). */
export interface MediaUpdate {
	Path: string;
	UpdateType?: string;
}

/**
 * The rule the Jellyfin and Emby specs cannot express for `POST /Library/Media/Updated` (they make nothing
 * required): `Updates` is a non-empty array, every entry has a string `Path` (a null Path makes the real server
 * throw → 400) and `UpdateType`, when given, is a string. Returns the problem, or undefined.
 */
export function checkMediaUpdates(body: unknown): string | undefined {
	const updates = (body as { Updates?: unknown } | undefined)?.Updates;
	if (!Array.isArray(updates) || updates.length === 0) {
		return 'Updates must be a non-empty array of { Path, UpdateType }';
	}
	for (const [index, update] of updates.entries()) {
		const { Path, UpdateType } = (update ?? {}) as { Path?: unknown; UpdateType?: unknown };
		if (typeof Path !== 'string')
			return `Updates[${index}].Path must be a string (got ${JSON.stringify(Path)})`;
		if (UpdateType !== undefined && UpdateType !== null && typeof UpdateType !== 'string') {
			return `Updates[${index}].UpdateType must be a string`;
		}
	}
	return undefined;
}
