import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';
import { parsePlex } from '../../nodes/core/parsers/plex';
import { Emby } from '../../nodes/Emby/Emby.node';
import { Jellyfin } from '../../nodes/Jellyfin/Jellyfin.node';
import { Plex } from '../../nodes/Plex/Plex.node';
import { clearIndexes } from '../../nodes/shared/action/itemIndexCache';
import { SAMPLE_CATALOG } from '../fakes/catalog';
import { FakeEmby } from '../fakes/emby';
import { FakeJellyfin, jellyfinId } from '../fakes/jellyfin';
import { FakePlex } from '../fakes/plex';
import { fixtureJson } from '../fixtures/load';
import { executeContext, type ExecuteCall } from './execute-context';

// The Item and User operations against the spec-checked fakes' libraries, over real HTTP.

const KEY = 'dummy-jellyfin-key-watched-000001';
const ALICE = {
	id: 'a11ce000000000000000000000000001',
	name: 'alice',
	password: 'pw-a',
	isAdmin: false,
};
const BOB = {
	id: 'b0b00000000000000000000000000002',
	name: 'Bob',
	password: 'pw-b',
	isAdmin: true,
};
const jellyfin = new FakeJellyfin({ apiKeys: [KEY], users: [ALICE, BOB], catalog: SAMPLE_CATALOG });
const emby = new FakeEmby({
	apiKeys: ['dummy-emby-key-watched-0000001'],
	users: [
		{ id: 'e1a11ce0000000000000000000000001', name: 'alice', isAdmin: false },
		{ id: 'e1b0b000000000000000000000000002', name: 'bob', isAdmin: true },
	],
	catalog: SAMPLE_CATALOG,
});
const plex = new FakePlex({ tokens: ['dummy-plex-token-watched'], catalog: SAMPLE_CATALOG });

beforeAll(async () => {
	await Promise.all([jellyfin.start(), emby.start(), plex.start()]);
});
afterAll(async () => {
	await Promise.all([jellyfin.stop(), emby.stop(), plex.stop()]);
});
beforeEach(() => {
	clearIndexes();
	for (const fake of [jellyfin, emby, plex]) {
		fake.clear();
		fake.resetState();
	}
});

const jellyfinKey = (): Record<string, ICredentialDataDecryptedObject> => ({
	jellyfinApi: {
		url: jellyfin.url,
		authMethod: 'apiKey',
		apiKey: KEY,
		accessToken: '',
		sessionOwner: '',
	},
});
const embyKey = () => ({ embyApi: { url: emby.url, apiKey: 'dummy-emby-key-watched-0000001' } });
const plexKey = () => ({ plexApi: { url: plex.url, token: 'dummy-plex-token-watched' } });

async function run(node: INodeType, call: Omit<ExecuteCall, 'description'>) {
	const { context } = executeContext({ ...call, description: node.description });
	const output = await node.execute!.call(context);
	return (output as Array<Array<{ json: IDataObject }>>)[0].map((item) => item.json);
}

const paths = (fake: { requests: Array<{ method: string; path: string }> }) =>
	fake.requests.map((request) => `${request.method} ${request.path}`);

const MATRIX_EVENT = {
	event: 'watched',
	occurredAt: '2026-11-20T20:00:00.000Z',
	media: { type: 'movie', ids: { imdb: 'tt0133093' }, series: null },
};
const mark = (operation: string, extra: IDataObject = {}) => ({
	resource: 'item',
	operation,
	user: { mode: 'name', value: 'alice' },
	...extra,
});

describe('Jellyfin Mark Watched', () => {
	test('marks every copy, reading the library once and never asking Jellyfin to filter by id', async () => {
		const [result] = await run(new Jellyfin(), {
			items: [MATRIX_EVENT],
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		expect(result).toMatchObject({
			server: 'jellyfin',
			user: { id: ALICE.id, name: 'alice' },
			status: 'changed',
			changed: 2,
			skipped: 0,
			at: '2026-11-20T20:00:00.000Z',
		});
		expect(
			(result.items as IDataObject[]).map((item) => (item.library as IDataObject).name).sort(),
		).toEqual(['movies', 'movies-4k']);
		expect(jellyfin.stateOf(ALICE.id, 'matrix')).toMatchObject({
			played: true,
			lastPlayedDate: '2026-11-20T20:00:00.000Z',
		});
		expect(jellyfin.stateOf(BOB.id, 'matrix').played).toBe(false);
		expect(paths(jellyfin).filter((path) => path.startsWith('POST /UserPlayedItems'))).toHaveLength(
			2,
		);
		expect(jellyfin.requests.every((request) => !('AnyProviderIdEquals' in request.query))).toBe(
			true,
		);
	});

	test('already watched: no write, so no webhook goes back (the echo guard)', async () => {
		jellyfin.setState(ALICE.id, 'matrix', {
			played: true,
			playCount: 1,
			lastPlayedDate: '2026-11-21T00:00:00.000Z',
		});
		const [result] = await run(new Jellyfin(), {
			items: [MATRIX_EVENT],
			parameters: mark('markWatched', { options: { matches: 'first' } }),
			credentials: jellyfinKey(),
		});
		expect(result).toMatchObject({ status: 'unchanged', changed: 0, skipped: 1 });
		expect((result.items as IDataObject[])[0]).toMatchObject({
			action: 'skipped',
			reason: 'alreadyWatched',
		});
		expect(jellyfin.playedWrites).toEqual([]);
	});

	test('Only If Newer: a later play on the server wins over an old unwatched event', async () => {
		jellyfin.setState(ALICE.id, 'inception', {
			played: true,
			playCount: 2,
			lastPlayedDate: '2026-11-22T00:00:00.000Z',
		});
		const old = {
			occurredAt: '2026-11-01T00:00:00.000Z',
			media: { type: 'movie', ids: { tmdb: '27205' } },
		};
		const [kept] = await run(new Jellyfin(), {
			items: [old],
			parameters: mark('markUnwatched'),
			credentials: jellyfinKey(),
		});
		expect(kept).toMatchObject({ status: 'unchanged' });
		expect((kept.items as IDataObject[])[0]).toMatchObject({ reason: 'newerPlay' });
		const [forced] = await run(new Jellyfin(), {
			items: [old],
			parameters: mark('markUnwatched', { options: { onlyIfNewer: false } }),
			credentials: jellyfinKey(),
		});
		expect(forced).toMatchObject({ status: 'changed' });
		expect(jellyfin.stateOf(ALICE.id, 'inception').played).toBe(false);
	});

	test('an episode by its own tvdb id, another by its show ids and numbers, a third by item id', async () => {
		const results = await run(new Jellyfin(), {
			items: [
				{ media: { type: 'episode', ids: { tvdb: '9100102' }, seasonNumber: 1, episodeNumber: 2 } },
				{},
				{},
			],
			parameters: [
				mark('markWatched'),
				mark('markWatched', {
					identifyBy: 'providerIds',
					mediaType: 'episode',
					tvdbId: '9200000',
					seasonNumber: 1,
					episodeNumber: 2,
				}),
				mark('markWatched', { identifyBy: 'itemId', itemId: jellyfinId('severance-s2e1') }),
			],
			credentials: jellyfinKey(),
		});
		expect(results.map((result) => result.status)).toEqual(['changed', 'changed', 'changed']);
		expect(
			['severance-s1e2', 'dinner-club-s1e2', 'severance-s2e1'].map(
				(id) => jellyfin.stateOf(ALICE.id, id).played,
			),
		).toEqual([true, true, true]);
	});

	test('not found and no ids are outputs, not errors, unless asked', async () => {
		const results = await run(new Jellyfin(), {
			items: [
				{ media: { type: 'movie', ids: { imdb: 'tt9999999' } } },
				{ media: { type: 'movie', ids: {} } },
				{ media: { type: 'series', ids: { tvdb: '371980' } } },
				{ event: 'test', media: null },
			],
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		expect(results.map((result) => result.status)).toEqual([
			'notFound',
			'noIds',
			'unsupportedType',
			'noMedia',
		]);
		await expect(
			run(new Jellyfin(), {
				items: [{ media: { type: 'movie', ids: { imdb: 'tt9999999' } } }],
				parameters: mark('markWatched', { options: { errorIfNotFound: true } }),
				credentials: jellyfinKey(),
			}),
		).rejects.toThrow(/^Jellyfin has no item matching/);
	});

	test('an API key needs a user; an unknown name lists the users', async () => {
		await expect(
			run(new Jellyfin(), {
				items: [MATRIX_EVENT],
				parameters: mark('markWatched', { user: { mode: 'list', value: '' } }),
				credentials: jellyfinKey(),
			}),
		).rejects.toThrow('Choose a user');
		await expect(
			run(new Jellyfin(), {
				items: [MATRIX_EVENT],
				parameters: mark('markWatched', { user: { mode: 'name', value: 'carol' } }),
				credentials: jellyfinKey(),
			}),
		).rejects.toMatchObject({
			message: 'Jellyfin has no user named "carol"',
			description: 'Users: alice, Bob',
		});
	});

	test('signed in with user name and password, it acts as that user', async () => {
		const credentials = {
			jellyfinApi: {
				...jellyfinKey().jellyfinApi,
				authMethod: 'password',
				username: 'alice',
				password: 'pw-a',
			},
		};
		await run(new Jellyfin(), {
			items: [MATRIX_EVENT],
			parameters: mark('markWatched', { user: { mode: 'list', value: '' } }),
			credentials,
		});
		expect(jellyfin.stateOf(ALICE.id, 'matrix').played).toBe(true);
	});
});

describe('the index', () => {
	test('500 items in one execution read the library once, and later executions reuse it', async () => {
		const items = Array.from({ length: 500 }, (_, n) =>
			n % 2 === 0 ? MATRIX_EVENT : { media: { type: 'movie', ids: { tmdb: '27205' } } },
		);
		await run(new Jellyfin(), {
			items,
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		const pages = paths(jellyfin).filter((path) => path === 'GET /Items').length;
		// One page per library, three writes (two Matrix copies, Inception); the rest found them already played.
		expect(pages).toBe(3);
		expect(jellyfin.playedWrites).toHaveLength(3);

		jellyfin.clear();
		const [again] = await run(new Jellyfin(), {
			items: [{ media: { type: 'movie', ids: { tmdb: '129' } } }],
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		expect(again.status).toBe('changed');
		// The index is reused; only the matched item's state is read again (by id) before deciding.
		expect(
			jellyfin.requests.map(
				(request) => `${request.method} ${request.path} ${'ids' in request.query}`,
			),
		).toEqual([
			'GET /Users false',
			'GET /Items true',
			`POST /UserPlayedItems/${jellyfinId('spirited-away')} false`,
		]);
	});

	test('a state changed on the server since the index was built is read again, not trusted', async () => {
		await run(new Jellyfin(), {
			items: [MATRIX_EVENT],
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		jellyfin.setState(ALICE.id, 'matrix', { played: false, playCount: 0, lastPlayedDate: null });
		jellyfin.clear();
		const [result] = await run(new Jellyfin(), {
			items: [{ ...MATRIX_EVENT, occurredAt: '2026-11-24T00:00:00.000Z' }],
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		expect(result).toMatchObject({ status: 'changed', changed: 1, skipped: 1 });
	});
});

describe('Find, Get Many Played and users', () => {
	test('Find by Provider ID: one item per copy, with library, path and state', async () => {
		jellyfin.setState(ALICE.id, 'matrix', {
			played: true,
			playCount: 3,
			lastPlayedDate: '2026-10-01T10:00:00.000Z',
		});
		const found = await run(new Jellyfin(), {
			items: [MATRIX_EVENT],
			parameters: {
				resource: 'item',
				operation: 'findByProviderId',
				identifyBy: 'inputEvent',
				user: { mode: 'name', value: 'alice' },
			},
			credentials: jellyfinKey(),
		});
		expect(found).toEqual([
			expect.objectContaining({
				found: true,
				title: 'The Matrix',
				library: { id: jellyfinId('movies'), name: 'movies' },
				path: '/media/movies/The Matrix (1999)/The Matrix (1999).mkv',
				played: true,
				lastPlayedAt: '2026-10-01T10:00:00.000Z',
				playCount: 3,
			}),
			expect.objectContaining({
				found: true,
				library: { id: jellyfinId('movies-4k'), name: 'movies-4k' },
				played: false,
			}),
		]);
	});

	test('Get Many Played on Jellyfin feeds Emby Mark Watched, with Emby date format', async () => {
		jellyfin.setState(BOB.id, 'inception', {
			played: true,
			playCount: 1,
			lastPlayedDate: '2026-11-01T08:00:00.000Z',
		});
		jellyfin.setState(BOB.id, 'severance-s1e1', {
			played: true,
			playCount: 1,
			lastPlayedDate: '2026-11-03T08:00:00.000Z',
		});
		jellyfin.setState(BOB.id, 'spirited-away', {
			played: true,
			playCount: 1,
			lastPlayedDate: '2026-09-01T08:00:00.000Z',
		});
		const played = await run(new Jellyfin(), {
			items: [{}],
			parameters: {
				resource: 'item',
				operation: 'getManyPlayed',
				user: { mode: 'name', value: 'bob' },
				playedSince: '2026-10-01T00:00:00.000Z',
				returnAll: true,
			},
			credentials: jellyfinKey(),
		});
		expect(played.map((event) => (event.media as IDataObject).title)).toEqual([
			'Severance S1E1',
			'Inception',
		]);
		expect(played[0]).toMatchObject({
			event: 'watched',
			occurredAt: '2026-11-03T08:00:00.000Z',
			media: {
				type: 'episode',
				series: { title: 'Severance', ids: { tvdb: '371980', tmdb: '95396', imdb: 'tt11280740' } },
			},
		});

		const marked = await run(new Emby(), {
			items: played,
			parameters: mark('markWatched', { user: { mode: 'name', value: 'bob' } }),
			credentials: embyKey(),
		});
		expect(marked.map((result) => result.status)).toEqual(['changed', 'changed']);
		expect(emby.playedWrites.map((write) => write.datePlayed).sort()).toEqual([
			'20261101080000',
			'20261103080000',
		]);
	});

	test('Emby matches its upper-case IMDB key; users come from /Users/Query', async () => {
		const [result] = await run(new Emby(), {
			items: [{ media: { type: 'movie', ids: { imdb: 'tt0078748' } } }],
			parameters: mark('markWatched'),
			credentials: embyKey(),
		});
		expect(result).toMatchObject({ status: 'changed', changed: 1 });
		expect(paths(emby)).toContain('GET /Users/Query');
		const users = await run(new Emby(), {
			items: [{}],
			parameters: { resource: 'user', operation: 'getMany', returnAll: true },
			credentials: embyKey(),
		});
		expect(users.map((user) => user.name)).toEqual(['alice', 'bob']);
	});

	test('Jellyfin users: Get Many and Get by ID', async () => {
		const users = await run(new Jellyfin(), {
			items: [{}],
			parameters: { resource: 'user', operation: 'getMany', limit: 1 },
			credentials: jellyfinKey(),
		});
		expect(users).toEqual([
			{
				server: 'jellyfin',
				id: ALICE.id,
				name: 'alice',
				isAdmin: false,
				isDisabled: false,
				isHidden: true,
			},
		]);
		const [bob] = await run(new Jellyfin(), {
			items: [{}],
			parameters: { resource: 'user', operation: 'get', user: { mode: 'id', value: BOB.id } },
			credentials: jellyfinKey(),
		});
		expect(bob).toMatchObject({ name: 'Bob', isAdmin: true });
		const list = executeContext({
			description: new Jellyfin().description,
			credentials: jellyfinKey(),
		});
		expect(await new Jellyfin().methods.listSearch.searchUsers.call(list.context, 'b')).toEqual({
			results: [{ name: 'Bob', value: BOB.id }],
		});
	});
});

describe('Plex', () => {
	test('a Plex scrobble event marks a legacy-agent movie of another Plex', async () => {
		const event = { media: { type: 'movie', ids: { imdb: 'tt0103639' } } };
		const [result] = await run(new Plex(), {
			items: [event],
			parameters: { resource: 'item', operation: 'markWatched' },
			credentials: plexKey(),
		});
		expect(result).toMatchObject({ server: 'plex', user: null, status: 'changed', changed: 1 });
		expect(plex.stateOf('dracula').played).toBe(true);
		expect(plex.requests.find((request) => request.path === '/:/scrobble')?.query).toMatchObject({
			identifier: 'com.plexapp.plugins.library',
		});
	});

	test('episodes of a legacy TV agent show are found through the show', async () => {
		const [result] = await run(new Plex(), {
			items: [
				{
					media: {
						type: 'episode',
						ids: {},
						series: { ids: { tvdb: '81189' } },
						seasonNumber: 1,
						episodeNumber: 2,
					},
				},
			],
			parameters: { resource: 'item', operation: 'markWatched' },
			credentials: plexKey(),
		});
		expect(result).toMatchObject({ status: 'changed' });
		expect(plex.stateOf('breaking-bad-s1e2').played).toBe(true);
	});

	test('a real Plex scrobble body feeds Jellyfin Mark Watched when the movie is there', async () => {
		const event = parsePlex(fixtureJson('plex', 'media-scrobble-movie.json'), {
			receivedAt: new Date(0),
		});
		const [result] = await run(new Jellyfin(), {
			items: [event as unknown as IDataObject],
			parameters: mark('markWatched'),
			credentials: jellyfinKey(),
		});
		// Big Trouble in Little China is not in the sample library: an output, not an error.
		expect(result).toMatchObject({ status: 'notFound' });
	});
});
