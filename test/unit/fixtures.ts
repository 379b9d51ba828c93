import type { MediaEvent, ParseContext } from '../../nodes/core/event';
import type { ServarrEvent } from '../../nodes/core/servarrEvent';
import { isObject, type JsonObject } from '../../nodes/core/values';
import { expectedEvent, expectedFiles } from '../fixtures/expected/events';
import { fixtureFiles } from '../fixtures/load';

/** A fixed receipt time, so expected events can be written out in full. */
export const RECEIVED_AT = '2024-06-01T12:00:00.000Z';

export function context(extra: Partial<ParseContext> = {}): ParseContext {
	return { receivedAt: new Date(RECEIVED_AT), ...extra };
}

/**
 * Tests that each body of a fixture folder (real; Sonarr/Radarr's also constructed) parses to its hand-checked
 * event (test/fixtures/expected/), and that every body has one and every expected event a body.
 */
export function testRealFixtureEvents(
	folder: string,
	parse: (file: string) => MediaEvent | ServarrEvent,
	bodies = fixtureFiles(folder),
): void {
	it.each(bodies)('%s', (file) => {
		expect(parse(file)).toEqual(expectedEvent(folder, file, { receivedAt: RECEIVED_AT }));
	});

	it(`every body in ${folder} has an expected event, and every expected event a body`, () => {
		expect(expectedFiles(folder)).toEqual(bodies);
	});
}

/**
 * Renders a Tautulli JSON template the way Tautulli's webhook agent does: the template is parsed as JSON and
 * every `{placeholder}` inside a string value is replaced by the parameter's text, so all values arrive as
 * strings. An unknown placeholder fails the test, as a missing parameter fails in Tautulli.
 */
export function renderTautulli(template: string, values: Record<string, string>): JsonObject {
	const fill = (node: unknown): unknown => {
		if (typeof node === 'string') {
			return node.replace(/\{(\w+)\}/g, (_, name: string) => {
				if (!(name in values)) throw new Error(`No value for Tautulli placeholder {${name}}`);
				return values[name];
			});
		}
		if (Array.isArray(node)) return node.map(fill);
		if (isObject(node))
			return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
		return node;
	};
	const rendered = fill(JSON.parse(template));
	if (!isObject(rendered)) throw new Error('Template is not a JSON object');
	return rendered;
}

/*
 * Constructed Tautulli parameter values (no captured Tautulli request exists), in the formats Tautulli's
 * build_media_notify_params writes them: all strings, "" for no value, dates as YYYY-MM-DD.
 */
/** Constructed values: server and stream (user "alice" on a local TV). */
export const TAUTULLI_SERVER_AND_STREAM = {
	server_name: 'Living Room Plex',
	server_machine_id: '5a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
	server_version: '1.40.2.8395-c67dce28e',
	user_id: '8273645',
	user_thumb: 'https://plex.tv/users/0f1e2d3c4b5a6978/avatar?c=1717000000',
	username: 'alice',
	stream_local: '1',
	ip_address: '192.168.1.20',
	player: 'Living Room TV',
	machine_id: 'a8b7c6d5e4f3a2b1c0d9e8f7',
};

/** Constructed values: Futurama S02E15, as Tautulli fills them for a stream of the episode. */
export const TAUTULLI_EPISODE = {
	...TAUTULLI_SERVER_AND_STREAM,
	rating_key: '59852',
	parent_rating_key: '59837',
	grandparent_rating_key: '59800',
	guid: 'plex://episode/5d9c086c7d06d9001ffd2b6e',
	media_type: 'episode',
	episode_name: 'A Clone of My Own',
	library_name: 'TV Shows',
	section_id: '2',
	show_name: 'Futurama',
	season_name: 'Season 2',
	content_rating: 'TV-14',
	summary: 'Professor Farnsworth unveils his clone, Cubert Farnsworth.',
	episode_num: '15',
	season_num: '2',
	audience_rating: '83',
	view_offset: '1127000',
	last_viewed_date: '2024-06-01',
	show_year: '1999',
	poster_thumb: '/library/metadata/59837/thumb/1527705165',
	art: '/library/metadata/59800/art/1527705166',
	parent_thumb: '/library/metadata/59837/thumb/1527705165',
	grandparent_thumb: '/library/metadata/59800/thumb/1527705166',
	duration_ms: '1320000',
	air_date: '2000-04-09',
	added_date: '2018-05-29',
	updated_date: '2018-05-30',
	user_rating: '',
	// For an episode Tautulli fills these from the show's guids.
	imdb_id: 'tt0149460',
	thetvdb_id: '73871',
	themoviedb_id: '615',
	tvmaze_id: '538',
	file: '/data/tv/Futurama/Season 02/Futurama - S02E15 - A Clone of My Own.mkv',
	file_size_bytes: '734003200',
};

/** Constructed values: Big Trouble in Little China (ids as in the real Plex fixture of this movie). */
export const TAUTULLI_MOVIE = {
	...TAUTULLI_SERVER_AND_STREAM,
	rating_key: '26697',
	parent_rating_key: '',
	grandparent_rating_key: '',
	guid: 'plex://movie/5d7768313c3c2a001fbcd1f0',
	media_type: 'movie',
	episode_name: 'Big Trouble in Little China',
	library_name: 'Movies',
	section_id: '1',
	show_name: '',
	season_name: '',
	content_rating: 'PG-13',
	summary:
		'When trucker Jack Burton agreed to take his friend, Wang Chi, to pick up his fiancee at the airport…',
	episode_num: '0',
	season_num: '0',
	audience_rating: '72',
	view_offset: '5049000',
	last_viewed_date: '2024-06-01',
	show_year: '',
	poster_thumb: '/library/metadata/26697/thumb/1653883268',
	art: '/library/metadata/26697/art/1653883268',
	parent_thumb: '',
	grandparent_thumb: '',
	duration_ms: '5940000',
	air_date: '1986-07-02',
	added_date: '2018-06-05',
	updated_date: '2022-05-30',
	user_rating: '',
	imdb_id: 'tt0090728',
	thetvdb_id: '1876',
	themoviedb_id: '6978',
	tvmaze_id: '',
	file: '/data/movies/Big Trouble in Little China (1986)/Big Trouble in Little China (1986).mkv',
	file_size_bytes: '8589934592',
};
