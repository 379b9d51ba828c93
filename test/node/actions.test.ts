import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { Emby } from '../../nodes/Emby/Emby.node';
import { Jellyfin } from '../../nodes/Jellyfin/Jellyfin.node';
import { Plex } from '../../nodes/Plex/Plex.node';
import { FakeEmby } from '../fakes/emby';
import { FakeJellyfin } from '../fakes/jellyfin';
import { FakePlex } from '../fakes/plex';
import { fixtureJson } from '../fixtures/load';
import { executeContext, type ExecuteCall } from './execute-context';

// The action nodes' execute() and list searches against the spec-checked fakes (test/fakes), over real HTTP(S).

const API_KEY = 'dummy-jellyfin-key-000000000001';
const ADMIN = {
	id: 'a1a1a1a1b2b2c3c3d4d4e5e5e5e5e5e5',
	name: 'admin',
	password: 'pw',
	isAdmin: true,
};
const VIEWER = {
	id: 'b2b2b2b2c3c3d4d4e5e5f6f6f6f6f6f6',
	name: 'Viewer',
	password: 'v',
	isAdmin: false,
};
const TV_ID = '9d7ad6afe9afa2dab1a2f6e00ad28fa6';

const jellyfin = new FakeJellyfin({
	apiKeys: [API_KEY],
	users: [ADMIN, VIEWER],
	libraries: [
		{
			itemId: 'f137a2dd21bbc1b99aa5c0f6bf02a805',
			name: 'Movies',
			collectionType: 'movies',
			locations: ['/data/movies'],
		},
		{ itemId: TV_ID, name: 'Shows', collectionType: 'tvshows', locations: ['/data/tv'] },
	],
	tls: true,
	basePath: '/jellyfin',
});
const emby = new FakeEmby({
	apiKeys: ['dummy-emby-key-0000000000000001'],
	libraries: [{ itemId: '3', name: 'TV', collectionType: 'tvshows', locations: ['/mnt/tv'] }],
});
const plex = new FakePlex({
	tokens: ['dummy-plex-token-01'],
	sections: [
		{ key: 1, type: 'movie', title: 'Movies', locations: [{ id: 1, path: '/data/movies' }] },
		{
			key: 2,
			type: 'show',
			title: 'TV Shows',
			locations: [
				{ id: 2, path: '/data/tv' },
				{ id: 3, path: '/data/anime' },
			],
		},
	],
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

const jellyfinKey = (extra: ICredentialDataDecryptedObject = {}) => ({
	jellyfinApi: {
		url: `${jellyfin.url}/`,
		authMethod: 'apiKey',
		apiKey: API_KEY,
		accessToken: '',
		sessionOwner: '',
		ignoreSslIssues: true,
		...extra,
	},
});
const embyKey = () => ({ embyApi: { url: emby.url, apiKey: 'dummy-emby-key-0000000000000001' } });
const plexKey = (token = 'dummy-plex-token-01') => ({ plexApi: { url: plex.url, token } });

async function run(node: INodeType, call: Omit<ExecuteCall, 'description'>) {
	const { context, signIns } = executeContext({ ...call, description: node.description });
	const output = await node.execute!.call(context);
	return {
		items: (output as Array<Array<{ json: IDataObject }>>)[0].map((item) => item.json),
		signIns,
	};
}

/** Servarr Download bodies as the trigger emits them: one episode file each. */
function imports(count: number, season = 1) {
	const body = fixtureJson('servarr', 'sonarr-download-upgrade-constructed-v4.0.19.json');
	return Array.from({ length: count }, (_, n) => {
		const episode = n + 1;
		const file = `Season 0${season}/Severance - S0${season}E${String(episode).padStart(2, '0')}.mkv`;
		const copy = JSON.parse(JSON.stringify(body)) as IDataObject & {
			episodeFile: IDataObject;
			episodes: IDataObject[];
		};
		delete copy.isUpgrade;
		delete copy.deletedFiles;
		copy.episodeFile.relativePath = file;
		copy.episodeFile.path = `/tv/Severance/${file}`;
		copy.episodes[0].episodeNumber = episode;
		return parseServarr(copy, { receivedAt: new Date(0) }) as unknown as IDataObject;
	});
}

const SCAN = {
	resource: 'library',
	operation: 'scanPaths',
	pathMapping: { rules: [{ from: '/tv', to: '/data/tv' }] },
	options: { quietPeriod: 0.05 },
};

describe('Jellyfin Scan Paths', () => {
	test('three items in one batch: one request with the mapped paths, a result per item', async () => {
		const { items } = await run(new Jellyfin(), {
			items: imports(3),
			parameters: SCAN,
			credentials: jellyfinKey(),
		});
		expect(jellyfin.mediaUpdates).toEqual([
			[1, 2, 3].map((n) => ({
				Path: `/data/tv/Severance/Season 01/Severance - S01E0${n}.mkv`,
				UpdateType: 'Created',
			})),
		]);
		expect(items[1]).toEqual({
			server: 'jellyfin',
			paths: [
				{
					path: '/tv/Severance/Season 01/Severance - S01E02.mkv',
					serverPath: '/data/tv/Severance/Season 01/Severance - S01E02.mkv',
					rule: '/tv → /data/tv',
					change: 'created',
				},
			],
			requests: 1,
			batch: { items: 3, requests: 1, entries: 3, quietPeriodMs: 50, maxWaitMs: 60000, waitedMs: expect.any(Number) },
		});
		// Only Jellyfin's own header carries the key (Jellyfin 12 rejects the legacy ones).
		const [request] = jellyfin.requests;
		expect(request.headers.authorization).toMatch(
			new RegExp(
				`^MediaBrowser Token="${API_KEY}", Client="n8n", Device="n8n", DeviceId="[0-9a-f]{32}", Version="\\d+\\.\\d+\\.\\d+"$`,
			),
		);
		expect(request.headers['x-emby-token']).toBeUndefined();
		expect(request.path).toBe('/Library/Media/Updated');
	});

	test('an upgrade reports the new file as created and the replaced one as deleted', async () => {
		const upgrade = parseServarr(
			fixtureJson('servarr', 'sonarr-download-upgrade-constructed-v4.0.19.json'),
			{
				receivedAt: new Date(0),
			},
		);
		await run(new Jellyfin(), {
			items: [upgrade as unknown as IDataObject],
			parameters: SCAN,
			credentials: jellyfinKey(),
		});
		expect(jellyfin.mediaUpdates[0].map((update) => update.UpdateType).sort()).toEqual([
			'Created',
			'Deleted',
		]);
	});

	test('a quiet period of 0 sends each item at once; typed paths work too', async () => {
		const { items } = await run(new Jellyfin(), {
			items: [{}, {}],
			parameters: [
				{
					...SCAN,
					pathSource: 'defineBelow',
					paths: { path: [{ path: '/tv/A', change: 'deleted' }] },
					options: { quietPeriod: 0 },
				},
				{
					...SCAN,
					pathSource: 'defineBelow',
					paths: { path: [{ path: '/elsewhere/B', change: 'modified' }] },
					options: { quietPeriod: 0 },
				},
			],
			credentials: jellyfinKey(),
		});
		expect(jellyfin.mediaUpdates).toEqual([
			[{ Path: '/data/tv/A', UpdateType: 'Deleted' }],
			[{ Path: '/elsewhere/B', UpdateType: 'Modified' }],
		]);
		expect(items.map((item) => (item.batch as IDataObject).items)).toEqual([1, 1]);
		expect((items[1].paths as IDataObject[])[0].rule).toBeNull();
	});

	test('at most Max Paths per Request paths go in one request', async () => {
		await run(new Jellyfin(), {
			items: imports(7),
			parameters: { ...SCAN, options: { quietPeriod: 0.05, maxPathsPerRequest: 3 } },
			credentials: jellyfinKey(),
		});
		expect(jellyfin.mediaUpdates.map((updates) => updates.length)).toEqual([3, 3, 1]);
	});

	test('an item without changed files (Grab, Test) sends nothing', async () => {
		const test = parseServarr(fixtureJson('servarr', 'sonarr-test-constructed-v4.0.19.json'), {
			receivedAt: new Date(0),
		});
		const { items } = await run(new Jellyfin(), {
			items: [test as unknown as IDataObject],
			parameters: SCAN,
			credentials: jellyfinKey(),
		});
		expect(items).toEqual([
			{ server: 'jellyfin', paths: [], requests: 0, batch: null, skipped: 'no changed paths' },
		]);
		expect(jellyfin.requests).toEqual([]);
	});

	test('an input without "files" fails with what to do', async () => {
		await expect(
			run(new Jellyfin(), {
				items: [{ event: 'play' }],
				parameters: SCAN,
				credentials: jellyfinKey(),
			}),
		).rejects.toThrow('The input item has no "files" list');
	});

	test('a broken mapping rule fails the item with the rule number', async () => {
		await expect(
			run(new Jellyfin(), {
				items: imports(1),
				parameters: { ...SCAN, pathMapping: { rules: [{ from: 'tv', to: '/data/tv' }] } },
				credentials: jellyfinKey(),
			}),
		).rejects.toThrow(/^Path mapping rule 1 must use absolute paths/);
	});
});

test('Jellyfin 10.11: the same requests pass its published API description', async () => {
	const older = new FakeJellyfin({
		version: '10.11',
		apiKeys: [API_KEY],
		libraries: [
			{ itemId: TV_ID, name: 'Shows', collectionType: 'tvshows', locations: ['/data/tv'] },
		],
	});
	await older.start();
	try {
		const credentials = { jellyfinApi: { ...jellyfinKey().jellyfinApi, url: older.url } };
		await run(new Jellyfin(), { items: imports(2), parameters: SCAN, credentials });
		await run(new Jellyfin(), {
			items: [{}],
			parameters: {
				resource: 'library',
				operation: 'refreshLibrary',
				library: { mode: 'id', value: TV_ID },
				options: { quietPeriod: 0 },
			},
			credentials,
		});
		expect(older.requests.map((request) => `${request.path} ${request.status}`)).toEqual([
			'/Library/Media/Updated 204',
			`/Items/${TV_ID}/Refresh 204`,
		]);
	} finally {
		await older.stop();
	}
});

describe('Jellyfin credentials and errors', () => {
	test('a wrong API key: 401 named, the key nowhere in the error', async () => {
		const failure = run(new Jellyfin(), {
			items: imports(1),
			parameters: SCAN,
			credentials: jellyfinKey({ apiKey: 'dummy-wrong-key-00000000000000' }),
		});
		await expect(failure).rejects.toMatchObject({
			message: 'Jellyfin rejected the credentials (401)',
			httpCode: '401',
		});
		const error = await failure.catch((caught: unknown) => caught);
		expect(JSON.stringify(error)).not.toContain('dummy-wrong-key');
		expect(
			JSON.stringify({ ...(error as object), message: (error as Error).message }),
		).not.toContain('dummy-wrong-key');
	});

	test('Continue On Fail turns the failure into an error item per item', async () => {
		const { items } = await run(new Jellyfin(), {
			items: imports(2),
			parameters: SCAN,
			credentials: jellyfinKey({ apiKey: 'dummy-wrong-key-00000000000000' }),
			continueOnFail: true,
		});
		expect(items).toEqual([
			{
				error: 'Jellyfin rejected the credentials (401)',
				description: expect.stringContaining('POST https://127.0.0.1'),
			},
			{ error: 'Jellyfin rejected the credentials (401)', description: expect.any(String) },
		]);
		expect(jellyfin.mediaUpdates).toEqual([]);
	});

	test('self-signed TLS fails clearly unless Ignore SSL Issues is on', async () => {
		await expect(
			run(new Jellyfin(), {
				items: imports(1),
				parameters: SCAN,
				credentials: jellyfinKey({ ignoreSslIssues: false }),
			}),
		).rejects.toThrow(/^Jellyfin's TLS certificate is not trusted \(/);
	});

	test('user name and password: signs in once, then again after the server drops the session', async () => {
		const credentials = jellyfinKey({
			authMethod: 'password',
			username: 'admin',
			password: 'pw',
			apiKey: '',
		});
		const first = await run(new Jellyfin(), { items: imports(1), parameters: SCAN, credentials });
		expect(first.signIns()).toBe(1);
		expect(jellyfin.logins).toBe(1);
		const token = credentials.jellyfinApi.accessToken;
		expect(token).toMatch(/^[0-9a-f]{32}$/);

		const second = await run(new Jellyfin(), { items: imports(1), parameters: SCAN, credentials });
		expect(second.signIns()).toBe(0);

		jellyfin.revokeAllSessions();
		const third = await run(new Jellyfin(), { items: imports(1), parameters: SCAN, credentials });
		expect(third.signIns()).toBe(1);
		expect(credentials.jellyfinApi.accessToken).not.toBe(token);
		expect(jellyfin.mediaUpdates).toHaveLength(3);
		expect(jellyfin.requests.map((request) => request.status)).toEqual([
			200, 204, 204, 401, 200, 204,
		]);
	});

	test('a wrong password fails with a clear message', async () => {
		await expect(
			run(new Jellyfin(), {
				items: imports(1),
				parameters: SCAN,
				credentials: jellyfinKey({
					authMethod: 'password',
					username: 'admin',
					password: 'nope',
					apiKey: '',
				}),
			}),
		).rejects.toThrow(`Jellyfin at ${jellyfin.url} rejected the user name or password (401)`);
	});

	test('refreshes need an administrator: a plain user gets 403 with the reason', async () => {
		await expect(
			run(new Jellyfin(), {
				items: [{}],
				parameters: { resource: 'library', operation: 'refreshAll', options: { quietPeriod: 0 } },
				credentials: jellyfinKey({
					authMethod: 'password',
					username: 'Viewer',
					password: 'v',
					apiKey: '',
				}),
			}),
		).rejects.toMatchObject({
			message: 'Jellyfin refused this action (403)',
			description: expect.stringContaining('need an administrator'),
		});
	});

	test('a server that is down: connection refused, with the URL', async () => {
		await jellyfin.setDown(true);
		try {
			await expect(
				run(new Jellyfin(), { items: imports(1), parameters: SCAN, credentials: jellyfinKey() }),
			).rejects.toMatchObject({
				message: 'Could not connect to Jellyfin: connection refused',
				description: expect.stringContaining(`POST ${jellyfin.url}/Library/Media/Updated`),
			});
		} finally {
			await jellyfin.setDown(false);
		}
	});
});

describe('Jellyfin and Emby refreshes and library lists', () => {
	test('Refresh All: several items in one batch make one call', async () => {
		const { items } = await run(new Jellyfin(), {
			items: [{}, {}, {}],
			parameters: { resource: 'library', operation: 'refreshAll', options: { quietPeriod: 0.05 } },
			credentials: jellyfinKey(),
		});
		expect(jellyfin.refreshes).toEqual([{ itemId: null, query: {} }]);
		expect(items[2]).toEqual({
			server: 'jellyfin',
			refreshed: 'all',
			batch: { items: 3, requests: 1, entries: 1, quietPeriodMs: 50, maxWaitMs: 60000, waitedMs: expect.any(Number) },
		});
	});

	test('Refresh Library scans for new files; an unknown id is a clear 404', async () => {
		await run(new Jellyfin(), {
			items: [{}],
			parameters: {
				resource: 'library',
				operation: 'refreshLibrary',
				options: { quietPeriod: 0 },
				library: { mode: 'list', value: TV_ID },
			},
			credentials: jellyfinKey(),
		});
		expect(jellyfin.refreshes).toEqual([
			{
				itemId: TV_ID,
				query: {
					metadataRefreshMode: 'Default',
					imageRefreshMode: 'Default',
					replaceAllMetadata: 'false',
					replaceAllImages: 'false',
				},
			},
		]);
		await expect(
			run(new Jellyfin(), {
				items: [{}],
				parameters: {
					resource: 'library',
					operation: 'refreshLibrary',
					options: { quietPeriod: 0 },
					library: { mode: 'id', value: '0123456789abcdef0123456789abcdef' },
				},
				credentials: jellyfinKey(),
			}),
		).rejects.toThrow(
			'Jellyfin found no library with the ID "0123456789abcdef0123456789abcdef" (404)',
		);
	});

	test('the library lists come from the servers', async () => {
		const jellyfinList = executeContext({
			description: new Jellyfin().description,
			credentials: jellyfinKey(),
		});
		expect(
			await new Jellyfin().methods.listSearch.searchLibraries.call(jellyfinList.context, 'sho'),
		).toEqual({
			results: [{ name: 'Shows (tvshows)', value: TV_ID }],
		});
		const embyList = executeContext({
			description: new Emby().description,
			credentials: embyKey(),
		});
		expect(await new Emby().methods.listSearch.searchLibraries.call(embyList.context)).toEqual({
			results: [{ name: 'TV (tvshows)', value: '3' }],
		});
		expect(emby.requests.map((request) => request.path)).toEqual(['/Library/VirtualFolders/Query']);
	});

	test('Emby: Scan Paths with X-Emby-Token, Refresh Library with its own parameter names', async () => {
		await run(new Emby(), {
			items: imports(2),
			parameters: { ...SCAN, pathMapping: { rules: [{ from: '/tv', to: '/mnt/tv' }] } },
			credentials: embyKey(),
		});
		expect(emby.mediaUpdates).toEqual([
			[1, 2].map((n) => ({
				Path: `/mnt/tv/Severance/Season 01/Severance - S01E0${n}.mkv`,
				UpdateType: 'Created',
			})),
		]);
		expect(emby.requests[0].headers['x-emby-token']).toBe('dummy-emby-key-0000000000000001');
		await run(new Emby(), {
			items: [{}],
			parameters: {
				resource: 'library',
				operation: 'refreshLibrary',
				options: { quietPeriod: 0 },
				library: { mode: 'id', value: '3' },
			},
			credentials: embyKey(),
		});
		expect(emby.refreshes).toEqual([
			{
				itemId: '3',
				query: {
					Recursive: 'true',
					MetadataRefreshMode: 'Default',
					ImageRefreshMode: 'Default',
					ReplaceAllMetadata: 'false',
					ReplaceAllImages: 'false',
				},
			},
		]);
	});
});

describe('Plex', () => {
	const PLEX_SCAN = { ...SCAN, pathMapping: { rules: [{ from: '/tv', to: '/data/tv' }] } };

	test('one partial scan per library folder, with the headers Plex wants', async () => {
		const { items } = await run(new Plex(), {
			items: [...imports(3, 1), ...imports(2, 2)],
			parameters: PLEX_SCAN,
			credentials: plexKey(),
		});
		expect(plex.refreshes).toEqual([
			{ sectionId: '2', path: '/data/tv/Severance/Season 01', force: false },
			{ sectionId: '2', path: '/data/tv/Severance/Season 02', force: false },
		]);
		expect(items[4]).toMatchObject({
			server: 'plex',
			scans: [{ libraryId: '2', library: 'TV Shows', folder: '/data/tv/Severance/Season 02' }],
			requests: 1,
			batch: { items: 5, requests: 2, entries: 2, quietPeriodMs: 50, maxWaitMs: 60000, waitedMs: expect.any(Number) },
		});
		const [sections] = plex.requests;
		expect(sections.path).toBe('/library/sections/all');
		expect(sections.headers).toMatchObject({
			accept: 'application/json',
			'x-plex-token': 'dummy-plex-token-01',
			'x-plex-client-identifier': expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(
			plex.requests.filter((request) => request.path === '/library/sections/all'),
		).toHaveLength(1);
	});

	test('no library holds the path: fails by default, listing the library folders', async () => {
		await expect(
			run(new Plex(), {
				items: imports(1),
				parameters: { ...SCAN, pathMapping: {} },
				credentials: plexKey(),
			}),
		).rejects.toMatchObject({
			message: 'No Plex library holds "/tv/Severance/Season 01/Severance - S01E01.mkv"',
			description: expect.stringContaining('Movies: /data/movies; TV Shows: /data/tv, /data/anime'),
		});
		expect(plex.refreshes).toEqual([]);
	});

	test('no library holds the path: a fallback library or all libraries', async () => {
		await run(new Plex(), {
			items: imports(1),
			parameters: {
				...SCAN,
				pathMapping: {},
				noMatch: 'refreshLibrary',
				fallbackLibrary: { mode: 'list', value: '1' },
			},
			credentials: plexKey(),
		});
		expect(plex.refreshes).toEqual([{ sectionId: '1', force: false }]);
		plex.clear();
		await run(new Plex(), {
			items: imports(1),
			parameters: { ...SCAN, pathMapping: {}, noMatch: 'refreshAll' },
			credentials: plexKey(),
		});
		expect(plex.refreshes.map((refresh) => refresh.sectionId)).toEqual(['1', '2']);
	});

	test('Refresh All scans every section; Refresh Library one', async () => {
		await run(new Plex(), {
			items: [{}],
			parameters: { resource: 'library', operation: 'refreshAll', options: { quietPeriod: 0 } },
			credentials: plexKey(),
		});
		expect(plex.refreshes.map((refresh) => refresh.sectionId)).toEqual(['1', '2']);
		plex.clear();
		await run(new Plex(), {
			items: [{}],
			parameters: {
				resource: 'library',
				operation: 'refreshLibrary',
				options: { quietPeriod: 0 },
				library: { mode: 'id', value: '2' },
			},
			credentials: plexKey(),
		});
		expect(plex.refreshes).toEqual([{ sectionId: '2', force: false }]);
	});

	test('a wrong token: 401, and the HTML body does not leak into the message', async () => {
		await expect(
			run(new Plex(), {
				items: imports(1),
				parameters: SCAN,
				credentials: plexKey('dummy-wrong-token'),
			}),
		).rejects.toMatchObject({ message: 'Plex rejected the credentials (401)' });
	});

	test('the library list', async () => {
		const list = executeContext({ description: new Plex().description, credentials: plexKey() });
		expect(await new Plex().methods.listSearch.searchLibraries.call(list.context)).toEqual({
			results: [
				{ name: 'Movies (movie)', value: '1' },
				{ name: 'TV Shows (show)', value: '2' },
			],
		});
	});
});
