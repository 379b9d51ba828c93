/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code */
import { FakeEmby } from '../fakes/emby';
import { FakeJellyfin } from '../fakes/jellyfin';
import { FakePlex } from '../fakes/plex';
import { fixtureJson, fixtureText } from '../fixtures/load';
import {
	exampleWithSink,
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
 * The rescan job end to end in a real n8n 2.41: Sonarr's Webhook connection → Sonarr/Radarr Trigger → Jellyfin,
 * Emby or Plex Scan Paths → the spec-checked fake of that server, whose request log is what we assert. The
 * Jellyfin fake speaks HTTPS with a self-signed certificate under the base path /jellyfin, reached through a
 * credential URL with a trailing slash.
 */

const JELLYFIN_KEY = 'dummy-jellyfin-key-e2e-000000001';
const EMBY_KEY = 'dummy-emby-key-e2e-00000000000001';
const PLEX_TOKEN = 'dummy-plex-token-e2e-01';
const SONARR = { user: 'sonarr', password: 'dummy-s0narr-secret' };
const ADMIN = {
	id: 'a1a1a1a1b2b2c3c3d4d4e5e5e5e5e5e5',
	name: 'admin',
	password: 'dummy-admin-pw',
	isAdmin: true,
};

const jellyfin = new FakeJellyfin({
	apiKeys: [JELLYFIN_KEY],
	users: [ADMIN],
	libraries: [
		{
			itemId: '9d7ad6afe9afa2dab1a2f6e00ad28fa6',
			name: 'Shows',
			collectionType: 'tvshows',
			locations: ['/data/tv'],
		},
	],
	tls: true,
	basePath: '/jellyfin',
});
const emby = new FakeEmby({
	apiKeys: [EMBY_KEY],
	libraries: [{ itemId: '3', name: 'TV', collectionType: 'tvshows', locations: ['/data/tv'] }],
});
const plex = new FakePlex({
	tokens: [PLEX_TOKEN],
	sections: [
		{ key: 1, type: 'movie', title: 'Movies', locations: [{ id: 1, path: '/data/movies' }] },
		{ key: 2, type: 'show', title: 'TV Shows', locations: [{ id: 2, path: '/data/tv' }] },
	],
});
const sink = new Sink();
let n8n: RunningN8n;

/** Sonarr's library root → the media server's, for the constructed bodies and for the real capture. */
const MAPPING = {
	rules: [
		{ from: '/tv', to: '/data/tv' },
		{ from: '/volume2/Media/TV Series', to: '/data/tv' },
	],
};

function sonarrToScan(id: string, action: PipelineNode, webhookId = id): object {
	return pipelineWorkflow(id, sink.url, [
		{
			name: `${id} trigger`,
			type: 'n8n-nodes-media-server.servarrTrigger',
			webhookId,
			parameters: { authentication: 'basicAuth', events: [] },
			credentials: { httpBasicAuth: { id: 'sonarrBasic', name: 'Sonarr' } },
		},
		action,
	]);
}

/**
 * The burst workflows' batching: a batch closes once no execution has joined it for 10 s, which leaves room for
 * n8n starting the executions of a burst slowly on a busy machine; Max Wait is out of the way.
 */
const BURST_BATCHING = { quietPeriod: 10, maxWait: 300 };

const scan = (
	name: string,
	type: string,
	credentials: PipelineNode['credentials'],
	extra = {},
) => ({
	name,
	type: `n8n-nodes-media-server.${type}`,
	parameters: {
		resource: 'library',
		operation: 'scanPaths',
		pathMapping: MAPPING,
		options: BURST_BATCHING,
		...extra,
	},
	credentials,
});

/** The shipped example, with the test's Jellyfin credential picked and the sink after its last node. */
const example = () =>
	exampleWithSink('rescan-on-import.json', sink.url, 'Jellyfin Scan Paths', {
		'Jellyfin Scan Paths': { jellyfinApi: { id: 'jellyfinKey', name: 'Jellyfin key' } },
	});

beforeAll(async () => {
	await Promise.all([sink.start(), jellyfin.start(), emby.start(), plex.start()]);
	const credentials = [
		{ id: 'sonarrBasic', name: 'Sonarr', type: 'httpBasicAuth', data: SONARR },
		{
			id: 'jellyfinKey',
			name: 'Jellyfin key',
			type: 'jellyfinApi',
			data: {
				url: `${jellyfin.url}/`,
				authMethod: 'apiKey',
				apiKey: JELLYFIN_KEY,
				ignoreSslIssues: true,
			},
		},
		{
			id: 'jellyfinLogin',
			name: 'Jellyfin sign-in',
			type: 'jellyfinApi',
			data: {
				url: jellyfin.url,
				authMethod: 'password',
				username: ADMIN.name,
				password: ADMIN.password,
				ignoreSslIssues: true,
			},
		},
		{
			id: 'jellyfinWrong',
			name: 'Jellyfin wrong key',
			type: 'jellyfinApi',
			data: {
				url: jellyfin.url,
				authMethod: 'apiKey',
				apiKey: 'dummy-wrong-key-e2e-0000000000',
				ignoreSslIssues: true,
			},
		},
		{ id: 'embyKey', name: 'Emby', type: 'embyApi', data: { url: emby.url, apiKey: EMBY_KEY } },
		{ id: 'plexToken', name: 'Plex', type: 'plexApi', data: { url: plex.url, token: PLEX_TOKEN } },
	];
	const workflows = [
		sonarrToScan(
			'toJellyfin',
			scan('Jellyfin Scan', 'jellyfin', {
				jellyfinApi: { id: 'jellyfinKey', name: 'Jellyfin key' },
			}),
		),
		sonarrToScan('toEmby', scan('Emby Scan', 'emby', { embyApi: { id: 'embyKey', name: 'Emby' } })),
		sonarrToScan(
			'toPlex',
			scan('Plex Scan', 'plex', { plexApi: { id: 'plexToken', name: 'Plex' } }),
		),
		sonarrToScan(
			'signIn',
			scan(
				'Jellyfin Sign-in Scan',
				'jellyfin',
				{ jellyfinApi: { id: 'jellyfinLogin', name: 'Jellyfin sign-in' } },
				{
					options: { quietPeriod: 0 },
				},
			),
		),
		sonarrToScan('wrongKey', {
			...scan(
				'Jellyfin Wrong Key',
				'jellyfin',
				{ jellyfinApi: { id: 'jellyfinWrong', name: 'Jellyfin wrong key' } },
				{
					options: { quietPeriod: 0 },
				},
			),
			onError: 'continueRegularOutput',
		}),
		example(),
	];
	n8n = await startN8nWith({ workflows, credentials, env: ownerEnv() });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([sink.stop(), jellyfin.stop(), emby.stop(), plex.stop()]);
});

const basicAuth = `Basic ${Buffer.from(`${SONARR.user}:${SONARR.password}`).toString('base64')}`;

/** Posts a body the way Sonarr does: pretty JSON, application/json, Basic auth, its User-Agent. */
async function postSonarr(webhookId: string, body: string) {
	const response = await fetch(n8n.webhookUrl(webhookId), {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			authorization: basicAuth,
			'user-agent': 'Sonarr/4.0.19.2979 (ubuntu 22.04)',
		},
		body,
	});
	return { status: response.status, answer: (await response.json()) as Record<string, unknown> };
}

const from = (node: string) => (delivery: SinkDelivery) => delivery.trigger === node;

/**
 * Constructed from the real capture `sonarr-download-v4.0-2024-02.json` (Sonarr 4.0.0–4.0.3, whose
 * `episodeFile.path` is the download path): episode number and file name varied, nothing else.
 */
function seasonPack(count: number, season = 2): string[] {
	const real = fixtureJson<{
		episodes: Array<Record<string, unknown>>;
		episodeFile: Record<string, unknown>;
	}>('servarr', 'sonarr-download-v4.0-2024-02.json');
	return Array.from({ length: count }, (_, index) => {
		const episode = `S${String(season).padStart(2, '0')}E${String(index + 1).padStart(2, '0')}`;
		const body = structuredClone(real);
		body.episodes[0].episodeNumber = index + 1;
		body.episodes[0].seasonNumber = season;
		body.episodeFile.relativePath = `Season ${season}/Avatar - The Last Airbender (2005) ${episode}.mkv`;
		return JSON.stringify(body, null, 2);
	});
}

const libraryPath = (season: number, episode: number) =>
	`/data/tv/Avatar - The Last Airbender/Season ${season}/Avatar - The Last Airbender (2005) S${String(season).padStart(2, '0')}E${String(episode).padStart(2, '0')}.mkv`;

const sortByPath = <T extends { Path: string }>(updates: T[]) =>
	[...updates].sort((a, b) => a.Path.localeCompare(b.Path));

/** Sends the bodies 50 ms apart, as a season pack import does; all must be accepted. */
async function burst(webhookId: string, bodies: string[]): Promise<void> {
	const answers = await Promise.all(
		bodies.map(async (body, index) => {
			await new Promise((resolve) => setTimeout(resolve, index * 50));
			return await postSonarr(webhookId, body);
		}),
	);
	expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 200));
}

/** A burst's executions end a quiet period after the last one joined, however slowly n8n started them. */
const BURST_DELIVERIES_MS = 180_000;

describe('Sonarr → Sonarr/Radarr Trigger → Scan Paths', () => {
	test('one Download (an upgrade) → Jellyfin gets the new file and the replaced one, mapped', async () => {
		const body = fixtureText('servarr', 'sonarr-download-upgrade-constructed-v4.0.19.json');
		expect(await postSonarr('toJellyfin', body)).toEqual({
			status: 200,
			answer: { message: 'Workflow was started', event: 'upgrade' },
		});
		const [delivery] = await sink.matching(from('Jellyfin Scan'), 1);
		expect(jellyfin.mediaUpdates).toEqual([
			[
				{
					Path: '/data/tv/Severance/Season 02/Severance - S02E03 - Who Is Alive [WEBDL-2160p].mkv',
					UpdateType: 'Created',
				},
				{
					Path: '/data/tv/Severance/Season 02/Severance - S02E03 - Who Is Alive [WEBDL-1080p].mkv',
					UpdateType: 'Deleted',
				},
			],
		]);
		expect(delivery.event).toMatchObject({
			server: 'jellyfin',
			requests: 1,
			batch: { items: 1, requests: 1, entries: 2, quietPeriodMs: 10_000, maxWaitMs: 300_000 },
		});
		expect((delivery.event.paths as Array<{ rule: string }>)[0].rule).toBe('/tv → /data/tv');
		const [request] = jellyfin.requests;
		expect(request.url).toBe('/jellyfin/Library/Media/Updated');
		expect(request.headers.authorization).toMatch(/^MediaBrowser Token="dummy-jellyfin-key-e2e/);
	}, 60_000);

	test('a burst of 40 imports → one Jellyfin request with 40 mapped paths, 40 executions', async () => {
		jellyfin.clear();
		const before = sink.deliveries.length;
		await burst('toJellyfin', seasonPack(40));
		const deliveries = await sink.matching(
			(delivery) => from('Jellyfin Scan')(delivery) && sink.deliveries.indexOf(delivery) >= before,
			40,
			BURST_DELIVERIES_MS,
		);
		expect(jellyfin.requests.map((request) => request.path)).toEqual(['/Library/Media/Updated']);
		// Executions run concurrently, so the order of the paths in the batch is the order they joined it.
		expect(sortByPath(jellyfin.mediaUpdates[0])).toEqual(
			Array.from({ length: 40 }, (_, index) => ({
				Path: libraryPath(2, index + 1),
				UpdateType: 'Created',
			})),
		);
		for (const delivery of deliveries) {
			expect(delivery.event).toMatchObject({
				requests: 1,
				batch: { items: 40, requests: 1, entries: 40 },
			});
		}
		expect(new Set(deliveries.map((delivery) => delivery.executionId)).size).toBe(40);
	}, 240_000);

	test('the same burst → one Emby request with 40 mapped paths', async () => {
		await burst('toEmby', seasonPack(40));
		const deliveries = await sink.matching(from('Emby Scan'), 40, BURST_DELIVERIES_MS);
		expect(emby.mediaUpdates).toHaveLength(1);
		expect(sortByPath(emby.mediaUpdates[0]).map((update) => update.Path)).toEqual(
			Array.from({ length: 40 }, (_, index) => libraryPath(2, index + 1)),
		);
		expect(emby.requests[0].headers['x-emby-token']).toBe(EMBY_KEY);
		expect(
			deliveries.every((delivery) => (delivery.event.batch as { items: number }).items === 40),
		).toBe(true);
	}, 240_000);

	test('a burst across two season folders → Plex gets one partial scan per folder', async () => {
		await burst('toPlex', [...seasonPack(20, 1), ...seasonPack(20, 2)]);
		const deliveries = await sink.matching(from('Plex Scan'), 40, BURST_DELIVERIES_MS);
		expect(plex.refreshes).toEqual([
			{ sectionId: '2', path: '/data/tv/Avatar - The Last Airbender/Season 1', force: false },
			{ sectionId: '2', path: '/data/tv/Avatar - The Last Airbender/Season 2', force: false },
		]);
		expect(
			plex.requests.filter((request) => request.path === '/library/sections/all'),
		).toHaveLength(1);
		expect(deliveries[0].event).toMatchObject({ batch: { items: 40, requests: 2, entries: 2 } });
	}, 240_000);

	test('the Test button reaches the workflow but no server', async () => {
		jellyfin.clear();
		const test = fixtureText('servarr', 'sonarr-test-constructed-v4.0.19.json');
		expect((await postSonarr('toJellyfin', test)).answer).toEqual({
			message: 'Workflow was started',
			event: 'test',
		});
		const deliveries = await sink.matching(
			(delivery) => from('Jellyfin Scan')(delivery) && delivery.event.skipped !== undefined,
			1,
		);
		expect(deliveries[0].event).toEqual({
			server: 'jellyfin',
			paths: [],
			requests: 0,
			batch: null,
			skipped: 'no changed paths',
		});
		expect(jellyfin.requests).toEqual([]);
	}, 60_000);

	test('without the Basic auth Sonarr sends: 401, and nothing runs', async () => {
		const response = await fetch(n8n.webhookUrl('toJellyfin'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: fixtureText('servarr', 'sonarr-download-v4.0-2024-02.json'),
		});
		expect(response.status).toBe(401);
	});
});

describe('the example workflow examples/rescan-on-import.json', () => {
	test('a Radarr upgrade → Jellyfin rescans the new and the replaced file under /data/movies', async () => {
		jellyfin.clear();
		const response = await fetch(n8n.webhookUrl('sonarr-radarr-example'), {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'user-agent': 'Radarr/5.28.0.10205 (alpine 3.20.3)',
			},
			body: fixtureText('servarr', 'radarr-download-upgrade-constructed-v5.28.json'),
		});
		expect(response.status).toBe(200);
		const [delivery] = await sink.matching(from('Jellyfin Scan Paths'), 1);
		expect(delivery.event).toMatchObject({ server: 'jellyfin', requests: 1 });
		expect(jellyfin.mediaUpdates).toEqual([
			[
				{
					Path: '/data/movies/Dune Part Two (2024)/Dune Part Two (2024) [Remux-2160p].mkv',
					UpdateType: 'Created',
				},
				{
					Path: '/data/movies/Dune Part Two (2024)/Dune Part Two (2024) [WEBDL-1080p].mkv',
					UpdateType: 'Deleted',
				},
			],
		]);
	}, 60_000);

	test('a Grab is not among its events: answered, nothing runs', async () => {
		const response = await fetch(n8n.webhookUrl('sonarr-radarr-example'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: fixtureText('servarr', 'radarr-grab-v5-2024.json'),
		});
		expect(await response.json()).toEqual({
			message: 'Event ignored',
			reason: 'event "grab" (Grab) is not selected in Events',
		});
	});
});

describe('Jellyfin sign-in with user name and password', () => {
	test('n8n signs in once, keeps the token, and signs in again after Jellyfin drops it', async () => {
		jellyfin.clear();
		const [first] = seasonPack(1);
		await postSonarr('signIn', first);
		await sink.matching(from('Jellyfin Sign-in Scan'), 1);
		expect(jellyfin.logins).toBe(1);
		await postSonarr('signIn', first);
		await sink.matching(from('Jellyfin Sign-in Scan'), 2);
		expect(jellyfin.logins).toBe(1);

		jellyfin.revokeAllSessions();
		await postSonarr('signIn', first);
		const third = (await sink.matching(from('Jellyfin Sign-in Scan'), 3))[2];
		expect(third.event).toMatchObject({ requests: 1 });
		expect(jellyfin.logins).toBe(2);
		expect(jellyfin.requests.map((request) => `${request.path} ${request.status}`)).toEqual([
			'/Users/AuthenticateByName 200',
			'/Library/Media/Updated 204',
			'/Library/Media/Updated 204',
			'/Library/Media/Updated 401',
			'/Users/AuthenticateByName 200',
			'/Library/Media/Updated 204',
		]);
	}, 60_000);
});

describe('errors', () => {
	test('a rejected key fails the item with the server and status, never the key', async () => {
		await postSonarr('wrongKey', seasonPack(1)[0]);
		const [delivery] = await sink.matching(from('Jellyfin Wrong Key'), 1);
		expect(delivery.event).toEqual({
			error: 'Jellyfin rejected the credentials (401)',
			description: `Check the API key or sign-in in the Jellyfin credential (POST ${jellyfin.url}/Library/Media/Updated).`,
		});
		expect(JSON.stringify(delivery)).not.toContain('dummy-wrong-key');
	}, 60_000);
});

describe('credential tests in the editor', () => {
	const check = async (type: string, id: string, data: Record<string, unknown>) => {
		const session = await restSession(n8n.baseUrl);
		return await session.post('/credentials/test', { credentials: { id, name: id, type, data } });
	};

	test('each credential proves its key against the server', async () => {
		expect(
			await check('jellyfinApi', 'jellyfinKey', {
				url: `${jellyfin.url}/`,
				authMethod: 'apiKey',
				apiKey: JELLYFIN_KEY,
				ignoreSslIssues: true,
			}),
		).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(
			await check('jellyfinApi', 'jellyfinLogin', {
				url: jellyfin.url,
				authMethod: 'password',
				username: ADMIN.name,
				password: ADMIN.password,
				ignoreSslIssues: true,
			}),
		).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await check('embyApi', 'embyKey', { url: emby.url, apiKey: EMBY_KEY })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(await check('plexApi', 'plexToken', { url: plex.url, token: PLEX_TOKEN })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	}, 60_000);

	test('a wrong key, token or password fails the test with the reason', async () => {
		expect(
			await check('jellyfinApi', 'jellyfinWrong', {
				url: jellyfin.url,
				authMethod: 'apiKey',
				apiKey: 'dummy-wrong-key-e2e-0000000000',
				ignoreSslIssues: true,
			}),
		).toEqual({ status: 'Error', message: 'Jellyfin rejected the API key or the sign-in (401)' });
		expect(await check('embyApi', 'embyKey', { url: emby.url, apiKey: 'dummy-nope' })).toEqual({
			status: 'Error',
			message: 'Emby rejected the API key (401)',
		});
		expect(await check('plexApi', 'plexToken', { url: plex.url, token: 'dummy-nope' })).toEqual({
			status: 'Error',
			message: 'Plex rejected the token (401)',
		});
		expect(
			await check('jellyfinApi', 'jellyfinLogin', {
				url: jellyfin.url,
				authMethod: 'password',
				username: ADMIN.name,
				password: 'dummy-wrong-password',
				ignoreSslIssues: true,
			}),
		).toMatchObject({
			status: 'Error',
			message: expect.stringContaining('rejected the user name or password'),
		});
	}, 60_000);

	test('self-signed TLS without Ignore SSL Issues fails the test', async () => {
		expect(
			await check('jellyfinApi', 'jellyfinKey', {
				url: jellyfin.url,
				authMethod: 'apiKey',
				apiKey: JELLYFIN_KEY,
				ignoreSslIssues: false,
			}),
		).toMatchObject({ status: 'Error' });
	}, 60_000);
});
