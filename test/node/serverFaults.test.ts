import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import { Emby } from '../../nodes/Emby/Emby.node';
import { Jellyfin } from '../../nodes/Jellyfin/Jellyfin.node';
import { Plex } from '../../nodes/Plex/Plex.node';
import type { FakeEmby } from '../fakes/emby';
import type { FakeJellyfin } from '../fakes/jellyfin';
import type { FakePlex } from '../fakes/plex';
import { TV_LIBRARY, tvLibraryFakes } from '../fakes/tvLibrary';
import { executeContext, type ExecuteCall } from './execute-context';

// Server faults on the spec-checked fakes: what each one gives as the error, per item and per batch. Jellyfin's
// 401, 403, 404, connection refused and TLS, and Plex's 401, are in actions.test.ts.

const JELLYFIN_KEY = 'dummy-jellyfin-key-faults-0000001';
const EMBY_KEY = 'dummy-emby-key-faults-00000000001';
const PLEX_TOKEN = 'dummy-plex-token-faults-01';

const { jellyfin, emby, plex } = tvLibraryFakes({
	jellyfinKey: JELLYFIN_KEY,
	embyKey: EMBY_KEY,
	plexToken: PLEX_TOKEN,
});

beforeAll(async () => {
	await Promise.all([jellyfin.start(), emby.start(), plex.start()]);
});
afterAll(async () => {
	await Promise.all([jellyfin.stop(), emby.stop(), plex.stop()]);
});
beforeEach(() => {
	jellyfin.clear();
	emby.clear();
	plex.clear();
});

const refreshLibrary = (id: string) => ({
	resource: 'library',
	operation: 'refreshLibrary',
	library: { mode: 'id', value: id },
	options: { quietPeriod: 0 },
});
const scanPath = (path: string | null, quietPeriod: number) => ({
	resource: 'library',
	operation: 'scanPaths',
	pathSource: 'defineBelow',
	paths: { path: path === null ? [] : [{ path, change: 'created' }] },
	options: { quietPeriod },
});

interface ServerCase {
	name: string;
	fake: FakeJellyfin | FakeEmby | FakePlex;
	node: () => INodeType;
	credentials: () => Record<string, ICredentialDataDecryptedObject>;
	secret: string;
	/** An operation whose first request reads JSON (a GET). */
	read: IDataObject;
	/** An operation whose only request writes (a POST). */
	write: IDataObject;
	/** Where the write goes, as the error names it. */
	writeUrl: () => string;
}

const SERVERS: ServerCase[] = [
	{
		name: 'Jellyfin',
		fake: jellyfin,
		node: () => new Jellyfin(),
		credentials: () => ({
			jellyfinApi: {
				url: jellyfin.url,
				authMethod: 'apiKey',
				apiKey: JELLYFIN_KEY,
				accessToken: '',
				sessionOwner: '',
			},
		}),
		secret: JELLYFIN_KEY,
		read: { resource: 'user', operation: 'getMany', returnAll: true },
		write: refreshLibrary(TV_LIBRARY.jellyfin),
		writeUrl: () => `POST ${jellyfin.url}/Items/${TV_LIBRARY.jellyfin}/Refresh`,
	},
	{
		name: 'Emby',
		fake: emby,
		node: () => new Emby(),
		credentials: () => ({ embyApi: { url: emby.url, apiKey: EMBY_KEY } }),
		secret: EMBY_KEY,
		read: { resource: 'user', operation: 'getMany', returnAll: true },
		write: refreshLibrary(TV_LIBRARY.emby),
		writeUrl: () => `POST ${emby.url}/Items/${TV_LIBRARY.emby}/Refresh`,
	},
	{
		name: 'Plex',
		fake: plex,
		node: () => new Plex(),
		credentials: () => ({ plexApi: { url: plex.url, token: PLEX_TOKEN } }),
		secret: PLEX_TOKEN,
		// Refresh All reads the library sections first.
		read: { resource: 'library', operation: 'refreshAll', options: { quietPeriod: 0 } },
		write: refreshLibrary(TV_LIBRARY.plex),
		writeUrl: () => `POST ${plex.url}/library/sections/${TV_LIBRARY.plex}/refresh`,
	},
];

interface Run {
	items: IDataObject[];
	/** The timeout of every request, as the node asked n8n for it. */
	timeouts: Array<number | undefined>;
}

/**
 * Runs the node's execute(). With `cutTimeoutTo`, requests are sent with that timeout instead of the node's own
 * (30 s), so a test can reach the timeout without waiting for it.
 */
async function run(
	server: ServerCase,
	call: Omit<ExecuteCall, 'description' | 'credentials'>,
	cutTimeoutTo?: number,
): Promise<Run> {
	const node = server.node();
	const { context } = executeContext({
		credentials: server.credentials(),
		...call,
		description: node.description,
	});
	const timeouts: Run['timeouts'] = [];
	const send = context.helpers.httpRequestWithAuthentication;
	context.helpers.httpRequestWithAuthentication = async function (
		this: IExecuteFunctions,
		type: string,
		options: IHttpRequestOptions,
	) {
		timeouts.push(options.timeout);
		return await send.call(this, type, { ...options, timeout: cutTimeoutTo ?? options.timeout });
	};
	const [output] = (await node.execute!.call(context)) as INodeExecutionData[][];
	return { items: output.map((item) => item.json), timeouts };
}

/** The error the node fails with; it must not carry the credential's secret anywhere. */
async function failure(
	server: ServerCase,
	call: Omit<ExecuteCall, 'description' | 'credentials'>,
	cutTimeoutTo?: number,
) {
	const error = (await run(server, call, cutTimeoutTo).then(
		() => {
			throw new Error('the node did not fail');
		},
		(caught: unknown) => caught,
	)) as Error & { description?: string; httpCode?: string | null };
	expect(`${error.message} ${error.description} ${JSON.stringify(error)}`).not.toContain(
		server.secret,
	);
	return error;
}

const HTML_PAGE = (title: string) =>
	`<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;

describe.each(SERVERS)('$name: server faults', (server) => {
	const { name, fake } = server;

	test('429 with Retry-After in seconds: rate-limited, and how long to wait', async () => {
		fake.failNext({ status: 429, body: 'Too Many Requests', headers: { 'retry-after': '30' } });
		const error = await failure(server, { parameters: server.write });
		expect(error).toMatchObject({
			message: `${name} rate-limited this request (429)`,
			httpCode: '429',
		});
		expect(error.description).toBe(
			`${server.writeUrl()}: Too Many Requests. It asks to wait 30 s (Retry-After). Retry On Fail in the node's settings tries again (at most 5 s apart); for longer waits, send fewer requests or route the error output through a Wait node.`,
		);
	});

	test('429 with Retry-After as a date, and 429 without one', async () => {
		const inFiveMinutes = new Date(Date.now() + 300_000).toUTCString();
		fake.failNext({ status: 429, headers: { 'retry-after': inFiveMinutes } });
		expect((await failure(server, { parameters: server.write })).description).toContain(
			'It asks to wait 5 min (Retry-After).',
		);
		fake.failNext({ status: 429 });
		expect((await failure(server, { parameters: server.write })).description).toContain(
			'It did not say how long to wait.',
		);
	});

	test('500: an internal error, with what the server said', async () => {
		fake.failNext({
			status: 500,
			body: { title: 'An error occurred while processing your request.', status: 500 },
		});
		const error = await failure(server, { parameters: server.write });
		expect(error).toMatchObject({
			message: `${name} had an internal error (HTTP 500)`,
			httpCode: '500',
			description: `${server.writeUrl()}: {"title":"An error occurred while processing your request.","status":500}. ${name}'s log says why.`,
		});
	});

	test("503 from a proxy: unavailable, the proxy's page as text", async () => {
		fake.failNext({
			status: 503,
			body: HTML_PAGE('503 Service Temporarily Unavailable'),
			headers: { 'content-type': 'text/html' },
		});
		const error = await failure(server, { parameters: server.write });
		expect(error).toMatchObject({
			message: `${name} is unavailable (HTTP 503)`,
			httpCode: '503',
			description: `${server.writeUrl()}: 503 Service Temporarily Unavailable 503 Service Temporarily Unavailable. ${name}, or a proxy in front of it, answers this while the server starts, restarts or is down. Retry On Fail in the node's settings tries again.`,
		});
	});

	test('an answer that echoes the secret: masked in the error', async () => {
		fake.failNext({ status: 502, body: `upstream rejected token ${server.secret} (debug)` });
		const error = await failure(server, { parameters: server.write });
		expect(error.description).toContain(': upstream rejected token *** (debug).');
	});

	test('a login page instead of the API: not JSON, and where to look', async () => {
		fake.failNext({
			status: 200,
			body: HTML_PAGE('Sign in - Authelia'),
			headers: { 'content-type': 'text/html' },
		});
		const error = await failure(server, { parameters: server.read });
		expect(error.message).toBe(`${name} answered something that is not JSON`);
		expect(error.description).toMatch(
			new RegExp(
				`^GET ${fake.url}/\\S+: Sign in - Authelia Sign in - Authelia\\. Check that the server URL points at ${name} itself, not at a login page or another service in front of it\\.$`,
			),
		);
		expect(error.httpCode).toBeFalsy();
	});

	test('JSON cut short within its length, and an empty answer: not JSON', async () => {
		fake.failNext({
			status: 200,
			body: '{"Items":[{"Name":"al',
			headers: { 'content-type': 'application/json' },
		});
		const cut = await failure(server, { parameters: server.read });
		expect(cut.message).toBe(`${name} answered something that is not JSON`);
		expect(cut.description).toContain(
			': {"Items":[{"Name":"al. The answer looks cut off: a proxy in between or a restarting server may have ended it early.',
		);
		fake.failNext({ status: 200 });
		expect((await failure(server, { parameters: server.read })).description).toContain(
			': an empty answer. Check that the server URL',
		);
	});

	test('the connection drops in the middle of the answer', async () => {
		fake.failNext({ status: 200, body: { Items: [], TotalRecordCount: 0 }, cutAfterBytes: 10 });
		const error = await failure(server, { parameters: server.read });
		expect(error.message).toBe(`${name} closed the connection in the middle of its answer`);
		expect(error.description).toContain(
			'The server may be restarting, or a proxy in between cut the answer short.',
		);
		expect(error.httpCode).toBeFalsy();
	});

	test('no answer within the timeout the node sets (30 s, cut short here)', async () => {
		fake.delayNext(60_000);
		const timedOut = run(server, { parameters: server.write }, 200);
		await expect(timedOut).rejects.toMatchObject({
			message: `${name} did not answer within 30 s`,
			description: `${server.writeUrl()}. The server may be overloaded (a scan of a large library, a slow disk), or a firewall drops the connection. Retry On Fail in the node's settings tries again.`,
		});
		// The fake stops waiting when the client gives up: the request was never answered.
		const [request] = await fake.waitForRequests();
		expect(request.status).toBe(0);
		const { timeouts } = await run(server, { parameters: server.write });
		expect(timeouts).toEqual([30_000]);
	});
});

describe('Emby and Plex down, Emby with a wrong key (the others are in actions.test.ts)', () => {
	const [, EMBY, PLEX] = SERVERS;

	test.each([EMBY, PLEX])('$name is down: connection refused, with the URL', async (server) => {
		await server.fake.setDown(true);
		try {
			const error = await failure(server, { parameters: server.write });
			expect(error).toMatchObject({
				message: `Could not connect to ${server.name}: connection refused`,
				description: `${server.writeUrl()}. Is ${server.name} running, and is the server URL right as seen from n8n (in Docker, localhost is the n8n container)?`,
			});
			expect(error.httpCode).toBeFalsy();
		} finally {
			await server.fake.setDown(false);
		}
	});

	test('Emby rejects a wrong API key: 401, the key nowhere in the error', async () => {
		const wrongKey = 'dummy-emby-wrong-key-000000000001';
		const error = await failure(
			{
				...EMBY,
				secret: wrongKey,
				credentials: () => ({ embyApi: { url: emby.url, apiKey: wrongKey } }),
			},
			{ parameters: EMBY.write },
		);
		expect(error).toMatchObject({
			message: 'Emby rejected the credentials (401)',
			httpCode: '401',
			description: `Check the API key or sign-in in the Emby credential (${EMBY.writeUrl()}).`,
		});
		expect(emby.requests.map((request) => request.status)).toEqual([401]);
	});
});

describe('Continue On Fail and batches', () => {
	const [JELLYFIN, , PLEX] = SERVERS;
	const paths = ['/data/tv/A', '/data/tv/B', '/data/tv/C'];

	test('items sent on their own: only the failed one becomes an error item', async () => {
		jellyfin.failNext({ status: 503 });
		const { items } = await run(JELLYFIN, {
			items: [{}, {}, {}],
			parameters: paths.map((path) => scanPath(path, 0)),
			continueOnFail: true,
		});
		const refused = jellyfin.requests.find((request) => request.status === 503);
		const failedPath = (refused?.body as { Updates: Array<{ Path: string }> }).Updates[0].Path;
		items.forEach((item, index) => {
			if (paths[index] === failedPath) {
				expect(item).toEqual({
					error: 'Jellyfin is unavailable (HTTP 503)',
					description: expect.stringContaining('/Library/Media/Updated'),
				});
			} else {
				expect(item).toMatchObject({ server: 'jellyfin', requests: 1 });
			}
		});
		expect(items.filter((item) => 'error' in item)).toHaveLength(1);
		expect(jellyfin.mediaUpdates.map((updates) => updates[0].Path).sort()).toEqual(
			paths.filter((path) => path !== failedPath),
		);
	});

	test('Continue (using error output): the description is in details, as n8n routes by those keys', async () => {
		jellyfin.failNext({ status: 503 });
		const { items } = await run(JELLYFIN, {
			parameters: scanPath('/data/tv/A', 0),
			onError: 'continueErrorOutput',
		});
		expect(items).toEqual([
			{
				error: 'Jellyfin is unavailable (HTTP 503)',
				details: expect.stringContaining('/Library/Media/Updated'),
			},
		]);
	});

	test('a batch fails as a whole: every item gets the same error, none is reported done', async () => {
		jellyfin.failNext({ status: 500, body: 'database is locked' });
		const { items } = await run(JELLYFIN, {
			items: [{}, {}, {}],
			parameters: paths.map((path) => scanPath(path, 0.05)),
			continueOnFail: true,
		});
		const error = {
			error: 'Jellyfin had an internal error (HTTP 500)',
			description: `POST ${jellyfin.url}/Library/Media/Updated: database is locked. Jellyfin's log says why.`,
		};
		expect(items).toEqual([error, error, error]);
		expect(jellyfin.requests.map((request) => request.status)).toEqual([500]);
		expect((jellyfin.requests[0].body as { Updates: unknown[] }).Updates).toHaveLength(3);
		expect(jellyfin.mediaUpdates).toEqual([]);
	});

	test('two executions in one failed batch: each fails with its own copy, naming its own item', async () => {
		jellyfin.failNext({ status: 503 });
		// Execution A's first item has no path, so its second item is the one in the batch.
		const [first, second] = await Promise.allSettled([
			run(JELLYFIN, {
				items: [{}, {}],
				parameters: [scanPath(null, 0.05), scanPath('/data/tv/A', 0.05)],
			}),
			run(JELLYFIN, { items: [{}], parameters: scanPath('/data/tv/B', 0.05) }),
		]);
		const errorOf = (result: PromiseSettledResult<Run>) =>
			(result as PromiseRejectedResult).reason as Error & { context: IDataObject };
		expect([first.status, second.status]).toEqual(['rejected', 'rejected']);
		expect(errorOf(first)).not.toBe(errorOf(second));
		expect([errorOf(first).message, errorOf(second).message]).toEqual([
			'Jellyfin is unavailable (HTTP 503)',
			'Jellyfin is unavailable (HTTP 503)',
		]);
		expect([errorOf(first).context.itemIndex, errorOf(second).context.itemIndex]).toEqual([1, 0]);
		expect(jellyfin.requests).toHaveLength(1);
	});

	test('Plex: the library list fails, so the whole batch does; nothing is scanned', async () => {
		plex.failNext({
			status: 200,
			body: HTML_PAGE('Plex'),
			headers: { 'content-type': 'text/html' },
		});
		const { items } = await run(PLEX, {
			items: [{}, {}],
			parameters: [scanPath('/data/tv/A', 0.05), scanPath('/data/tv/B', 0.05)],
			continueOnFail: true,
		});
		expect(items.map((item) => item.error)).toEqual([
			'Plex answered something that is not JSON',
			'Plex answered something that is not JSON',
		]);
		expect(plex.requests.map((request) => request.path)).toEqual(['/library/sections/all']);
	});
});
