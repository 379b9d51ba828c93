/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code */
import { join } from 'path';
import { tvLibraryFakes } from '../fakes/tvLibrary';
import {
	ownerEnv,
	pipelineWorkflow,
	restSession,
	Sink,
	startN8nWith,
	type PipelineNode,
	type RunningN8n,
	type SinkDelivery,
} from './harness';

/**
 * Server faults in a real n8n 2.41, on the spec-checked fakes: what a user sees with Continue On Fail, n8n's Retry
 * On Fail recovering from a server that answers 503 and then comes back, and a coalesced Scan Paths batch failing
 * and succeeding as a whole across executions. The messages of every fault are in test/node/serverFaults.test.ts;
 * this file proves that n8n's own request helper, node settings and executions carry them.
 */

const JELLYFIN_KEY = 'dummy-jellyfin-key-e2e-faults-001';
const EMBY_KEY = 'dummy-emby-key-e2e-faults-0000001';
const PLEX_TOKEN = 'dummy-plex-token-e2e-faults';

const { jellyfin, emby, plex } = tvLibraryFakes({
	jellyfinKey: JELLYFIN_KEY,
	embyKey: EMBY_KEY,
	plexToken: PLEX_TOKEN,
});
const sink = new Sink();
let n8n: RunningN8n;

const CREDENTIALS = {
	jellyfin: { jellyfinApi: { id: 'jellyfinKey', name: 'Jellyfin' } },
	emby: { embyApi: { id: 'embyKey', name: 'Emby' } },
	plex: { plexApi: { id: 'plexToken', name: 'Plex' } },
};
type Server = keyof typeof CREDENTIALS;

/** n8n's node settings beside the parameters (Settings tab of the node). */
type SettingsNode = PipelineNode & {
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
};

const webhook = (id: string): PipelineNode => ({
	name: `${id} hook`,
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	webhookId: id,
	parameters: { httpMethod: 'POST', path: `${id}/webhook`, responseMode: 'onReceived' },
});

/** n8n's Webhook node → Refresh All on `server` with these node settings → the sink. */
function refreshAll(id: string, server: Server, settings: Partial<SettingsNode>) {
	const action: SettingsNode = {
		name: id,
		type: `n8n-nodes-media-server.${server}`,
		parameters: { resource: 'library', operation: 'refreshAll', options: { quietPeriod: 0 } },
		credentials: CREDENTIALS[server],
		...settings,
	};
	return pipelineWorkflow(id, sink.url, [webhook(id), action]);
}

/** As refreshAll with "Continue (using error output)": only the error output leads to the sink. */
function refreshAllToErrorOutput(id: string, server: Server) {
	const workflow = refreshAll(id, server, { onError: 'continueErrorOutput' });
	const [toSink] = workflow.connections[id].main;
	return { ...workflow, connections: { ...workflow.connections, [id]: { main: [[], toSink] } } };
}

/**
 * Long enough that five executions started together join one batch on a machine with both cores busy: the batch
 * closes only once none has joined for this long.
 */
const BATCH_QUIET_S = 10;

/**
 * n8n's Webhook node → Jellyfin Scan Paths of the path in the body, batched with a 10 s quiet period → the sink.
 * Built once the sink listens: its URL holds the port.
 */
const scanPaths = () =>
	pipelineWorkflow('batch', sink.url, [
		webhook('batch'),
		{
			name: 'batch',
			type: 'n8n-nodes-media-server.jellyfin',
			parameters: {
				resource: 'library',
				operation: 'scanPaths',
				pathSource: 'defineBelow',
				paths: { path: [{ path: '={{ $json.body.path }}', change: 'created' }] },
				options: { quietPeriod: BATCH_QUIET_S },
			},
			credentials: CREDENTIALS.jellyfin,
		},
	]);

beforeAll(async () => {
	await Promise.all([sink.start(), jellyfin.start(), emby.start(), plex.start()]);
	const credentials = [
		{
			id: 'jellyfinKey',
			name: 'Jellyfin',
			type: 'jellyfinApi',
			data: { url: jellyfin.url, authMethod: 'apiKey', apiKey: JELLYFIN_KEY },
		},
		{ id: 'embyKey', name: 'Emby', type: 'embyApi', data: { url: emby.url, apiKey: EMBY_KEY } },
		{ id: 'plexToken', name: 'Plex', type: 'plexApi', data: { url: plex.url, token: PLEX_TOKEN } },
	];
	const workflows = [
		refreshAll('jellyfinContinue', 'jellyfin', { onError: 'continueRegularOutput' }),
		refreshAll('embyContinue', 'emby', { onError: 'continueRegularOutput' }),
		refreshAll('plexContinue', 'plex', { onError: 'continueRegularOutput' }),
		refreshAllToErrorOutput('embyErrorOutput', 'emby'),
		// The editor allows 2 to 5 tries and 0 to 5000 ms between them (n8n reads 0 as its default, 1000 ms).
		refreshAll('retry', 'jellyfin', { retryOnFail: true, maxTries: 3, waitBetweenTries: 200 }),
		scanPaths(),
	];
	n8n = await startN8nWith({ workflows, credentials, env: ownerEnv() });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([sink.stop(), jellyfin.stop(), emby.stop(), plex.stop()]);
});

beforeEach(() => {
	jellyfin.clear();
	emby.clear();
	plex.clear();
});

async function post(id: string, body: object = {}): Promise<void> {
	const response = await fetch(n8n.webhookUrl(id), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
}

/** Starts the workflow `id` and returns what its server node put out (tests run one at a time). */
async function run(id: string): Promise<SinkDelivery> {
	const before = sink.deliveries.length;
	await post(id);
	return await sink.delivery(before);
}

const SECRETS = [JELLYFIN_KEY, EMBY_KEY, PLEX_TOKEN];

function expectNoSecret(delivery: unknown) {
	for (const secret of SECRETS) expect(JSON.stringify(delivery)).not.toContain(secret);
}

interface Execution {
	id: string;
	status: string;
	/** The error the execution failed with, as n8n stored it. */
	error?: { message: string; description?: string };
}

/** The ids and statuses of a workflow's executions, newest first, over n8n's REST API. */
async function executionsOf(workflowId: string): Promise<Array<{ id: string; status: string }>> {
	const session = await restSession(n8n.baseUrl);
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = (await session.get(`/executions?filter=${filter}&limit=100`)) as {
		results: Array<{ id: string; status: string }>;
	};
	return list.results;
}

/**
 * The `count` executions of the workflow started after the `known` ones, once all have finished; the saved
 * execution data (flatted, as n8n stores it) gives each failed one's error.
 */
async function finishedExecutions(
	workflowId: string,
	known: Array<{ id: string }>,
	count: number,
): Promise<Execution[]> {
	const knownIds = new Set(known.map((each) => each.id));
	const deadline = Date.now() + 90_000;
	let finished: Array<{ id: string; status: string }> = [];
	for (;;) {
		finished = (await executionsOf(workflowId)).filter(
			(each) => !knownIds.has(each.id) && !['new', 'running', 'waiting'].includes(each.status),
		);
		if (finished.length >= count) break;
		if (Date.now() > deadline) {
			throw new Error(`${finished.length} of ${count} executions of ${workflowId} finished`);
		}
		// Polled: a failed execution reaches no node after the failed one, so nothing can tell the test.
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const session = await restSession(n8n.baseUrl);
	const provisioned = JSON.parse(process.env.MEDIA_SERVER_E2E_RUNTIME ?? '{}') as { dir: string };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(join(provisioned.dir, 'node_modules', 'flatted')) as {
		parse(text: string): { resultData: { error?: Execution['error'] } };
	};
	return await Promise.all(
		finished.map(async ({ id, status }) => {
			const { data } = (await session.get(`/executions/${id}`)) as { data: string };
			const { error } = flatted.parse(data).resultData;
			return { id, status, ...(error ? { error } : {}) };
		}),
	);
}

describe('Continue On Fail: the item carries the error, naming the server and the status', () => {
	test('429 with Retry-After: rate-limited, and how long the server asks to wait', async () => {
		jellyfin.failNext({ status: 429, body: 'Too Many Requests', headers: { 'retry-after': '30' } });
		const delivery = await run('jellyfinContinue');
		expect(delivery.event).toEqual({
			error: 'Jellyfin rate-limited this request (429)',
			description: `POST ${jellyfin.url}/Library/Refresh: Too Many Requests. It asks to wait 30 s (Retry-After). Retry On Fail in the node's settings tries again (at most 5 s apart); for longer waits, send fewer requests or route the error output through a Wait node.`,
		});
		expectNoSecret(delivery);
	}, 30_000);

	test("500: an internal error, with the server's reason", async () => {
		emby.failNext({ status: 500, body: 'SQLitePCL.pretty.SQLiteException: database is locked' });
		const delivery = await run('embyContinue');
		expect(delivery.event).toEqual({
			error: 'Emby had an internal error (HTTP 500)',
			description: `POST ${emby.url}/Library/Refresh: SQLitePCL.pretty.SQLiteException: database is locked. Emby's log says why.`,
		});
		expectNoSecret(delivery);
	}, 30_000);

	test('a login page instead of the API: not JSON, and where to look', async () => {
		plex.failNext({
			status: 200,
			body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in</body></html>',
			headers: { 'content-type': 'text/html' },
		});
		const delivery = await run('plexContinue');
		expect(delivery.event).toEqual({
			error: 'Plex answered something that is not JSON',
			description: `GET ${plex.url}/library/sections/all: Sign in Sign in. Check that the server URL points at Plex itself, not at a login page or another service in front of it.`,
		});
		expect(plex.refreshes).toEqual([]);
		expectNoSecret(delivery);
	}, 30_000);

	test('an answer cut short by a dropped connection', async () => {
		plex.failNext({ status: 200, body: { MediaContainer: { size: 0 } }, cutAfterBytes: 10 });
		const delivery = await run('plexContinue');
		expect(delivery.event).toEqual({
			error: 'Plex closed the connection in the middle of its answer',
			description: `GET ${plex.url}/library/sections/all. The server may be restarting, or a proxy in between cut the answer short. Retry On Fail in the node's settings tries again.`,
		});
	}, 30_000);

	test('the server is down: connection refused, through the error output', async () => {
		await emby.setDown(true);
		try {
			const delivery = await run('embyErrorOutput');
			// Only the error output leads to the sink. n8n adds the input item's fields (the webhook's) to an item
			// there, and the description is in details (see items.ts).
			expect(delivery.event).toMatchObject({
				error: 'Could not connect to Emby: connection refused',
				details: `POST ${emby.url}/Library/Refresh. Is Emby running, and is the server URL right as seen from n8n (in Docker, localhost is the n8n container)?`,
			});
			expectNoSecret(delivery);
		} finally {
			await emby.setDown(false);
		}
	}, 30_000);
});

describe('Retry On Fail (3 tries, 200 ms apart)', () => {
	test('Jellyfin answers 503 twice, then is back: the execution succeeds on the third try', async () => {
		jellyfin.failNext({ status: 503, body: 'Jellyfin is starting up', times: 2 });
		const delivery = await run('retry');
		expect(delivery.event).toMatchObject({ server: 'jellyfin', refreshed: 'all' });
		expect(jellyfin.requests.map((request) => `${request.path} ${request.status}`)).toEqual([
			'/Library/Refresh 503',
			'/Library/Refresh 503',
			'/Library/Refresh 204',
		]);
	}, 30_000);

	test('Jellyfin stays down: the execution fails after the last try with connection refused', async () => {
		const known = await executionsOf('retry');
		await jellyfin.setDown(true);
		try {
			await post('retry');
			const [execution] = await finishedExecutions('retry', known, 1);
			expect(execution.status).toBe('error');
			expect(execution.error).toMatchObject({
				message: 'Could not connect to Jellyfin: connection refused',
				description: expect.stringContaining(`POST ${jellyfin.url}/Library/Refresh.`),
			});
			expectNoSecret(execution);
		} finally {
			await jellyfin.setDown(false);
		}
	}, 30_000);
});

describe('a coalesced Scan Paths batch across executions', () => {
	const paths = (season: number) =>
		Array.from(
			{ length: 5 },
			(_, index) => `/data/tv/Show/Season ${season}/S0${season}E0${index + 1}.mkv`,
		);

	test('Jellyfin answers 500: all five executions fail with the same error; nothing was scanned', async () => {
		const known = await executionsOf('batch');
		jellyfin.failNext({ status: 500, body: 'database is locked' });
		await Promise.all(paths(1).map(async (path) => await post('batch', { path })));
		const executions = await finishedExecutions('batch', known, 5);
		expect(executions.map((each) => each.status)).toEqual(Array(5).fill('error'));
		for (const execution of executions) {
			expect(execution.error).toMatchObject({
				message: 'Jellyfin had an internal error (HTTP 500)',
				description: `POST ${jellyfin.url}/Library/Media/Updated: database is locked. Jellyfin's log says why.`,
			});
			expectNoSecret(execution);
		}
		expect(jellyfin.requests.map((request) => request.status)).toEqual([500]);
		expect((jellyfin.requests[0].body as { Updates: unknown[] }).Updates).toHaveLength(5);
		expect(jellyfin.mediaUpdates).toEqual([]);
	}, 120_000);

	test('Jellyfin is back: the next five join one batch and all succeed', async () => {
		const before = sink.deliveries.length;
		const known = await executionsOf('batch');
		await Promise.all(paths(2).map(async (path) => await post('batch', { path })));
		const deliveries = await sink.matching(
			(delivery) => delivery.trigger === 'batch' && sink.deliveries.indexOf(delivery) >= before,
			5,
			90_000,
		);
		for (const delivery of deliveries) {
			expect(delivery.event).toMatchObject({
				server: 'jellyfin',
				requests: 1,
				batch: { items: 5, requests: 1, entries: 5 },
			});
		}
		expect(jellyfin.requests.map((request) => request.status)).toEqual([204]);
		expect(jellyfin.mediaUpdates[0].map((update) => update.Path).sort()).toEqual(paths(2));
		const executions = await finishedExecutions('batch', known, 5);
		expect(executions.map((each) => each.status)).toEqual(Array(5).fill('success'));
	}, 120_000);
});
