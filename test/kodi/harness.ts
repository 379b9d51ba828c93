/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- test harness that runs a real Kodi */
// A real Kodi 20 (Debian's package) for jest, after the recipe in /work/shared/research/kodi.md: a temporary
// HOME, a first start that creates the video database, the sources' content types inserted with sqlite3, a
// second start, then JSON-RPC over HTTP (Basic auth) and notifications over the raw JSON-RPC TCP port.
// Every instance takes its own free ports and its own X display (Xvfb -displayfd), so one Kodi per jest file
// can run at the same time.
import { execFile, spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { createSocket } from 'dgram';
import { EventEmitter } from 'events';
import {
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { connect, createServer, type Socket } from 'net';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';

export interface KodiMovie {
	title: string;
	year: number;
	ids: { tmdb?: string | number; imdb?: string };
	/** The movie's folder under the Movies source; `Title (Year)` (sanitized) when left out. */
	folder?: string;
}

export interface KodiEpisode {
	season: number;
	episode: number;
	title: string;
	ids?: { tvdb?: string | number; tmdb?: string | number; imdb?: string };
}

export interface KodiShow {
	title: string;
	year?: number;
	ids: { tvdb?: string | number; tmdb?: string | number; imdb?: string };
	episodes: KodiEpisode[];
}

export interface KodiLibrary {
	movies?: KodiMovie[];
	shows?: KodiShow[];
}

export interface KodiHarnessOptions {
	username?: string;
	password?: string;
	library: KodiLibrary;
}

/** A JSON-RPC notification as Kodi sends it on the TCP port, e.g. `VideoLibrary.OnUpdate`. */
export interface KodiNotification {
	method: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kodi's notification data differs per method
	params: { sender?: string; data?: any };
}

/** `kodi` is the `kodi --standalone` wrapper script, `kodi.bin` the program it (re)starts. */
export type KodiProcessRole = 'Xvfb' | 'kodi' | 'kodi.bin' | 'watchdog';

export type NotificationListener = (notification: KodiNotification) => void;

/** A JSON-RPC error answer (HTTP 200 with `error`). */
export class KodiRpcError extends Error {
	constructor(
		readonly method: string,
		readonly code: number,
		readonly data: unknown,
		message: string,
	) {
		super(`${method}: JSON-RPC error ${code} ${message}${data ? ` ${JSON.stringify(data)}` : ''}`);
	}
}

/** A non-2xx HTTP answer of the web server (401 for wrong credentials). */
export class KodiHttpError extends Error {
	constructor(
		readonly method: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method}: HTTP ${status} ${body.slice(0, 200)}`);
	}
}

/** Kodi answers within 1–3 s here; the deadline is for slow CI machines. */
const KODI_STARTUP_TIMEOUT_MS = 60_000;
const POLL_MS = 200;
const UNSAFE_FILE_CHARACTERS = /["\\/:*?<>|]/g;

/** True when Kodi and a virtual X server can be started on this machine. */
function onPath(command: string): boolean {
	return (process.env.PATH ?? '')
		.split(delimiter)
		.some((folder) => folder !== '' && existsSync(join(folder, command)));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Escapes text for XML element content and attribute values (quotes, backslashes and emoji need nothing). */
export function xmlEscape(text: string | number): string {
	return String(text)
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** A file or folder name for a title: the characters Windows and shells dislike become `_`. */
export function safeFileName(text: string): string {
	return text.replace(UNSAFE_FILE_CHARACTERS, '_').trim();
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `/proc/<pid>/stat`: state, parent and process group, or undefined when the process is gone. */
function procStat(
	pid: number,
): { state: string; ppid: number; pgrp: number; comm: string } | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	const [state, ppid, pgrp] = text.slice(close + 2).split(' ');
	return { state, ppid: Number(ppid), pgrp: Number(pgrp), comm: text.slice(open + 1, close) };
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
	const stat = procStat(pid);
	return stat !== undefined && stat.state !== 'Z';
}

/** The living processes of a process group. */
function groupMembers(pgid: number): Array<{ pid: number; comm: string }> {
	const members: Array<{ pid: number; comm: string }> = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = procStat(Number(entry));
		if (stat && stat.pgrp === pgid && stat.state !== 'Z')
			members.push({ pid: Number(entry), comm: stat.comm });
	}
	return members;
}

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// already gone
	}
}

/** Polls `condition` every POLL_MS until it holds (true) or `timeoutMs` passes (false). */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() >= deadline) return false;
		await delay(POLL_MS);
	}
	return true;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Resolves true when the child exits (or already has), false after `timeoutMs`. */
function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (hasExited(child)) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			child.off('exit', onExit);
			resolve(false);
		}, timeoutMs);
		const onExit = () => {
			clearTimeout(timer);
			resolve(true);
		};
		child.once('exit', onExit);
	});
}

/** A TCP port nobody listens on right now (on all interfaces, as Kodi's web server binds them). */
function freeTcpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** A free UDP port on 127.0.0.1 for Kodi's EventServer (it would take 9777 otherwise). */
function freeUdpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = createSocket('udp4');
		socket.once('error', reject);
		socket.bind(0, '127.0.0.1', () => {
			const { port } = socket.address();
			socket.close(() => resolve(port));
		});
	});
}

function run(command: string, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message} ${stderr}`));
			else resolve(stdout);
		});
	});
}

/**
 * One connection to Kodi's JSON-RPC TCP port: notifications in, requests out. Kodi writes the JSON objects
 * back to back without a separator (`}{`), so they are split by brace depth (outside of strings).
 */
export class KodiNotificationStream extends EventEmitter {
	/** The last 100 notifications, for failure messages. */
	readonly recent: KodiNotification[] = [];
	private pending = '';
	private depth = 0;
	private inString = false;
	private escaped = false;
	private nextId = 1;
	private readonly requests = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();
	private isClosed = false;

	private constructor(private readonly socket: Socket) {
		super();
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => this.feed(chunk));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			this.isClosed = true;
			for (const request of this.requests.values())
				request.reject(new Error('Kodi closed the JSON-RPC TCP connection'));
			this.requests.clear();
			this.emit('close');
		});
	}

	/** Connects to `127.0.0.1:port`. */
	static open(port: number, timeoutMs = 5000): Promise<KodiNotificationStream> {
		return new Promise((resolve, reject) => {
			const socket = connect({ host: '127.0.0.1', port });
			const timer = setTimeout(() => {
				socket.destroy();
				reject(new Error(`No connection to Kodi's TCP port ${port} within ${timeoutMs} ms`));
			}, timeoutMs);
			socket.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			socket.once('connect', () => {
				clearTimeout(timer);
				resolve(new KodiNotificationStream(socket));
			});
		});
	}

	get closed(): boolean {
		return this.isClosed;
	}

	/** A JSON-RPC request over the TCP connection (no authentication there). */
	request<T = unknown>(method: string, params?: object, timeoutMs = 10_000): Promise<T> {
		if (this.isClosed) return Promise.reject(new Error('The Kodi TCP connection is closed'));
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.requests.delete(id);
				reject(new Error(`${method}: no answer on the TCP port within ${timeoutMs} ms`));
			}, timeoutMs);
			this.requests.set(id, {
				resolve: (value) => {
					clearTimeout(timer);
					resolve(value as T);
				},
				reject: (error) => {
					clearTimeout(timer);
					reject(error);
				},
			});
			this.socket.write(
				JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }),
			);
		});
	}

	/** Calls `listener` for every notification; returns the function that removes it. */
	onNotification(listener: NotificationListener): () => void {
		this.on('notification', listener);
		return () => this.off('notification', listener);
	}

	/** The next notification `method` that `predicate` accepts. Subscribe before you cause it. */
	waitFor(
		method: string,
		predicate: (notification: KodiNotification) => boolean = () => true,
		timeoutMs = 30_000,
	): Promise<KodiNotification> {
		return waitForNotification(this, method, predicate, timeoutMs, () => this.recent);
	}

	/** The notifications from now on, until the connection closes. */
	async *notifications(): AsyncGenerator<KodiNotification> {
		const queue: KodiNotification[] = [];
		let wake: (() => void) | undefined;
		const off = this.onNotification((notification) => {
			queue.push(notification);
			wake?.();
		});
		const onClose = () => wake?.();
		this.on('close', onClose);
		try {
			while (true) {
				const next = queue.shift();
				if (next) {
					yield next;
					continue;
				}
				if (this.isClosed) return;
				await new Promise<void>((resolve) => (wake = resolve));
				wake = undefined;
			}
		} finally {
			off();
			this.off('close', onClose);
		}
	}

	/** Closes the connection; resolves once it is closed. */
	close(): Promise<void> {
		if (this.isClosed) return Promise.resolve();
		return new Promise((resolve) => {
			this.once('close', () => resolve());
			this.socket.end();
			setTimeout(() => this.socket.destroy(), 1000).unref();
		});
	}

	private feed(chunk: string): void {
		const text = this.pending + chunk;
		let start = 0;
		for (let i = this.pending.length; i < text.length; i++) {
			const c = text[i];
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (c === '\\') this.escaped = true;
				else if (c === '"') this.inString = false;
			} else if (c === '"') {
				this.inString = true;
			} else if (c === '{') {
				if (this.depth === 0) start = i;
				this.depth++;
			} else if (c === '}' && this.depth > 0) {
				this.depth--;
				if (this.depth === 0) {
					this.dispatch(text.slice(start, i + 1));
					start = i + 1;
				}
			}
		}
		this.pending = this.depth > 0 ? text.slice(start) : '';
	}

	private dispatch(json: string): void {
		let message: {
			id?: number;
			method?: string;
			params?: KodiNotification['params'];
			result?: unknown;
			error?: { code: number; message: string; data?: unknown };
		};
		try {
			message = JSON.parse(json);
		} catch {
			this.emit('garbage', json);
			return;
		}
		if (message.id !== undefined && message.id !== null) {
			const request = this.requests.get(message.id);
			this.requests.delete(message.id);
			if (!request) return;
			if (message.error)
				request.reject(
					new KodiRpcError('tcp', message.error.code, message.error.data, message.error.message),
				);
			else request.resolve(message.result);
		} else if (message.method) {
			const notification = { method: message.method, params: message.params ?? {} };
			this.recent.push(notification);
			if (this.recent.length > 100) this.recent.shift();
			this.emit('notification', notification);
		}
	}
}

/** A predicate that throws does not match. */
function safely(
	predicate: (notification: KodiNotification) => boolean,
	notification: KodiNotification,
): boolean {
	try {
		return predicate(notification);
	} catch {
		return false;
	}
}

/** Shared by the stream and the harness: resolves with the first matching notification. */
function waitForNotification(
	source: { onNotification(listener: NotificationListener): () => void },
	method: string,
	predicate: (notification: KodiNotification) => boolean,
	timeoutMs: number,
	recent: () => KodiNotification[],
): Promise<KodiNotification> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			off();
			const seen = recent()
				.slice(-15)
				.map((n) => n.method)
				.join(', ');
			reject(
				new Error(
					`No ${method} notification within ${timeoutMs} ms (last seen: ${seen || 'none'})`,
				),
			);
		}, timeoutMs);
		const off = source.onNotification((notification) => {
			if (notification.method !== method || !safely(predicate, notification)) return;
			clearTimeout(timer);
			off();
			resolve(notification);
		});
	});
}

/**
 * A real Kodi for a jest file: `await kodi.start()` in beforeAll, `await kodi.stop()` in afterAll.
 * Set KODI_HARNESS_KEEP=1 to keep the temporary HOME and media folders after stop().
 */
export class RealKodi {
	/** Kodi, Xvfb (the X server xvfb-run would start) and sqlite3 (for the content types) are installed. */
	static available(): boolean {
		return ['kodi', 'Xvfb', 'sqlite3'].every(onPath);
	}

	readonly username: string;
	readonly password: string;
	/** Milliseconds taken by the phases, e.g. `firstStart`, `secondStart`, `start`, `restart`, `stop`, `scan`. */
	readonly timings: Record<string, number> = {};

	private readonly library: KodiLibrary;
	private readonly deviceName = `kodi-harness-${randomBytes(4).toString('hex')}`;
	private readonly notificationHub = new EventEmitter();
	/** The last 200 notifications with the time they arrived (Date.now()). */
	private readonly received: Array<{ at: number; notification: KodiNotification }> = [];
	private base: string | undefined;
	private active = false;
	private webPort = 0;
	private tcpPort = 0;
	private eventServerPort = 0;
	private xvfb: ChildProcess | undefined;
	private display: number | undefined;
	private kodi: ChildProcess | undefined;
	private stream: KodiNotificationStream | undefined;
	private readonly started: Array<{ pid: number; role: KodiProcessRole }> = [];
	private nextId = 1;
	private watchdog: ChildProcess | undefined;
	private readonly onProcessExit = () => {
		this.killSync();
		if (this.base && !process.env.KODI_HARNESS_KEEP)
			rmSync(this.base, { recursive: true, force: true });
	};

	constructor(options: KodiHarnessOptions) {
		this.username = options.username ?? 'kodi';
		this.password = options.password ?? `pass-${randomBytes(6).toString('hex')}`;
		this.library = options.library;
		this.notificationHub.setMaxListeners(0);
	}

	get url(): string {
		return `http://127.0.0.1:${this.webPort}`;
	}

	/** Kodi's JSON-RPC TCP port (notifications; also a WebSocket at ws://127.0.0.1:<port>/jsonrpc). */
	get notificationPort(): number {
		return this.tcpPort;
	}

	get home(): string {
		return join(this.requireBase(), 'home');
	}

	get mediaRoot(): string {
		return join(this.requireBase(), 'media');
	}

	/** The Movies source as Kodi stores it (trailing slash). */
	get moviesPath(): string {
		return `${join(this.mediaRoot, 'Movies')}/`;
	}

	/** The TV source as Kodi stores it (trailing slash). */
	get tvPath(): string {
		return `${join(this.mediaRoot, 'TV')}/`;
	}

	get logPath(): string {
		return join(this.home, '.kodi', 'temp', 'kodi.log');
	}

	get databasePath(): string {
		return join(this.home, '.kodi', 'userdata', 'Database', 'MyVideos121.db');
	}

	/** Every process this harness started (Xvfb, the `kodi` wrapper, kodi.bin, its watchdog), for leak checks. */
	get processes(): Array<{ pid: number; role: KodiProcessRole }> {
		return this.started.map((entry) => ({ ...entry }));
	}

	/** The pids of `processes`. */
	get processIds(): number[] {
		return this.started.map((entry) => entry.pid);
	}

	/** The last `lines` lines of kodi.log (empty when there is none). */
	logTail(lines = 60): string {
		try {
			return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}

	async start(): Promise<void> {
		if (this.active) throw new Error('RealKodi.start: already started');
		const started = Date.now();
		this.base = mkdtempSync(join(tmpdir(), 'kodi-harness-'));
		this.active = true;
		process.on('exit', this.onProcessExit);
		try {
			this.startWatchdog();
			[this.webPort, this.tcpPort, this.eventServerPort] = await Promise.all([
				freeTcpPort(),
				freeTcpPort(),
				freeUdpPort(),
			]);
			this.writeUserdata();
			this.writeLibrary();
			await this.step(this.startXvfb());

			// First start: Kodi creates its databases; the content types go into MyVideos121.db while it is down.
			let phase = Date.now();
			await this.step(this.launchKodi());
			this.timings.firstStart = Date.now() - phase;
			phase = Date.now();
			await this.step(this.stopKodi());
			this.timings.firstStop = Date.now() - phase;
			await this.step(this.insertContentTypes());
			writeFileSync(join(this.home, '.kodi', 'userdata', 'sources.xml'), this.sourcesXml());

			phase = Date.now();
			await this.step(this.launchKodi());
			await this.step(this.openStream());
			this.timings.secondStart = Date.now() - phase;
			this.timings.start = Date.now() - started;
		} catch (error) {
			throw await this.failed('start', error);
		}
	}

	/** Stops Kodi and its X server completely, then starts both again on the same HOME and ports. */
	async restart(): Promise<void> {
		if (!this.active) throw new Error('RealKodi.restart: not started');
		const started = Date.now();
		try {
			await this.step(this.closeStream());
			await this.step(this.stopKodi());
			await this.step(this.stopXvfb());
			await this.step(this.startXvfb());
			await this.step(this.launchKodi());
			await this.step(this.openStream());
			this.timings.restart = Date.now() - started;
		} catch (error) {
			throw await this.failed('restart', error);
		}
	}

	/** Application.Quit, then makes sure the wrapper, kodi.bin and Xvfb are gone; removes the temporary folders. */
	async stop(): Promise<void> {
		if (!this.active && !this.kodi && !this.xvfb && !this.watchdog) return;
		const started = Date.now();
		// A start() still under way (say its beforeAll timed out) sees this and cleans up what it starts next.
		this.active = false;
		try {
			await this.closeStream();
			await this.stopKodi();
			await this.stopXvfb();
		} finally {
			this.killSync();
			await this.stopWatchdog();
			process.off('exit', this.onProcessExit);
			if (this.base && !process.env.KODI_HARNESS_KEEP)
				rmSync(this.base, { recursive: true, force: true });
			this.active = false;
			this.timings.stop = Date.now() - started;
		}
	}

	/** A JSON-RPC call over HTTP with Basic auth; throws KodiHttpError / KodiRpcError. */
	async rpc<T = unknown>(method: string, params?: object, timeoutMs = 30_000): Promise<T> {
		const response = await fetch(`${this.url}/jsonrpc`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`,
			},
			body: JSON.stringify({
				jsonrpc: '2.0',
				id: this.nextId++,
				method,
				...(params ? { params } : {}),
			}),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		if (!response.ok) throw new KodiHttpError(method, response.status, text);
		const body = JSON.parse(text) as {
			result?: T;
			error?: { code: number; message: string; data?: unknown };
		};
		if (body.error)
			throw new KodiRpcError(method, body.error.code, body.error.data, body.error.message);
		return body.result as T;
	}

	/** Calls `listener` for every notification on the harness's TCP connection (it survives restart()). */
	onNotification(listener: NotificationListener): () => void {
		this.notificationHub.on('notification', listener);
		return () => this.notificationHub.off('notification', listener);
	}

	/**
	 * The next notification `method` that `predicate` accepts. Call it before you cause the notification, or pass
	 * `since` (a Date.now() taken before) to also match one that has arrived already: a scan of a few NFO files is
	 * over in well under 100 ms, often before the call that started it has returned.
	 */
	waitForNotification(
		method: string,
		predicate: (notification: KodiNotification) => boolean = () => true,
		timeoutMs = 30_000,
		since?: number,
	): Promise<KodiNotification> {
		if (since !== undefined) {
			const arrived = this.received.find(
				({ at, notification }) =>
					at >= since && notification.method === method && safely(predicate, notification),
			);
			if (arrived) return Promise.resolve(arrived.notification);
		}
		if (!this.stream || this.stream.closed)
			return Promise.reject(new Error('waitForNotification: Kodi is not running'));
		return waitForNotification(this, method, predicate, timeoutMs, () =>
			this.received.map(({ notification }) => notification),
		);
	}

	/** The notifications from now on, on the harness's connection (ends when it closes). */
	notifications(): AsyncGenerator<KodiNotification> {
		if (!this.stream) throw new Error('notifications: Kodi is not running');
		return this.stream.notifications();
	}

	/** A new, independent connection to the TCP port; close it when done. */
	openNotifications(): Promise<KodiNotificationStream> {
		return KodiNotificationStream.open(this.tcpPort);
	}

	/** VideoLibrary.Scan (of everything, or of `directory`), resolved by VideoLibrary.OnScanFinished. */
	async scan(directory?: string, timeoutMs = 60_000): Promise<void> {
		const started = Date.now();
		const finished = this.waitForNotification('VideoLibrary.OnScanFinished', undefined, timeoutMs);
		finished.catch(() => undefined);
		await this.rpc('VideoLibrary.Scan', {
			...(directory ? { directory } : {}),
			showdialogs: false,
		});
		await finished;
		this.timings.scan = Date.now() - started;
	}

	/** Scans both sources and resolves when Kodi reports VideoLibrary.OnScanFinished. */
	scanAll(timeoutMs = 60_000): Promise<void> {
		return this.scan(undefined, timeoutMs);
	}

	/** The folder of a show under the TV source, with a trailing slash (what VideoLibrary.Scan wants). */
	showFolder(show: string | Pick<KodiShow, 'title' | 'year'>): string {
		const { title, year } = this.findShow(show);
		return `${join(this.tvPath, safeFileName(year ? `${title} (${year})` : title))}/`;
	}

	/** The folder of a movie under the Movies source, with a trailing slash. */
	movieFolder(movie: KodiMovie): string {
		return `${join(this.moviesPath, movie.folder ?? safeFileName(`${movie.title} (${movie.year})`))}/`;
	}

	/**
	 * Writes an episode's video file and NFO (after start: the file lands, then something asks Kodi to scan).
	 * A show given as an object that has no folder yet gets its tvshow.nfo. Returns the video file's path.
	 */
	addEpisodeFile(
		show: string | Omit<KodiShow, 'episodes'>,
		season: number,
		episode: number,
		title: string,
		ids: KodiEpisode['ids'] = {},
	): string {
		const known = this.findShow(show);
		const folder = this.showFolder(known);
		if (!existsSync(join(folder, 'tvshow.nfo'))) {
			mkdirSync(folder, { recursive: true });
			writeFileSync(join(folder, 'tvshow.nfo'), this.showNfo({ ...known, ids: known.ids ?? {} }));
		}
		return this.writeEpisode(folder, known.title, { season, episode, title, ids });
	}

	/** Writes a movie's folder, video file and NFO; returns the video file's path. */
	addMovieFile(movie: KodiMovie): string {
		const folder = this.movieFolder(movie);
		mkdirSync(folder, { recursive: true });
		const name = safeFileName(`${movie.title} (${movie.year})`);
		const ids = movie.ids;
		const nfo = [
			'<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>',
			'<movie>',
			`\t<title>${xmlEscape(movie.title)}</title>`,
			`\t<year>${xmlEscape(movie.year)}</year>`,
			...uniqueIds([
				['tmdb', ids.tmdb],
				['imdb', ids.imdb],
			]),
			'</movie>',
			'',
		].join('\n');
		writeFileSync(join(folder, `${name}.nfo`), nfo);
		const file = join(folder, `${name}.mkv`);
		writeFileSync(file, VIDEO_BYTES);
		return file;
	}

	// ---- internals ----

	/** Awaits one step of start()/restart() and fails it when stop() was called meanwhile. */
	private async step<T>(promise: Promise<T>): Promise<T> {
		const result = await promise;
		if (!this.active) throw new Error('stop() was called while Kodi was starting');
		return result;
	}

	/** The temporary folder (HOME and media); its paths stay readable after stop(), for failure messages. */
	private requireBase(): string {
		if (!this.base) throw new Error('RealKodi: not started yet');
		return this.base;
	}

	private findShow(show: string | Pick<KodiShow, 'title' | 'year'>): {
		title: string;
		year?: number;
		ids?: KodiShow['ids'];
	} {
		if (typeof show !== 'string') return show;
		return this.library.shows?.find((candidate) => candidate.title === show) ?? { title: show };
	}

	private writeUserdata(): void {
		const userdata = join(this.home, '.kodi', 'userdata');
		mkdirSync(userdata, { recursive: true });
		mkdirSync(this.mediaRoot, { recursive: true });
		const settings: Array<[string, string | number | boolean]> = [
			['services.webserver', true],
			['services.webserverport', this.webPort],
			['services.webserverauthentication', true],
			['services.webserverusername', this.username],
			['services.webserverpassword', this.password],
			['services.webserverssl', false],
			// "Allow remote control from applications on this system" starts the JSON-RPC TCP server too.
			['services.esenabled', true],
			['services.esport', this.eventServerPort],
			['services.esallinterfaces', false],
			['services.devicename', this.deviceName],
			// Nothing that binds fixed ports or talks to the network: several Kodis run side by side.
			['services.zeroconf', false],
			['services.wsdiscovery', false],
			['services.upnp', false],
			['services.airplay', false],
			['general.addonupdates', 2],
			// The video files are a few bytes: no stream details or thumbnails to extract.
			['myvideos.extractflags', false],
			['myvideos.extractthumb', false],
			['myvideos.extractchapterthumbs', false],
		];
		writeFileSync(
			join(userdata, 'guisettings.xml'),
			[
				'<settings version="2">',
				...settings.map(
					([id, value]) => `\t<setting id="${id}">${xmlEscape(String(value))}</setting>`,
				),
				'</settings>',
				'',
			].join('\n'),
		);
		writeFileSync(join(this.home, '.asoundrc'), 'pcm.!default { type null }\n');
		writeFileSync(
			join(userdata, 'advancedsettings.xml'),
			`<advancedsettings><jsonrpc><tcpport>${this.tcpPort}</tcpport></jsonrpc></advancedsettings>\n`,
		);
	}

	private writeLibrary(): void {
		mkdirSync(this.moviesPath, { recursive: true });
		mkdirSync(this.tvPath, { recursive: true });
		for (const movie of this.library.movies ?? []) this.addMovieFile(movie);
		for (const show of this.library.shows ?? []) {
			const folder = this.showFolder(show);
			mkdirSync(folder, { recursive: true });
			writeFileSync(join(folder, 'tvshow.nfo'), this.showNfo(show));
			for (const episode of show.episodes) this.writeEpisode(folder, show.title, episode);
		}
	}

	private showNfo(show: { title: string; year?: number; ids: KodiShow['ids'] }): string {
		return [
			'<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>',
			'<tvshow>',
			`\t<title>${xmlEscape(show.title)}</title>`,
			...(show.year ? [`\t<year>${xmlEscape(show.year)}</year>`] : []),
			...uniqueIds([
				['tvdb', show.ids.tvdb],
				['tmdb', show.ids.tmdb],
				['imdb', show.ids.imdb],
			]),
			'</tvshow>',
			'',
		].join('\n');
	}

	private writeEpisode(showFolder: string, showTitle: string, episode: KodiEpisode): string {
		const seasonFolder = join(showFolder, `Season ${pad2(episode.season)}`);
		mkdirSync(seasonFolder, { recursive: true });
		const name = safeFileName(`${showTitle} - S${pad2(episode.season)}E${pad2(episode.episode)}`);
		const ids = episode.ids ?? {};
		const nfo = [
			'<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>',
			'<episodedetails>',
			`\t<title>${xmlEscape(episode.title)}</title>`,
			`\t<season>${episode.season}</season>`,
			`\t<episode>${episode.episode}</episode>`,
			...uniqueIds([
				['tvdb', ids.tvdb],
				['tmdb', ids.tmdb],
				['imdb', ids.imdb],
			]),
			'</episodedetails>',
			'',
		].join('\n');
		writeFileSync(join(seasonFolder, `${name}.nfo`), nfo);
		const file = join(seasonFolder, `${name}.mkv`);
		writeFileSync(file, VIDEO_BYTES);
		return file;
	}

	private sourcesXml(): string {
		const source = (name: string, path: string) =>
			`\t\t<source><name>${name}</name><path pathversion="1">${xmlEscape(path)}</path><allowsharing>true</allowsharing></source>`;
		return [
			'<sources>',
			'\t<video>',
			'\t\t<default pathversion="1"></default>',
			source('Movies', this.moviesPath),
			source('TV Shows', this.tvPath),
			'\t</video>',
			'</sources>',
			'',
		].join('\n');
	}

	/** Kodi reads a source's content type from the video database's path table, not from sources.xml. */
	private async insertContentTypes(): Promise<void> {
		if (!existsSync(this.databasePath))
			throw new Error(`The first start did not create ${this.databasePath}`);
		const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
		const row = (path: string, content: string) =>
			`insert into path (strPath, strContent, strScraper, scanRecursive, useFolderNames, strSettings, noUpdate, exclude, allAudio) values (${quote(path)}, '${content}', 'metadata.local', 2147483647, 0, '', 0, 0, 0);`;
		await run('sqlite3', [
			this.databasePath,
			`${row(this.moviesPath, 'movies')} ${row(this.tvPath, 'tvshows')}`,
		]);
	}

	private async startXvfb(): Promise<void> {
		// -displayfd: Xvfb picks a free display itself and writes its number when it accepts connections, so
		// parallel harnesses cannot race for one (xvfb-run -a can).
		const log = openSync(join(this.requireBase(), 'xvfb.log'), 'a');
		let xvfb: ChildProcess;
		try {
			xvfb = spawn(
				'Xvfb',
				['-displayfd', '3', '-screen', '0', '1280x720x24', '-nolisten', 'tcp', '-noreset'],
				{ detached: true, stdio: ['ignore', log, log, 'pipe'] },
			);
		} finally {
			closeSync(log);
		}
		this.xvfb = xvfb;
		this.remember(xvfb.pid, 'Xvfb');
		this.writeGroups();
		const pipe = xvfb.stdio[3] as NodeJS.ReadableStream;
		this.display = await new Promise<number>((resolve, reject) => {
			let text = '';
			const timer = setTimeout(
				() => fail(new Error('Xvfb did not report a display within 15 s')),
				15_000,
			);
			const fail = (error: Error) => {
				clearTimeout(timer);
				xvfb.off('exit', onExit);
				reject(error);
			};
			const onExit = (code: number | null) =>
				fail(new Error(`Xvfb exited with ${code} before it was ready: ${this.xvfbLog()}`));
			xvfb.once('exit', onExit);
			xvfb.once('error', fail);
			pipe.on('data', (chunk: Buffer) => {
				text += chunk.toString();
				if (!text.includes('\n')) return;
				clearTimeout(timer);
				xvfb.off('exit', onExit);
				resolve(Number(text.trim()));
			});
		});
		(pipe as unknown as { destroy(): void }).destroy();
	}

	private xvfbLog(): string {
		try {
			return readFileSync(join(this.requireBase(), 'xvfb.log'), 'utf8').slice(-2000);
		} catch {
			return '';
		}
	}

	/** Starts `kodi --standalone` in its own process group and waits until JSONRPC.Ping answers. */
	private async launchKodi(): Promise<void> {
		const out = openSync(join(this.requireBase(), 'kodi.out'), 'a');
		const env: NodeJS.ProcessEnv = {
			...process.env,
			HOME: this.home,
			DISPLAY: `:${this.display}`,
			// No sound card: ALSA only (no PipeWire/PulseAudio probing), and $HOME/.asoundrc makes its default
			// device a null one. Without a device, Kodi's audio engine retries for ~6 s before the API answers.
			KODI_AE_SINK: 'ALSA',
		};
		delete env.WAYLAND_DISPLAY;
		let kodi: ChildProcess;
		try {
			kodi = spawn('kodi', ['--standalone', '--windowing=x11'], {
				cwd: this.home,
				detached: true,
				env,
				stdio: ['ignore', out, out],
			});
		} finally {
			closeSync(out);
		}
		this.kodi = kodi;
		let spawnError: Error | undefined;
		kodi.on('error', (error) => (spawnError = error));
		this.remember(kodi.pid, 'kodi');
		this.writeGroups();

		const deadline = Date.now() + KODI_STARTUP_TIMEOUT_MS;
		for (;;) {
			if (spawnError) throw new Error(`kodi could not be started: ${spawnError.message}`);
			if (!this.active) throw new Error('stop() was called while Kodi was starting');
			if (hasExited(kodi))
				throw new Error(`kodi exited with ${kodi.exitCode ?? kodi.signalCode} during start-up`);
			try {
				if ((await this.rpc('JSONRPC.Ping', undefined, 2000)) === 'pong') break;
			} catch (error) {
				// 401: the port answers with someone else's credentials (another Kodi took it): no point waiting.
				if (error instanceof KodiHttpError && error.status === 401)
					throw new Error(`Port ${this.webPort} answered 401: not this harness's Kodi`);
			}
			if (Date.now() >= deadline)
				throw new Error(`JSONRPC.Ping did not answer within ${KODI_STARTUP_TIMEOUT_MS} ms`);
			await delay(POLL_MS);
		}
		const name = await this.rpc<{ value: string }>('Settings.GetSettingValue', {
			setting: 'services.devicename',
		});
		if (name.value !== this.deviceName)
			throw new Error(`Port ${this.webPort} is served by another Kodi (${name.value})`);
		for (const member of groupMembers(kodi.pid!))
			if (member.pid !== kodi.pid) this.remember(member.pid, 'kodi.bin');
	}

	/** Connects the harness's own TCP connection and checks that the port is this Kodi's. */
	private async openStream(): Promise<void> {
		const deadline = Date.now() + 15_000;
		let stream: KodiNotificationStream | undefined;
		while (!stream) {
			try {
				stream = await KodiNotificationStream.open(this.tcpPort);
			} catch (error) {
				if (Date.now() >= deadline)
					throw new Error(`No JSON-RPC TCP server on port ${this.tcpPort}: ${error.message}`);
				await delay(POLL_MS);
			}
		}
		const name = await stream.request<{ value: string }>('Settings.GetSettingValue', {
			setting: 'services.devicename',
		});
		if (name.value !== this.deviceName) {
			await stream.close();
			throw new Error(`TCP port ${this.tcpPort} is served by another Kodi (${name.value})`);
		}
		stream.onNotification((notification) => {
			this.received.push({ at: Date.now(), notification });
			if (this.received.length > 200) this.received.shift();
			this.notificationHub.emit('notification', notification);
		});
		this.stream = stream;
	}

	private async closeStream(): Promise<void> {
		const stream = this.stream;
		this.stream = undefined;
		if (stream) await stream.close();
	}

	/**
	 * Application.Quit and the wrapper's exit; when Kodi does not quit, SIGTERM to kodi.bin (the wrapper reaps it
	 * and exits, so nothing is orphaned), then SIGKILL to the whole group. Resolves when the group is empty.
	 */
	private async stopKodi(): Promise<void> {
		const kodi = this.kodi;
		if (!kodi?.pid) return;
		const pgid = kodi.pid;
		if (!hasExited(kodi)) {
			let quitting = false;
			try {
				quitting = (await this.rpc('Application.Quit', undefined, 3000)) === 'OK';
			} catch {
				quitting = false;
			}
			if (!quitting || !(await exited(kodi, 30_000))) {
				for (const member of groupMembers(pgid))
					if (member.pid !== pgid) signal(member.pid, 'SIGTERM');
				if (!(await exited(kodi, 10_000))) signal(-pgid, 'SIGKILL');
			}
			await exited(kodi, 10_000);
		}
		if (!(await until(() => groupMembers(pgid).length === 0, 10_000))) {
			signal(-pgid, 'SIGKILL');
			if (!(await until(() => groupMembers(pgid).length === 0, 5000)))
				throw new Error(`Kodi's processes ${JSON.stringify(groupMembers(pgid))} survived SIGKILL`);
		}
		this.kodi = undefined;
		this.writeGroups();
	}

	private async stopXvfb(): Promise<void> {
		const xvfb = this.xvfb;
		if (!xvfb?.pid) return;
		if (!hasExited(xvfb)) {
			signal(xvfb.pid, 'SIGTERM');
			if (!(await exited(xvfb, 5000))) {
				signal(-xvfb.pid, 'SIGKILL');
				await exited(xvfb, 5000);
			}
		}
		this.xvfb = undefined;
		this.display = undefined;
		this.writeGroups();
	}

	/**
	 * Kodi and Xvfb run in their own process groups, so a jest that dies (Ctrl-C, a killed worker) would leave them
	 * running: a small Node process without children notices that its parent is gone and SIGKILLs the groups
	 * listed in <base>/pgids (and removes the temporary folder).
	 */
	private startWatchdog(): void {
		const script = [
			"const fs = require('fs');",
			'const [parent, base, keep] = process.argv.slice(1);',
			'setInterval(() => {',
			'\tif (process.ppid === Number(parent)) return;',
			"\tconst groups = fs.existsSync(base + '/pgids') ? fs.readFileSync(base + '/pgids', 'utf8').split('\\n') : [];",
			'\tfor (const group of groups.filter(Boolean)) try { process.kill(-Number(group), "SIGKILL"); } catch {}',
			'\tif (!keep) fs.rmSync(base, { recursive: true, force: true });',
			'\tprocess.exit(0);',
			'}, 1000);',
		].join('\n');
		const base = this.requireBase();
		const watchdog = spawn(
			process.execPath,
			['-e', script, String(process.pid), base, process.env.KODI_HARNESS_KEEP ? '1' : ''],
			{ detached: true, stdio: 'ignore' },
		);
		watchdog.on('error', () => undefined);
		watchdog.unref();
		this.watchdog = watchdog;
		this.remember(watchdog.pid, 'watchdog');
	}

	private remember(pid: number | undefined, role: KodiProcessRole): void {
		if (pid && !this.started.some((entry) => entry.pid === pid)) this.started.push({ pid, role });
	}

	/** Records the process groups the watchdog must kill if this process dies. */
	private writeGroups(): void {
		const groups = [this.xvfb, this.kodi].map((child) => child?.pid).filter(Boolean);
		if (this.base && existsSync(this.base))
			writeFileSync(join(this.base, 'pgids'), groups.join('\n'));
	}

	private async stopWatchdog(): Promise<void> {
		const watchdog = this.watchdog;
		this.watchdog = undefined;
		if (!watchdog?.pid || hasExited(watchdog)) return;
		signal(watchdog.pid, 'SIGTERM');
		if (!(await exited(watchdog, 5000))) signal(watchdog.pid, 'SIGKILL');
		await exited(watchdog, 5000);
	}

	/** Last resort (process exit, failed stop): SIGKILL to both process groups. */
	private killSync(): void {
		for (const child of [this.kodi, this.xvfb])
			if (child?.pid && groupMembers(child.pid).length > 0) signal(-child.pid, 'SIGKILL');
	}

	/** Cleans up after a failed start/restart and returns an error with the end of kodi.log. */
	private async failed(phase: string, error: Error): Promise<Error> {
		let log = this.base ? this.logTail(40) : '';
		const where = this.base ? this.logPath : '(no HOME)';
		try {
			await this.stop();
		} catch (stopError) {
			log += `\n(stop failed too: ${stopError.message})`;
		}
		return new Error(
			`RealKodi.${phase} failed: ${error.message}\n--- end of ${where}${process.env.KODI_HARNESS_KEEP ? '' : ' (removed; KODI_HARNESS_KEEP=1 keeps it)'} ---\n${log}`,
		);
	}
}

/** Any bytes do as the video for a library scan. */
const VIDEO_BYTES = Buffer.from('not a real video, enough for a library scan\n');

function uniqueIds(ids: Array<[string, string | number | undefined]>): string[] {
	const present = ids.filter(([, value]) => value !== undefined && value !== '');
	return present.map(
		([type, value], index) =>
			`\t<uniqueid type="${type}"${index === 0 ? ' default="true"' : ''}>${xmlEscape(value!)}</uniqueid>`,
	);
}
