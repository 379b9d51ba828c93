import { PayloadError } from '../../nodes/core/event';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import type { ServarrEvent } from '../../nodes/core/servarrEvent';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT, testRealFixtureEvents } from './fixtures';

const parse = (body: JsonObject, userAgent?: string): ServarrEvent =>
	parseServarr(body, context(userAgent === undefined ? {} : { userAgent }));
const fixture = (file: string): JsonObject => fixtureJson('servarr', file);

describe('parseServarr: each fixture, real or constructed, gives its hand-checked event (test/fixtures/expected/servarr.ts)', () => {
	testRealFixtureEvents('servarr', (file) => parse(fixture(file)));
});

/** Constructed: a minimal Sonarr per-file Download body for the edge cases below. */
function sonarrDownload(
	folder: unknown,
	episodeFile: JsonObject,
	extra: JsonObject = {},
): JsonObject {
	return {
		series: { id: 7, title: 'Show', path: folder, tvdbId: 81189 },
		episodes: [
			{
				id: 70,
				episodeNumber: 1,
				seasonNumber: 1,
				title: 'Pilot',
				airDate: '2008-01-20',
				tvdbId: 349232,
			},
		],
		episodeFile,
		isUpgrade: false,
		...extra,
		eventType: 'Download',
		instanceName: 'Sonarr',
		applicationUrl: '',
	};
}

describe('parseServarr: library paths (constructed bodies)', () => {
	it('constructed: a Windows folder joins relativePath with "\\", never the download path', () => {
		const event = parse(
			sonarrDownload('D:\\TV\\Show', {
				relativePath: 'Season 1\\ep.mkv',
				path: 'E:\\Downloads\\complete\\ep.mkv',
			}),
		);
		expect(event.folder).toBe('D:\\TV\\Show');
		expect(event.files).toEqual([
			{ path: 'D:\\TV\\Show\\Season 1\\ep.mkv', previousPath: null, change: 'created' },
		]);
		expect(event.media?.path).toBe('D:\\TV\\Show\\Season 1\\ep.mkv');
	});

	it('constructed: a folder ending in its separator gives no doubled separator', () => {
		const windows = parse(sonarrDownload('D:\\TV\\Show\\', { relativePath: 'Season 1\\ep.mkv' }));
		expect(windows.files[0].path).toBe('D:\\TV\\Show\\Season 1\\ep.mkv');
		const posix = parse(sonarrDownload('/tv/Show/', { relativePath: 'Season 1/ep.mkv' }));
		expect(posix.files[0].path).toBe('/tv/Show/Season 1/ep.mkv');
	});

	it('constructed: a folder with "/" (or both separators) joins with "/"', () => {
		const mixed = parse(sonarrDownload('//nas/tv\\Show', { relativePath: 'ep.mkv' }));
		expect(mixed.files[0].path).toBe('//nas/tv\\Show/ep.mkv');
	});

	it('constructed: without relativePath, the file path is used', () => {
		const event = parse(sonarrDownload('/tv/Show', { path: '/tv/Show/Season 1/ep.mkv' }));
		expect(event.files).toEqual([
			{ path: '/tv/Show/Season 1/ep.mkv', previousPath: null, change: 'created' },
		]);
	});

	it('constructed: without the series folder, the file path is used and folder is null', () => {
		const event = parse(
			sonarrDownload(undefined, {
				relativePath: 'Season 1/ep.mkv',
				path: '/tv/Show/Season 1/ep.mkv',
			}),
		);
		expect(event.folder).toBeNull();
		expect(event.files).toEqual([
			{ path: '/tv/Show/Season 1/ep.mkv', previousPath: null, change: 'created' },
		]);
	});

	it('constructed: a file with neither relativePath nor path gives no entry', () => {
		const event = parse(sonarrDownload('/tv/Show', { quality: 'HDTV-720p', size: 10 }));
		expect(event.files).toEqual([]);
		expect(event.media?.path).toBeNull();
		expect(event.quality).toBe('HDTV-720p');
		expect(event.size).toBe(10);
	});

	it('constructed: an upgrade that keeps the file name is one "modified" entry', () => {
		const event = parse(
			sonarrDownload(
				'/tv/Show',
				{ relativePath: 'Season 1/ep.mkv', path: '/downloads/ep.mkv' },
				{
					isUpgrade: true,
					deletedFiles: [{ relativePath: 'Season 1/ep.mkv', path: '/tv/Show/Season 1/ep.mkv' }],
				},
			),
		);
		expect(event.event).toBe('upgrade');
		expect(event.files).toEqual([
			{ path: '/tv/Show/Season 1/ep.mkv', previousPath: null, change: 'modified' },
		]);
		expect(event.media?.path).toBe('/tv/Show/Season 1/ep.mkv');
	});

	it('constructed: a deleted file without path is built from folder + relativePath', () => {
		const event = parse(
			sonarrDownload(
				'/tv/Show',
				{ relativePath: 'Season 1/new.mkv' },
				{ isUpgrade: true, deletedFiles: [{ relativePath: 'old.mkv' }] },
			),
		);
		expect(event.files).toEqual([
			{ path: '/tv/Show/Season 1/new.mkv', previousPath: null, change: 'created' },
			{ path: '/tv/Show/old.mkv', previousPath: null, change: 'deleted' },
		]);
	});

	it('constructed: Rename before 4.0.9 (no path, no previousPath) builds both from the folder', () => {
		const event = parse({
			series: { id: 7, title: 'Show', path: 'D:\\TV\\Show', tvdbId: 81189 },
			renamedEpisodeFiles: [
				{
					previousRelativePath: 'Season 1\\show.s01e01.mkv',
					relativePath: 'Season 1\\Show - S01E01.mkv',
				},
			],
			eventType: 'Rename',
		});
		expect(event.files).toEqual([
			{
				path: 'D:\\TV\\Show\\Season 1\\Show - S01E01.mkv',
				previousPath: 'D:\\TV\\Show\\Season 1\\show.s01e01.mkv',
				change: 'created',
			},
		]);
		// The media is the series; the one renamed file is still the event's single path.
		expect(event.media).toMatchObject({
			type: 'series',
			path: 'D:\\TV\\Show\\Season 1\\Show - S01E01.mkv',
		});
	});

	it('constructed: a v3 Rename without a file list changes nothing', () => {
		const event = parse({
			series: { id: 7, title: 'Show', path: '/tv/Show' },
			eventType: 'Rename',
		});
		expect(event.files).toEqual([]);
	});

	it('constructed: Import Complete of a season pack: every file created, shared quality, summed size', () => {
		const event = parse({
			series: { id: 7, title: 'Show', path: '/tv/Show', tvdbId: 81189 },
			episodes: [
				{ id: 71, episodeNumber: 1, seasonNumber: 2, title: 'One', tvdbId: 1001 },
				{ id: 72, episodeNumber: 2, seasonNumber: 2, title: 'Two', tvdbId: 1002 },
				{ id: 73, episodeNumber: 3, seasonNumber: 2, title: 'Three', tvdbId: 1003 },
			],
			episodeFiles: [
				{ relativePath: 'Season 2/e1.mkv', path: '/dl/e1.mkv', quality: 'WEBDL-1080p', size: 100 },
				{ relativePath: 'Season 2/e2.mkv', path: '/dl/e2.mkv', quality: 'WEBDL-1080p', size: 200 },
				{ relativePath: 'Season 2/e3.mkv', path: '/dl/e3.mkv', quality: 'WEBDL-1080p', size: 300 },
			],
			release: { releaseTitle: 'Show.S02.1080p', size: 700, releaseType: 'seasonPack' },
			fileCount: 3,
			sourcePath: '/dl',
			destinationPath: '/tv/Show/Season 2',
			eventType: 'Download',
		});
		expect(event.event).toBe('import');
		expect(event.files).toEqual([
			{ path: '/tv/Show/Season 2/e1.mkv', previousPath: null, change: 'created' },
			{ path: '/tv/Show/Season 2/e2.mkv', previousPath: null, change: 'created' },
			{ path: '/tv/Show/Season 2/e3.mkv', previousPath: null, change: 'created' },
		]);
		expect(event.media).toEqual({
			type: 'episode',
			id: '71',
			title: 'One',
			year: null,
			series: { id: '7', title: 'Show', ids: { tvdb: '81189' } },
			seasonNumber: 2,
			episodeNumber: 1,
			episodeNumberEnd: 3,
			ids: {},
			library: null,
			path: null,
		});
		expect(event.episodes.map((episode) => episode.ids)).toEqual([
			{ tvdb: '1001' },
			{ tvdb: '1002' },
			{ tvdb: '1003' },
		]);
		expect(event.quality).toBe('WEBDL-1080p');
		expect(event.size).toBe(600);
	});

	it('constructed: SeriesDelete and MovieDelete with deletedFiles false delete nothing', () => {
		const series = parse({
			series: { id: 7, title: 'Show', path: '/tv/Show' },
			deletedFiles: false,
			eventType: 'SeriesDelete',
		});
		expect(series).toMatchObject({ event: 'delete', folder: '/tv/Show', files: [] });
		const movie = parse({
			movie: { id: 9, title: 'Film', folderPath: '/movies/Film (2020)' },
			deletedFiles: false,
			movieFolderSize: 0,
			eventType: 'MovieDelete',
		});
		expect(movie).toMatchObject({ event: 'delete', folder: '/movies/Film (2020)', files: [] });
	});

	it('constructed: Grab, SeriesAdd and MovieAdded change no files', () => {
		const added = parse({
			series: { id: 7, title: 'Show', path: '/tv/Show', year: 2008 },
			eventType: 'SeriesAdd',
		});
		expect(added).toMatchObject({
			event: 'added',
			files: [],
			media: { type: 'series', year: 2008 },
		});
		const movie = parse({
			movie: { id: 9, title: 'Film', folderPath: '/movies/Film (2020)', tmdbId: 603 },
			addMethod: 'manual',
			eventType: 'MovieAdded',
		});
		expect(movie).toMatchObject({ event: 'added', files: [], media: { ids: { tmdb: '603' } } });
	});
});

describe('parseServarr: ids and episodes (constructed bodies)', () => {
	it('constructed: ids 0, "" or absent are unknown', () => {
		const event = parse({
			series: {
				id: 7,
				title: 'Show',
				path: '/tv/Show',
				tvdbId: 0,
				tvMazeId: 0,
				tmdbId: 0,
				imdbId: '',
			},
			episodes: [{ id: 70, episodeNumber: 1, seasonNumber: 1, title: 'Pilot', tvdbId: 0 }],
			eventType: 'Grab',
		});
		expect(event.media?.series?.ids).toEqual({});
		expect(event.media?.ids).toEqual({});
		expect(event.episodes[0].ids).toEqual({});
	});

	it('constructed: Radarr falls back to remoteMovie ids only when the movie has none', () => {
		const body = (movieIds: JsonObject) => ({
			movie: { id: 9, title: 'Film', folderPath: '/movies/Film', ...movieIds },
			remoteMovie: { tmdbId: 603, imdbId: 'tt0133093', title: 'Film', year: 1999 },
			eventType: 'Grab',
		});
		expect(parse(body({ tmdbId: 0, imdbId: '' })).media?.ids).toEqual({
			tmdb: '603',
			imdb: 'tt0133093',
		});
		expect(parse(body({ tmdbId: 604 })).media?.ids).toEqual({ tmdb: '604' });
	});

	it('constructed: a multi-episode file gives episodeNumberEnd and no single episode id', () => {
		const event = parse(
			sonarrDownload(
				'/tv/Show',
				{ relativePath: 'Season 1/Show - S01E01-E02.mkv' },
				{
					episodes: [
						{
							id: 70,
							episodeNumber: 1,
							seasonNumber: 1,
							title: 'Pilot',
							airDate: '2008-01-20',
							tvdbId: 1,
						},
						{
							id: 71,
							episodeNumber: 2,
							seasonNumber: 1,
							title: 'Two',
							airDate: '2008-01-27',
							tvdbId: 2,
						},
					],
				},
			),
		);
		expect(event.media).toMatchObject({
			id: '70',
			title: 'Pilot',
			year: 2008,
			seasonNumber: 1,
			episodeNumber: 1,
			episodeNumberEnd: 2,
			ids: {},
			path: '/tv/Show/Season 1/Show - S01E01-E02.mkv',
		});
		expect(event.episodes).toHaveLength(2);
	});

	it('constructed: episodes across seasons have no episodeNumberEnd', () => {
		const event = parse({
			series: { id: 7, title: 'Show', path: '/tv/Show' },
			episodes: [
				{ id: 70, episodeNumber: 10, seasonNumber: 1, title: 'Finale' },
				{ id: 71, episodeNumber: 1, seasonNumber: 2, title: 'Premiere' },
			],
			eventType: 'Grab',
		});
		expect(event.media).toMatchObject({
			seasonNumber: 1,
			episodeNumber: 10,
			episodeNumberEnd: null,
		});
	});

	it('constructed: Sonarr v3 EpisodeFileDelete with a quality model object', () => {
		const event = parse({
			series: { id: 7, title: 'Show', path: '/tv/Show' },
			episodes: [{ id: 70, episodeNumber: 1, seasonNumber: 1, title: 'Pilot' }],
			episodeFile: {
				relativePath: 'Season 1/ep.mkv',
				path: '/tv/Show/Season 1/ep.mkv',
				quality: { quality: { id: 3, name: 'WEBDL-1080p' }, revision: { version: 1 } },
				size: 123,
			},
			deleteReason: 'upgrade',
			eventType: 'EpisodeFileDelete',
		});
		expect(event).toMatchObject({
			event: 'fileDelete',
			quality: 'WEBDL-1080p',
			size: 123,
			deleteReason: 'upgrade',
			files: [{ path: '/tv/Show/Season 1/ep.mkv', previousPath: null, change: 'deleted' }],
		});
	});
});

describe('parseServarr: source, event names and non-webhooks (constructed)', () => {
	const health = () => fixture('radarr-health-v5-2024.json');

	it('constructed: Health with a Radarr User-Agent is from radarr', () => {
		expect(parse(health(), 'Radarr/5.28.0.10205 (alpine 3.20.3)').source).toBe('radarr');
	});

	it('constructed: the User-Agent prefix is matched without case; other agents tell nothing', () => {
		expect(parse(health(), 'sonarr/4.0.19.2979 (ubuntu 22.04)').source).toBe('sonarr');
		expect(parse(health(), 'curl/8.5.0').source).toBeNull();
		expect(parse(health(), 'Mozilla/5.0 Radarr/5.28').source).toBeNull();
		expect(parse(health()).source).toBeNull();
	});

	it('constructed: the body wins over the User-Agent', () => {
		const body = fixture('radarr-grab-v5-2024.json');
		expect(parse(body, 'Sonarr/4.0.19.2979 (ubuntu 22.04)').source).toBe('radarr');
	});

	it('constructed: ApplicationUpdate and unknown event types are "other"', () => {
		const update = parse(
			{
				message: 'Sonarr updated from 4.0.18.2961 to 4.0.19.2979',
				previousVersion: '4.0.18.2961',
				newVersion: '4.0.19.2979',
				eventType: 'ApplicationUpdate',
				instanceName: 'Sonarr',
			},
			'Sonarr/4.0.19.2979 (ubuntu 22.04)',
		);
		expect(update).toEqual({
			source: 'sonarr',
			event: 'other',
			rawEvent: 'ApplicationUpdate',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: null,
			episodes: [],
			folder: null,
			files: [],
			quality: null,
			size: null,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: null,
			message: 'Sonarr updated from 4.0.18.2961 to 4.0.19.2979',
			health: null,
		});
		const unknown = parse({
			movie: { id: 9, title: 'Film', folderPath: '/movies/Film' },
			message: 'not read for unknown events',
			eventType: 'MovieSomethingNew',
		});
		expect(unknown).toMatchObject({
			event: 'other',
			rawEvent: 'MovieSomethingNew',
			files: [],
			message: null,
		});
	});

	it('constructed: event names are matched exactly (PascalCase)', () => {
		expect(parse({ eventType: 'download' }).event).toBe('other');
		expect(parse({ eventType: 'GRAB' }).event).toBe('other');
	});

	it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
		'constructed: the Object.prototype name %s as eventType is "other"',
		(name) => {
			const event = parse(JSON.parse(`{"eventType": "${name}"}`) as JsonObject);
			expect(event.event).toBe('other');
			expect(event.rawEvent).toBe(name);
		},
	);

	it.each([
		['null', null],
		['an array', [{ eventType: 'Grab' }]],
		['a string', 'Grab'],
		['a number', 42],
	])('constructed: %s throws PayloadError', (_name, body) => {
		expect(() => parse(body as unknown as JsonObject)).toThrow(PayloadError);
		expect(() => parse(body as unknown as JsonObject)).toThrow(
			/^Not a Sonarr\/Radarr webhook: the body is not a JSON object$/,
		);
	});

	it.each([
		['an empty object', {}],
		['a body without eventType', { series: { id: 1, title: 'Show' }, instanceName: 'Sonarr' }],
		['an empty eventType', { eventType: '' }],
		['a non-string eventType', { eventType: { name: 'Grab' } }],
	])('constructed: %s throws PayloadError naming "eventType"', (_name, body: JsonObject) => {
		expect(() => parse(body)).toThrow(PayloadError);
		expect(() => parse(body)).toThrow(/^Not a Sonarr\/Radarr webhook: "eventType" is missing$/);
	});
});
