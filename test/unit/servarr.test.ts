import { PayloadError } from '../../nodes/core/event';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import type { ServarrEvent } from '../../nodes/core/servarrEvent';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureFiles, fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT } from './fixtures';

const parse = (body: JsonObject, userAgent?: string): ServarrEvent =>
	parseServarr(body, context(userAgent === undefined ? {} : { userAgent }));
const fixture = (file: string): JsonObject => fixtureJson('servarr', file);

// Series and movies as they appear in the fixtures; ids written out from the JSON by hand.
const SEVERANCE = {
	id: '12',
	title: 'Severance',
	ids: { tvdb: '371980', tmdb: '95396', imdb: 'tt11280740', tvmaze: '44933' },
};
const SEVERANCE_S02E03 = {
	seasonNumber: 2,
	episodeNumber: 3,
	title: 'Who Is Alive?',
	airDate: '2025-01-30',
	ids: { tvdb: '10000003' },
};
const DUNE_FOLDER = '/movies/Dune Part Two (2024)';
const DUNE_REMUX = '/movies/Dune Part Two (2024)/Dune Part Two (2024) [Remux-2160p].mkv';
const DUNE = {
	type: 'movie',
	id: '412',
	title: 'Dune: Part Two',
	year: 2024,
	series: null,
	seasonNumber: null,
	episodeNumber: null,
	episodeNumberEnd: null,
	ids: { tmdb: '693134', imdb: 'tt15239678' },
	library: null,
};
const INDEXERS_UNAVAILABLE = 'Indexers unavailable due to failures: Blutopia (API) (Prowlarr)';
const INDEXER_HEALTH = {
	level: 'warning',
	type: 'IndexerStatusCheck',
	wikiUrl: 'https://wiki.servarr.com/radarr/system#indexers-are-unavailable-due-to-failures',
};

describe('parseServarr: Sonarr fixtures', () => {
	it('real: Download (On Import) before 4.0.9, where episodeFile.path is the download path', () => {
		const folder = '/volume2/Media/TV Series/Avatar - The Last Airbender';
		const file =
			'/volume2/Media/TV Series/Avatar - The Last Airbender/Season 2/Avatar - The Last Airbender (2005) S02E18 The Earth King (1080p BDRip x265 10bit EAC3 2.0 - WEM)[TAoE].mkv';
		expect(parse(fixture('sonarr-download-v4.0-2024-02.json'))).toEqual({
			source: 'sonarr',
			event: 'import',
			rawEvent: 'Download',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '9353',
				title: 'The Earth King',
				year: 2006,
				// No tmdbId in this version's body.
				series: {
					id: '123',
					title: 'Avatar: The Last Airbender',
					ids: { tvdb: '74852', imdb: 'tt0417299', tvmaze: '555' },
				},
				seasonNumber: 2,
				episodeNumber: 18,
				episodeNumberEnd: null,
				ids: { tvdb: '314752' },
				library: null,
				path: file,
			},
			episodes: [
				{
					seasonNumber: 2,
					episodeNumber: 18,
					title: 'The Earth King',
					airDate: '2006-11-17',
					ids: { tvdb: '314752' },
				},
			],
			folder,
			// Not the "/volume2/Media/#downloads/..." path the body gives as episodeFile.path.
			files: [{ path: file, previousPath: null, change: 'created' }],
			quality: 'Bluray-1080p',
			size: 351431260,
			indexer: 'TorrentLeech (Prowlarr)',
			releaseTitle:
				'Avatar - The Last Airbender (2005) S02 (1080p BDRip x265 10bit EAC3 2 0 - WEM)[TAoE]',
			downloadClient: 'Download Station',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('real: Download with isUpgrade (4.0.9): new file created, the old one (other folder) deleted', () => {
		const folder = '/volume2/Media/TV Series/House of the Dragon';
		const file =
			'/volume2/Media/TV Series/House of the Dragon/Season 1/House.of.the.Dragon.S01E04.King.of.the.Narrow.Sea.2160p.WEBRip.DDP5.1.Atmos.HDR.X.265-EVO.mkv';
		expect(parse(fixture('sonarr-download-upgrade-v4.0.9-2024-09.json'))).toEqual({
			source: 'sonarr',
			event: 'upgrade',
			rawEvent: 'Download',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '3195',
				title: 'King of the Narrow Sea',
				year: 2022,
				series: {
					id: '34',
					title: 'House of the Dragon',
					ids: { tvdb: '371572', tmdb: '94997', imdb: 'tt11198330', tvmaze: '44778' },
				},
				seasonNumber: 1,
				episodeNumber: 4,
				episodeNumberEnd: null,
				ids: { tvdb: '9082149' },
				library: null,
				path: file,
			},
			episodes: [
				{
					seasonNumber: 1,
					episodeNumber: 4,
					title: 'King of the Narrow Sea',
					airDate: '2022-09-11',
					ids: { tvdb: '9082149' },
				},
			],
			folder,
			files: [
				{ path: file, previousPath: null, change: 'created' },
				{
					path: '/volume2/Media/TV Series/House of the Dragon/House.of.the.Dragon.S01E04.1080p.HMAX.WEB-DL.DDP5.1.Atmos.x264-EVO.mkv',
					previousPath: null,
					change: 'deleted',
				},
			],
			quality: 'WEBRip-2160p',
			size: 2407994613,
			indexer: 'NinjaCentral (Prowlarr)',
			releaseTitle:
				'House.of.the.Dragon.S01E04.King.of.the.Narrow.Sea.2160p.WEBRip.DDP5.1.Atmos.HDR.X.265-EVO',
			downloadClient: 'SABnzbd',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('real: Download sent by On Import Complete (episodeFiles[], no isUpgrade) is an import', () => {
		const file =
			'/volume2/Media/TV Series/Your Honor/Season 2/Your.Honor.S02E01.DVDRip.x264-TABULARiA.mkv';
		expect(parse(fixture('sonarr-download-importcomplete-v4.0.9-2024-10.json'))).toEqual({
			source: 'sonarr',
			event: 'import',
			rawEvent: 'Download',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '21994',
				title: 'Part Eleven',
				year: 2023,
				series: {
					id: '360',
					title: 'Your Honor',
					ids: { tvdb: '359579', tmdb: '86430', imdb: 'tt7440726', tvmaze: '32791' },
				},
				seasonNumber: 2,
				episodeNumber: 1,
				episodeNumberEnd: null,
				ids: { tvdb: '9308052' },
				library: null,
				path: file,
			},
			episodes: [
				{
					seasonNumber: 2,
					episodeNumber: 1,
					title: 'Part Eleven',
					airDate: '2023-01-15',
					ids: { tvdb: '9308052' },
				},
			],
			folder: '/volume2/Media/TV Series/Your Honor',
			// episodeFiles[].path is the SABnzbd "complete" path here too.
			files: [{ path: file, previousPath: null, change: 'created' }],
			quality: 'DVD',
			size: 238202670,
			indexer: 'NinjaCentral (Prowlarr)',
			releaseTitle: 'Your.Honor.S02E01.DVDRip.x264-TABULARiA',
			downloadClient: 'SABnzbd',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('real: ManualInteractionRequired is "other", its status messages become the message', () => {
		expect(parse(fixture('sonarr-manualinteractionrequired-v4.0.9-2024-09.json'))).toEqual({
			source: 'sonarr',
			event: 'other',
			rawEvent: 'ManualInteractionRequired',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '19205',
				title: 'Adaptation',
				year: 2024,
				series: {
					id: '165',
					title: 'Only Murders in the Building',
					ids: { tvdb: '399959', tmdb: '107113', imdb: 'tt11691774', tvmaze: '48830' },
				},
				seasonNumber: 4,
				episodeNumber: 5,
				episodeNumberEnd: null,
				ids: { tvdb: '10593229' },
				library: null,
				path: null,
			},
			episodes: [
				{
					seasonNumber: 4,
					episodeNumber: 5,
					title: 'Adaptation',
					airDate: '2024-09-24',
					ids: { tvdb: '10593229' },
				},
			],
			folder: '/volume2/Media/TV Series/Only Murders in the Building',
			files: [],
			// The quality is only in downloadInfo; release has none.
			quality: null,
			size: 1697394553,
			indexer: 'NinjaCentral (Prowlarr)',
			releaseTitle: 'Only.Murders.in.the.Building.S04E05.1080p.WEB.H264-SuccessfulCrab-xsp-',
			downloadClient: 'SABnzbd',
			deleteReason: null,
			message:
				'One or more episodes expected in this release were not imported or missing from the release; only.murders.in.the.building.s04e05.1080p.web.h264-successfulcrab-sample.mkv: Sample',
			health: null,
		});
	});

	it('real: EpisodeFileDelete: the library file deleted, reason manual', () => {
		expect(parse(fixture('sonarr-episodefiledelete-v4-2025-05.json'))).toEqual({
			source: 'sonarr',
			event: 'fileDelete',
			rawEvent: 'EpisodeFileDelete',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '5621',
				title: 'Episode 1',
				year: 2020,
				series: {
					id: '71',
					title: 'The New Pope',
					ids: { tvdb: '376058', tmdb: '88408', imdb: 'tt7157248', tvmaze: '41210' },
				},
				seasonNumber: 1,
				episodeNumber: 1,
				episodeNumberEnd: null,
				ids: { tvdb: '7551832' },
				library: null,
				// The only file is gone.
				path: null,
			},
			episodes: [
				{
					seasonNumber: 1,
					episodeNumber: 1,
					title: 'Episode 1',
					airDate: '2020-01-10',
					ids: { tvdb: '7551832' },
				},
			],
			folder: '/volume2/Media/TV Series/The New Pope',
			files: [
				{
					path: '/volume2/Media/TV Series/The New Pope/the new pope s01e01.mkv',
					previousPath: null,
					change: 'deleted',
				},
			],
			quality: 'HDTV-1080p',
			size: 2180212094,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: 'manual',
			message: null,
			health: null,
		});
	});

	it('real: SeriesDelete with deletedFiles true: the series folder deleted, media is the series', () => {
		const folder = '/volume2/Media/TV Series/Mountain Monsters';
		expect(parse(fixture('sonarr-seriesdelete-v4-2025-05.json'))).toEqual({
			source: 'sonarr',
			event: 'delete',
			rawEvent: 'SeriesDelete',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'series',
				id: '169',
				title: 'Mountain Monsters',
				year: 2013,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tvdb: '271005', tmdb: '64728', imdb: 'tt3019170', tvmaze: '5522' },
				library: null,
				path: null,
			},
			episodes: [],
			folder,
			files: [{ path: folder, previousPath: null, change: 'deleted' }],
			quality: null,
			size: null,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('constructed: Grab (4.0.19): no files, quality and size of the release', () => {
		expect(parse(fixture('sonarr-grab-constructed-v4.0.19.json'))).toEqual({
			source: 'sonarr',
			event: 'grab',
			rawEvent: 'Grab',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '2301',
				title: 'Who Is Alive?',
				year: 2025,
				series: SEVERANCE,
				seasonNumber: 2,
				episodeNumber: 3,
				episodeNumberEnd: null,
				ids: { tvdb: '10000003' },
				library: null,
				path: null,
			},
			episodes: [SEVERANCE_S02E03],
			folder: '/tv/Severance',
			files: [],
			quality: 'WEBDL-2160p',
			size: 6012990000,
			indexer: 'TorrentLeech (Prowlarr)',
			releaseTitle: 'Severance.S02E03.2160p.ATVP.WEB-DL.DDP5.1.DV.HDR.H.265-FLUX',
			downloadClient: 'qBittorrent',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('constructed: Download upgrade (4.0.19): file size, not release size; recycle bin path ignored', () => {
		const file = '/tv/Severance/Season 02/Severance - S02E03 - Who Is Alive [WEBDL-2160p].mkv';
		expect(parse(fixture('sonarr-download-upgrade-constructed-v4.0.19.json'))).toEqual({
			source: 'sonarr',
			event: 'upgrade',
			rawEvent: 'Download',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '2301',
				title: 'Who Is Alive?',
				year: 2025,
				series: SEVERANCE,
				seasonNumber: 2,
				episodeNumber: 3,
				episodeNumberEnd: null,
				ids: { tvdb: '10000003' },
				library: null,
				path: file,
			},
			episodes: [SEVERANCE_S02E03],
			folder: '/tv/Severance',
			files: [
				{ path: file, previousPath: null, change: 'created' },
				{
					path: '/tv/Severance/Season 02/Severance - S02E03 - Who Is Alive [WEBDL-1080p].mkv',
					previousPath: null,
					change: 'deleted',
				},
			],
			quality: 'WEBDL-2160p',
			size: 6012345678,
			indexer: 'TorrentLeech (Prowlarr)',
			releaseTitle: 'Severance.S02E03.2160p.ATVP.WEB-DL.DDP5.1.DV.HDR.H.265-FLUX',
			downloadClient: 'qBittorrent',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('constructed: Rename (4.0.19) of two files: media is the series, no single path', () => {
		expect(parse(fixture('sonarr-rename-constructed-v4.0.19.json'))).toEqual({
			source: 'sonarr',
			event: 'rename',
			rawEvent: 'Rename',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'series',
				id: '12',
				title: 'Severance',
				year: 2022,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: SEVERANCE.ids,
				library: null,
				path: null,
			},
			episodes: [],
			folder: '/tv/Severance',
			files: [
				{
					path: '/tv/Severance/Season 02/Severance - S02E03 - Who Is Alive [WEBDL-2160p].mkv',
					previousPath:
						'/tv/Severance/Season 02/Severance.S02E03.2160p.ATVP.WEB-DL.DDP5.1.DV.HDR.H.265-FLUX.mkv',
					change: 'created',
				},
				{
					path: "/tv/Severance/Season 02/Severance - S02E04 - Woe's Hollow [WEBDL-2160p].mkv",
					previousPath:
						'/tv/Severance/Season 02/Severance.S02E04.2160p.ATVP.WEB-DL.DDP5.1.DV.HDR.H.265-FLUX.mkv',
					change: 'created',
				},
			],
			quality: null,
			size: null,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('constructed: Test (4.0.19): placeholder folder and ids dropped, titles kept', () => {
		expect(parse(fixture('sonarr-test-constructed-v4.0.19.json'))).toEqual({
			source: 'sonarr',
			event: 'test',
			rawEvent: 'Test',
			receivedAt: RECEIVED_AT,
			instanceName: 'Sonarr',
			applicationUrl: null,
			media: {
				type: 'episode',
				id: '123',
				title: 'Test title',
				year: null,
				series: { id: '1', title: 'Test Title', ids: {} },
				seasonNumber: 1,
				episodeNumber: 1,
				episodeNumberEnd: null,
				ids: {},
				library: null,
				path: null,
			},
			episodes: [
				{ seasonNumber: 1, episodeNumber: 1, title: 'Test title', airDate: null, ids: {} },
			],
			folder: null,
			files: [],
			quality: null,
			size: null,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: null,
			message: null,
			health: null,
		});
	});
});

describe('parseServarr: Radarr fixtures', () => {
	it('real: Download (On Import) before 5.10, where movieFile.path is the download path', () => {
		const file =
			'/volume2/Media/Movies/Spirited Away (2001)/Spirited.Away.2002.1080p.BluRay.Dual-Audio.DD+.5.1.x265-NAN0.mkv';
		expect(parse(fixture('radarr-download-v5-2024-02.json'))).toEqual({
			source: 'radarr',
			event: 'import',
			rawEvent: 'Download',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
			applicationUrl: null,
			media: {
				type: 'movie',
				id: '284',
				title: 'Spirited Away',
				year: 2001,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '129', imdb: 'tt0245429' },
				library: null,
				path: file,
			},
			episodes: [],
			folder: '/volume2/Media/Movies/Spirited Away (2001)',
			files: [{ path: file, previousPath: null, change: 'created' }],
			quality: 'Bluray-1080p',
			size: 12729205605,
			indexer: 'Blutopia (API) (Prowlarr)',
			releaseTitle:
				'Spirited Away AKA Sen to Chihiro no Kamikakushi 2002 1080p BluRay Dual-Audio DD+ 5.1 x265-NAN0',
			downloadClient: 'Download Station',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('real: Grab with indexerFlags as a list', () => {
		expect(parse(fixture('radarr-grab-v5-2024.json'))).toEqual({
			source: 'radarr',
			event: 'grab',
			rawEvent: 'Grab',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
			applicationUrl: null,
			media: {
				type: 'movie',
				id: '285',
				title: 'Akira',
				year: 1988,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '149', imdb: 'tt0094625' },
				library: null,
				path: null,
			},
			episodes: [],
			folder: '/volume2/Media/Movies/Akira (1988)',
			files: [],
			quality: 'Bluray-1080p',
			size: 4252075264,
			indexer: 'Pirate Bay (Prowlarr)',
			releaseTitle: 'Akira 1988 1080p BDRip H264 AAC English Dubbed -KiNGDOM',
			downloadClient: 'Download Station',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('real: MovieFileDelete: the library file deleted, reason manual', () => {
		expect(parse(fixture('radarr-moviefiledelete-v5-2025-05.json'))).toEqual({
			source: 'radarr',
			event: 'fileDelete',
			rawEvent: 'MovieFileDelete',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
			applicationUrl: null,
			media: {
				type: 'movie',
				id: '130',
				title: 'Upside-Down Magic',
				year: 2020,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '671583', imdb: 'tt10833270' },
				library: null,
				path: null,
			},
			episodes: [],
			folder: '/volume2/Media/Movies/Upside-Down Magic (2020)',
			files: [
				{
					path: '/volume2/Media/Movies/Upside-Down Magic (2020)/Upside-Down Magic (2020).mp4',
					previousPath: null,
					change: 'deleted',
				},
			],
			quality: 'HDTV-1080p',
			size: 1899728610,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: 'manual',
			message: null,
			health: null,
		});
	});

	it('real: MovieDelete of an unreleased movie: year 0 is null, folder deleted', () => {
		const folder = '/volume2/Media/Movies/I Am Legend 2 ()';
		expect(parse(fixture('radarr-moviedelete-v5-2025-05.json'))).toEqual({
			source: 'radarr',
			event: 'delete',
			rawEvent: 'MovieDelete',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
			applicationUrl: null,
			media: {
				type: 'movie',
				id: '721',
				title: 'I Am Legend 2',
				year: null,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '945956', imdb: 'tt18412222' },
				library: null,
				path: null,
			},
			episodes: [],
			folder,
			files: [{ path: folder, previousPath: null, change: 'deleted' }],
			// movieFolderSize is 0 and not a field of the event.
			quality: null,
			size: null,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('real: Health without a User-Agent: no series or movie, so the source is unknown', () => {
		expect(parse(fixture('radarr-health-v5-2024.json'))).toEqual({
			source: null,
			event: 'health',
			rawEvent: 'Health',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
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
			message: INDEXERS_UNAVAILABLE,
			health: INDEXER_HEALTH,
		});
	});

	it('real: HealthRestored (no applicationUrl in the body)', () => {
		expect(parse(fixture('radarr-healthrestored-v5-2024.json'))).toEqual({
			source: null,
			event: 'healthRestored',
			rawEvent: 'HealthRestored',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
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
			message: INDEXERS_UNAVAILABLE,
			health: INDEXER_HEALTH,
		});
	});

	// Both Test bodies give the same event: the placeholder ids of remoteMovie (1234, "5678") are not used.
	it.each(['radarr-test-v5-2024.json', 'radarr-test-constructed-v5.28.json'])(
		'%s (real v5-2024, constructed v5.28): Test with placeholder folder and ids dropped',
		(file) => {
			expect(parse(fixture(file))).toEqual({
				source: 'radarr',
				event: 'test',
				rawEvent: 'Test',
				receivedAt: RECEIVED_AT,
				instanceName: 'Radarr',
				applicationUrl: null,
				media: {
					type: 'movie',
					id: '1',
					title: 'Test Title',
					year: 1970,
					series: null,
					seasonNumber: null,
					episodeNumber: null,
					episodeNumberEnd: null,
					ids: {},
					library: null,
					path: null,
				},
				episodes: [],
				folder: null,
				files: [],
				quality: 'Test Quality',
				size: 9999999,
				indexer: 'Test Indexer',
				releaseTitle: 'Test Title',
				downloadClient: null,
				deleteReason: null,
				message: null,
				health: null,
			});
		},
	);

	it('constructed: Download upgrade (5.28)', () => {
		expect(parse(fixture('radarr-download-upgrade-constructed-v5.28.json'))).toEqual({
			source: 'radarr',
			event: 'upgrade',
			rawEvent: 'Download',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
			applicationUrl: null,
			media: { ...DUNE, path: DUNE_REMUX },
			episodes: [],
			folder: DUNE_FOLDER,
			files: [
				{ path: DUNE_REMUX, previousPath: null, change: 'created' },
				{
					path: '/movies/Dune Part Two (2024)/Dune Part Two (2024) [WEBDL-1080p].mkv',
					previousPath: null,
					change: 'deleted',
				},
			],
			quality: 'Remux-2160p',
			size: 74123456789,
			indexer: 'NZBgeek (Prowlarr)',
			releaseTitle: 'Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX.DV.HDR.HEVC.TrueHD.Atmos.7.1-FGT',
			downloadClient: 'SABnzbd',
			deleteReason: null,
			message: null,
			health: null,
		});
	});

	it('constructed: Rename (5.28) of one file: media.path is the new path', () => {
		expect(parse(fixture('radarr-rename-constructed-v5.28.json'))).toEqual({
			source: 'radarr',
			event: 'rename',
			rawEvent: 'Rename',
			receivedAt: RECEIVED_AT,
			instanceName: 'Radarr',
			applicationUrl: null,
			media: { ...DUNE, path: DUNE_REMUX },
			episodes: [],
			folder: DUNE_FOLDER,
			files: [
				{
					path: DUNE_REMUX,
					previousPath:
						'/movies/Dune Part Two (2024)/Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX.DV.HDR.HEVC.TrueHD.Atmos.7.1-FGT.mkv',
					change: 'created',
				},
			],
			quality: null,
			size: null,
			indexer: null,
			releaseTitle: null,
			downloadClient: null,
			deleteReason: null,
			message: null,
			health: null,
		});
	});
});

// A new fixture file must get its own full-event test above before it joins this list.
it('covers every servarr fixture file', () => {
	expect(fixtureFiles('servarr')).toEqual([
		'radarr-download-upgrade-constructed-v5.28.json',
		'radarr-download-v5-2024-02.json',
		'radarr-grab-v5-2024.json',
		'radarr-health-v5-2024.json',
		'radarr-healthrestored-v5-2024.json',
		'radarr-moviedelete-v5-2025-05.json',
		'radarr-moviefiledelete-v5-2025-05.json',
		'radarr-rename-constructed-v5.28.json',
		'radarr-test-constructed-v5.28.json',
		'radarr-test-v5-2024.json',
		'sonarr-download-importcomplete-v4.0.9-2024-10.json',
		'sonarr-download-upgrade-constructed-v4.0.19.json',
		'sonarr-download-upgrade-v4.0.9-2024-09.json',
		'sonarr-download-v4.0-2024-02.json',
		'sonarr-episodefiledelete-v4-2025-05.json',
		'sonarr-grab-constructed-v4.0.19.json',
		'sonarr-manualinteractionrequired-v4.0.9-2024-09.json',
		'sonarr-rename-constructed-v4.0.19.json',
		'sonarr-seriesdelete-v4-2025-05.json',
		'sonarr-test-constructed-v4.0.19.json',
	]);
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
