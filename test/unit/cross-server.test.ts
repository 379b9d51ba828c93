import type { MediaEvent } from '../../nodes/core/event';
import { parseEmby } from '../../nodes/core/parsers/emby';
import { parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import { parsePlex } from '../../nodes/core/parsers/plex';
import { parseTautulli } from '../../nodes/core/parsers/tautulli';
import type { JsonObject } from '../../nodes/core/values';
import { jellyfinWireText, ticksAsTime, userDataSaved } from '../fixtures/jellyfinPlugin';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { context, renderTautulli } from './fixtures';

/**
 * One movie marked watched on each server must give events that agree. No real fixture set shows one movie
 * on all four servers, so only Plex is used as captured (media-scrobble-movie.json is "Big Trouble in Little
 * China"); the other bodies are constructed from a real fixture of their server with this movie's values
 * substituted, each step written out below.
 */
const MOVIE = {
	title: 'Big Trouble in Little China',
	year: 1986,
	imdb: 'tt0090728',
	tmdb: '6978',
	tvdb: '1876',
	runTimeTicks: 59_400_000_000,
};

/**
 * Constructed: the UserDataSaved the plugin sends after real jellyfin/playback-stop-movie-10.8.8.json played to
 * the end (see fixtures/jellyfinPlugin.ts), with this movie's name, year, runtime and ids, as the plugin encodes it.
 */
function jellyfinBody(): JsonObject {
	const stop = fixtureJson('jellyfin', 'playback-stop-movie-10.8.8.json');
	const item = {
		...stop,
		Name: MOVIE.title,
		Year: MOVIE.year,
		RunTimeTicks: MOVIE.runTimeTicks,
		RunTime: ticksAsTime(MOVIE.runTimeTicks),
		Provider_tmdb: MOVIE.tmdb,
		Provider_imdb: MOVIE.imdb,
		Provider_tvdb: MOVIE.tvdb,
	};
	const user = { id: stop.UserId as string, name: stop.NotificationUsername as string };
	const body = userDataSaved(item, user, {
		SaveReason: 'PlaybackFinished',
		Played: true,
		PlayCount: 1,
		LastPlayedDate: stop.UtcTimestamp as string,
	});
	return JSON.parse(jellyfinWireText(body)) as JsonObject;
}

/** Constructed: the real emby/item-markplayed-episode-4.7.14.json envelope around the real movie Item of
 * emby/playback-stop-movie-4.7.11.json, with this movie's name, year, runtime and ids. */
function embyBody(): JsonObject {
	const envelope = fixtureJson('emby', 'item-markplayed-episode-4.7.14.json');
	const movieItem = fixtureJson('emby', 'playback-stop-movie-4.7.11.json').Item as JsonObject;
	return {
		...envelope,
		Item: {
			...movieItem,
			Name: MOVIE.title,
			OriginalTitle: MOVIE.title,
			ProductionYear: MOVIE.year,
			RunTimeTicks: MOVIE.runTimeTicks,
			ProviderIds: { Tmdb: MOVIE.tmdb, Imdb: MOVIE.imdb, Tvdb: MOVIE.tvdb },
		},
	};
}

/** Constructed: the real WatchState template rendered for `watched` of this movie; other placeholders empty. */
function tautulliBody(): JsonObject {
	const template = fixtureText('tautulli', 'watchstate-body-template.json');
	const blank = Object.fromEntries(
		[...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, '']),
	);
	return renderTautulli(template, {
		...blank,
		action: 'watched',
		server_name: 'Plex',
		server_machine_id: '27a04b118b1bf1f25f8e99306785453623e18b67',
		user_id: '1',
		username: 'title',
		rating_key: '26697',
		guid: 'plex://movie/5d7768313c3c2a001fbcd1f0',
		media_type: 'movie',
		episode_name: MOVIE.title,
		library_name: 'Movies',
		section_id: '1',
		season_num: '0',
		episode_num: '0',
		view_offset: '5049000',
		duration_ms: '5940000',
		air_date: '1986-07-02',
		imdb_id: MOVIE.imdb,
		thetvdb_id: MOVIE.tvdb,
		themoviedb_id: MOVIE.tmdb,
	});
}

/** The fields every server must agree on. */
function agreed(event: MediaEvent) {
	return {
		event: event.event,
		played: event.played,
		type: event.media?.type,
		title: event.media?.title,
		year: event.media?.year,
		ids: event.media?.ids,
	};
}

describe('the same movie watched on every server', () => {
	const expected = {
		event: 'watched',
		played: true,
		type: 'movie',
		title: MOVIE.title,
		year: MOVIE.year,
		ids: { imdb: MOVIE.imdb, tmdb: MOVIE.tmdb, tvdb: MOVIE.tvdb },
	};

	it('Plex: real media.scrobble', () => {
		expect(agreed(parsePlex(fixtureJson('plex', 'media-scrobble-movie.json'), context()))).toEqual(
			expected,
		);
	});

	it('Jellyfin: constructed-from-real UserDataSaved (PlaybackFinished, Played)', () => {
		expect(agreed(parseJellyfin(jellyfinBody(), context()))).toEqual(expected);
	});

	it('Emby: constructed-from-real item.markplayed', () => {
		expect(agreed(parseEmby(embyBody(), context()))).toEqual(expected);
	});

	it('Tautulli: constructed values in the real template, watched', () => {
		expect(agreed(parseTautulli(tautulliBody(), context()))).toEqual(expected);
	});

	it('each keeps its own source and raw event name', () => {
		const events = [
			parseJellyfin(jellyfinBody(), context()),
			parseEmby(embyBody(), context()),
			parsePlex(fixtureJson('plex', 'media-scrobble-movie.json'), context()),
			parseTautulli(tautulliBody(), context()),
		];
		expect(events.map((event) => [event.source, event.rawEvent])).toEqual([
			['jellyfin', 'UserDataSaved'],
			['emby', 'item.markplayed'],
			['plex', 'media.scrobble'],
			['tautulli', 'tautulli.watched'],
		]);
	});
});
