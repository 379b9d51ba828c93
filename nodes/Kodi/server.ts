import type { IExecuteFunctions } from 'n8n-workflow';
import type { IndexedItem, PlayState } from '../core/itemIndex';
import { normalizeIds } from '../core/providerIds';
import { int, text } from '../core/values';
import type { WatchServer } from '../shared/action/watchServer';
import { KODI_API, kodiRpc } from './transport';

/** Kodi writes dates as `YYYY-MM-DD HH:MM:SS`, in its own clock; they are read and written as UTC here. */
export function fromKodiDate(value: unknown): string | null {
	const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/.exec(text(value) ?? '');
	return match ? new Date(`${match[1]}T${match[2]}Z`).toISOString() : null;
}

export function toKodiDate(iso: string): string {
	return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/** Kodi numbers movies, shows and episodes separately: ids here are `movie:12`, `tvshow:3`, `episode:34`. */
export function kodiItemId(type: 'movie' | 'tvshow' | 'episode', id: number): string {
	return `${type}:${id}`;
}

export function parseKodiItemId(id: string): { type: 'movie' | 'episode'; id: number } | null {
	const match = /^(movie|episode):(\d+)$/.exec(id.trim());
	return match ? { type: match[1] as 'movie' | 'episode', id: Number(match[2]) } : null;
}

interface KodiVideo {
	movieid?: number;
	tvshowid?: number;
	episodeid?: number;
	title?: string;
	year?: number;
	season?: number;
	episode?: number;
	uniqueid?: Record<string, string>;
	playcount?: number;
	lastplayed?: string;
	file?: string;
	firstaired?: string;
}

const MOVIE_FIELDS = ['title', 'year', 'uniqueid', 'playcount', 'lastplayed', 'file'];
const SHOW_FIELDS = ['title', 'year', 'uniqueid', 'file'];
const EPISODE_FIELDS = [
	'title',
	'season',
	'episode',
	'uniqueid',
	'playcount',
	'lastplayed',
	'file',
	'tvshowid',
	'firstaired',
];
const PAGE_SIZE = 1000;

function state(video: KodiVideo): PlayState {
	const playCount = int(video.playcount) ?? 0;
	return { played: playCount > 0, lastPlayedAt: fromKodiDate(video.lastplayed), playCount };
}

export function indexedMovie(video: KodiVideo): IndexedItem {
	return {
		id: kodiItemId('movie', video.movieid ?? 0),
		type: 'movie',
		title: text(video.title),
		year: int(video.year) || null,
		ids: normalizeIds(video.uniqueid),
		seriesId: null,
		seasonNumber: null,
		episodeNumber: null,
		library: null,
		path: text(video.file),
		state: state(video),
	};
}

export function indexedEpisode(video: KodiVideo): IndexedItem {
	return {
		id: kodiItemId('episode', video.episodeid ?? 0),
		type: 'episode',
		title: text(video.title),
		year: int(text(video.firstaired)?.slice(0, 4)),
		ids: normalizeIds(video.uniqueid),
		seriesId: video.tvshowid === undefined ? null : kodiItemId('tvshow', video.tvshowid),
		seasonNumber: int(video.season),
		episodeNumber: int(video.episode),
		library: null,
		path: text(video.file),
		state: state(video),
	};
}

function indexedShow(video: KodiVideo): IndexedItem {
	return {
		...indexedMovie(video),
		id: kodiItemId('tvshow', video.tvshowid ?? 0),
		type: 'series',
		state: null,
	};
}

/** Every item of one kind, paged with Kodi's `limits`. */
async function all(
	context: IExecuteFunctions,
	method: string,
	key: string,
	properties: string[],
): Promise<KodiVideo[]> {
	const videos: KodiVideo[] = [];
	for (let start = 0; ; start += PAGE_SIZE) {
		const page = await kodiRpc<Record<string, unknown>>(context, method, {
			properties,
			limits: { start, end: start + PAGE_SIZE },
		});
		const list = (page?.[key] as KodiVideo[] | undefined) ?? [];
		videos.push(...list);
		const total = (page?.limits as { total?: number } | undefined)?.total ?? 0;
		if (list.length < PAGE_SIZE || start + list.length >= total) return videos;
	}
}

async function details(context: IExecuteFunctions, id: string): Promise<IndexedItem | null> {
	const ref = parseKodiItemId(id);
	if (!ref) return null;
	const method =
		ref.type === 'movie' ? 'VideoLibrary.GetMovieDetails' : 'VideoLibrary.GetEpisodeDetails';
	const key = ref.type === 'movie' ? 'moviedetails' : 'episodedetails';
	const answer = await kodiRpc<Record<string, KodiVideo>>(
		context,
		method,
		{ [`${ref.type}id`]: ref.id, properties: ref.type === 'movie' ? MOVIE_FIELDS : EPISODE_FIELDS },
		// Kodi answers an unknown id with "Invalid params": the item is gone.
		{ value: {} },
	);
	const video = answer?.[key];
	if (!video) return null;
	return ref.type === 'movie' ? indexedMovie(video) : indexedEpisode(video);
}

/** Kodi as the Item operations see it: one library, one profile, no users. */
export const KODI: WatchServer = {
	...KODI_API,
	users: null,
	async indexItems(context) {
		const [movies, shows, episodes] = [
			await all(context, 'VideoLibrary.GetMovies', 'movies', MOVIE_FIELDS),
			await all(context, 'VideoLibrary.GetTVShows', 'tvshows', SHOW_FIELDS),
			await all(context, 'VideoLibrary.GetEpisodes', 'episodes', EPISODE_FIELDS),
		];
		return [
			...movies.map(indexedMovie),
			...shows.map(indexedShow),
			...episodes.map(indexedEpisode),
		];
	},
	async getItems(context, _user, ids) {
		const found = await Promise.all(ids.map(async (id) => await details(context, id)));
		return found.filter((item): item is IndexedItem => item !== null);
	},
	async setPlayed(context, _user, item, played, at) {
		const ref = parseKodiItemId(item.id);
		if (!ref) return null;
		const method =
			ref.type === 'movie' ? 'VideoLibrary.SetMovieDetails' : 'VideoLibrary.SetEpisodeDetails';
		await kodiRpc(context, method, {
			[`${ref.type}id`]: ref.id,
			playcount: played ? Math.max(1, item.state?.playCount ?? 0) : 0,
			...(played ? { lastplayed: toKodiDate(at) } : {}),
		});
		return {
			played,
			lastPlayedAt: played ? at : (item.state?.lastPlayedAt ?? null),
			playCount: played ? Math.max(1, item.state?.playCount ?? 0) : 0,
		};
	},
};
