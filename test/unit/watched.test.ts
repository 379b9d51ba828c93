import { ItemIndex, queryFromEvent, type IndexedItem } from '../../nodes/core/itemIndex';
import { normalizeIds, parsePlexGuid } from '../../nodes/core/providerIds';
import { decideWatch } from '../../nodes/core/watchDecision';
import { parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import { parsePlex } from '../../nodes/core/parsers/plex';
import { fixtureJson } from '../fixtures/load';
import { context } from './fixtures';

describe('provider ids', () => {
	it('one spelling for every server', () => {
		expect(normalizeIds({ Tmdb: '603', IMDB: 'TT0133093', Tvdb: '', TvMaze: 0 })).toEqual({
			tmdb: '603',
			imdb: 'tt0133093',
		});
		expect(normalizeIds({ TheMovieDb: 603 })).toEqual({ tmdb: '603' });
	});

	it.each([
		[
			'imdb://tt0133093',
			{ provider: 'imdb', id: 'tt0133093', seasonNumber: null, episodeNumber: null },
		],
		['tmdb://603', { provider: 'tmdb', id: '603', seasonNumber: null, episodeNumber: null }],
		[
			'com.plexapp.agents.imdb://tt0103639?lang=en',
			{ provider: 'imdb', id: 'tt0103639', seasonNumber: null, episodeNumber: null },
		],
		[
			'com.plexapp.agents.themoviedb://603?lang=en',
			{ provider: 'tmdb', id: '603', seasonNumber: null, episodeNumber: null },
		],
		[
			'com.plexapp.agents.thetvdb://81189/1/2?lang=en',
			{ provider: 'tvdb', id: '81189', seasonNumber: 1, episodeNumber: 2 },
		],
		[
			'com.plexapp.agents.hama://anidb-1234?lang=en',
			{ provider: 'anidb', id: '1234', seasonNumber: null, episodeNumber: null },
		],
		[
			'plex://movie/5d776825880197001ec967c6',
			{
				provider: 'plex',
				id: 'movie/5d776825880197001ec967c6',
				seasonNumber: null,
				episodeNumber: null,
			},
		],
	])('Plex guid %s', (guid, expected) => {
		expect(parsePlexGuid(guid)).toEqual(expected);
	});

	it('ignores local and agent-less guids', () => {
		expect(parsePlexGuid('local://123')).toBeNull();
		expect(parsePlexGuid('com.plexapp.agents.none://abc')).toBeNull();
		expect(parsePlexGuid('nonsense')).toBeNull();
	});
});

const item = (overrides: Partial<IndexedItem> & Pick<IndexedItem, 'id' | 'type'>): IndexedItem => ({
	title: null,
	year: null,
	ids: {},
	seriesId: null,
	seasonNumber: null,
	episodeNumber: null,
	library: null,
	path: null,
	state: null,
	...overrides,
});

const LIBRARY = [
	item({ id: 'm1', type: 'movie', ids: { tmdb: '603', imdb: 'tt0133093' } }),
	item({ id: 'm2', type: 'movie', ids: { tmdb: '603' }, library: { id: '4k', name: 'Movies 4K' } }),
	item({ id: 'm3', type: 'movie', ids: {} }),
	// tmdb numbers movies and shows separately: show 603 is not movie 603.
	item({ id: 's1', type: 'series', ids: { tvdb: '371980', tmdb: '603' } }),
	item({
		id: 'e1',
		type: 'episode',
		seriesId: 's1',
		seasonNumber: 1,
		episodeNumber: 1,
		ids: { tvdb: '8001' },
	}),
	item({ id: 'e2', type: 'episode', seriesId: 's1', seasonNumber: 1, episodeNumber: 2 }),
];

describe('ItemIndex', () => {
	const index = new ItemIndex(LIBRARY);

	it('finds every copy of a movie by any shared id', () => {
		const movie = {
			type: 'movie' as const,
			seriesIds: {},
			seasonNumber: null,
			episodeNumber: null,
		};
		expect(index.find({ ...movie, ids: { imdb: 'tt0133093' } }).map((found) => found.id)).toEqual([
			'm1',
		]);
		expect(index.find({ ...movie, ids: { tmdb: '603' } }).map((found) => found.id)).toEqual([
			'm1',
			'm2',
		]);
		expect(index.find({ ...movie, ids: { tmdb: '999' } })).toEqual([]);
	});

	it('finds an episode by its own ids first, else by its show and numbers', () => {
		const episode = { type: 'episode' as const, seasonNumber: 1, episodeNumber: 2 };
		expect(
			index.find({ ...episode, ids: { tvdb: '8001' }, seriesIds: {} }).map((found) => found.id),
		).toEqual(['e1']);
		expect(
			index
				.find({ ...episode, ids: { tvdb: '9999' }, seriesIds: { tmdb: '603' } })
				.map((found) => found.id),
		).toEqual(['e2']);
		expect(
			index.find({ ...episode, ids: {}, seriesIds: { tvdb: '371980' }, episodeNumber: 3 }),
		).toEqual([]);
		expect(
			index.find({ ...episode, ids: {}, seriesIds: { tvdb: '371980' }, seasonNumber: null }),
		).toEqual([]);
	});

	it('never takes a show for a movie with the same tmdb number', () => {
		const found = index.find({
			type: 'movie',
			ids: { tmdb: '603' },
			seriesIds: {},
			seasonNumber: null,
			episodeNumber: null,
		});
		expect(found.map((entry) => entry.type)).toEqual(['movie', 'movie']);
	});

	it('keeps the first of items with one id, and records new states', () => {
		const twice = new ItemIndex([...LIBRARY, item({ id: 'm1', type: 'movie', title: 'again' })]);
		expect(twice.size).toBe(LIBRARY.length);
		twice.setState('m1', { played: true, lastPlayedAt: '2024-01-01T00:00:00.000Z', playCount: 1 });
		expect(twice.get('m1')?.state?.played).toBe(true);
	});
});

describe('queryFromEvent', () => {
	it('a Plex scrobble of a movie: its ids', () => {
		const event = parsePlex(fixtureJson('plex', 'media-scrobble-movie.json'), context());
		expect(queryFromEvent(event as never)).toMatchObject({ type: 'movie', seriesIds: {} });
	});

	it('a Jellyfin episode of an anime library: its AniDB id and numbers', () => {
		const event = parseJellyfin(
			fixtureJson('jellyfin', 'userdatasaved-toggleplayed-episode-10.10.3.json'),
			context(),
		);
		const query = queryFromEvent(event as never);
		expect(query).toEqual({
			type: 'episode',
			ids: event.media?.ids,
			seriesIds: {},
			seasonNumber: event.media?.seasonNumber,
			episodeNumber: event.media?.episodeNumber,
		});
		expect(Object.keys(event.media?.ids ?? {})).toEqual(['anidb']);
	});

	it('says why it cannot look an item up', () => {
		expect(queryFromEvent({ event: 'test', media: null })).toMatchObject({ problem: 'noMedia' });
		expect(queryFromEvent({ media: { type: 'series', ids: { tvdb: '1' } } })).toMatchObject({
			problem: 'unsupportedType',
		});
		expect(queryFromEvent({ media: { type: 'movie', ids: {} } })).toMatchObject({
			problem: 'noIds',
		});
		expect(
			queryFromEvent({
				media: { type: 'episode', ids: {}, series: { ids: { tvdb: '1' } }, seasonNumber: 1 },
			}),
		).toMatchObject({ problem: 'noIds' });
	});
});

describe('decideWatch', () => {
	const at = '2024-06-01T12:00:00.000Z';
	const state = (played: boolean, lastPlayedAt: string | null = null) => ({
		played,
		lastPlayedAt,
		playCount: null,
	});

	it('writes nothing when the server is already there: the echo guard', () => {
		expect(
			decideWatch({ played: true, current: state(true), at, onlyIfNewer: false }),
		).toMatchObject({
			write: false,
			reason: 'alreadyWatched',
		});
		expect(
			decideWatch({ played: false, current: state(false), at, onlyIfNewer: true }),
		).toMatchObject({
			write: false,
			reason: 'alreadyUnwatched',
		});
	});

	it('with Only If Newer, leaves items with a later play alone', () => {
		const later = state(false, '2024-06-02T00:00:00.000Z');
		expect(decideWatch({ played: true, current: later, at, onlyIfNewer: true })).toMatchObject({
			write: false,
			reason: 'newerPlay',
		});
		expect(decideWatch({ played: true, current: later, at, onlyIfNewer: false })).toEqual({
			write: true,
		});
		expect(
			decideWatch({
				played: false,
				current: state(true, '2024-06-02T00:00:00.000Z'),
				at,
				onlyIfNewer: true,
			}),
		).toMatchObject({ write: false, reason: 'newerPlay' });
		expect(
			decideWatch({
				played: false,
				current: state(true, '2024-05-01T00:00:00.000Z'),
				at,
				onlyIfNewer: true,
			}),
		).toEqual({ write: true });
	});

	it('writes when the state is unknown', () => {
		expect(decideWatch({ played: true, current: null, at, onlyIfNewer: true })).toEqual({
			write: true,
		});
	});
});
