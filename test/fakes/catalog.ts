/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test fakes: the media library the fake servers share, and their webhook sender (timers, fetch) */
import { createHash } from 'crypto';

/**
 * One description of a media library that the tests give all three fake servers (Jellyfin, Emby, Plex), the
 * per-user played state the fakes keep for it, and the webhook sender of the fakes whose servers send one.
 * Each fake derives its own id format from `CatalogItem.id` (see jellyfinId, embyId, plexRatingKey).
 */

export interface CatalogItem {
	/** The server's own id; the fakes may derive their own format from it. */
	id: string;
	type: 'movie' | 'series' | 'episode';
	title: string;
	year?: number;
	/** As the server stores them, keys in that server's spelling, e.g. { Tmdb: '603', Imdb: 'tt0133093' } or Emby's { IMDB: 'tt…' }. */
	providerIds: Record<string, string>;
	/** Episodes: the series' id. */
	seriesId?: string;
	/** Episodes. */
	seasonNumber?: number;
	/** Episodes. */
	episodeNumber?: number;
	/** The library / section it is in. */
	libraryId: string;
	/** Movies and episodes: the file; series: the folder. */
	path?: string;
	/** Plex only: the legacy agent guid (e.g. 'com.plexapp.agents.imdb://tt0103639?lang=en'); such items have no Guid[] list. */
	legacyGuid?: string;
}

export interface PlayState {
	played: boolean;
	playCount: number;
	/** ISO 8601, or null when never played (or marked unplayed). */
	lastPlayedDate: string | null;
}

/** One accepted played / unplayed write request. */
export interface PlayedWrite {
	/** The server's user id (Plex: the fake's account id). */
	userId: string;
	/** The catalog id of the item written (a series when a whole series was marked). */
	itemId: string;
	/** The item id as the request named it (the server's own id format). */
	requestedId: string;
	played: boolean;
	/** The date the request carried, as sent (Jellyfin `datePlayed`, Emby `DatePlayed`). */
	datePlayed?: string;
	/** Date.now() when the write was accepted. */
	at: number;
}

export const NOT_PLAYED: Readonly<PlayState> = Object.freeze({
	played: false,
	playCount: 0,
	lastPlayedDate: null,
});

/** Hex MD5 of a string: the fakes' deterministic id derivations. */
export function md5Hex(value: string): string {
	return createHash('md5').update(value).digest('hex');
}

/** A deterministic numeric id (as a string) for a catalog id; numeric ids are kept. 48 bits: no collision in practice. */
export function numericId(namespace: string, id: string): string {
	if (/^[1-9]\d{0,15}$/.test(id)) return id;
	return String(parseInt(md5Hex(`${namespace}:${id}`).slice(0, 12), 16));
}

/** .NET's round-trip date format (7 fraction digits, `Z`), which Jellyfin and Emby write in their JSON. */
export function dotnetDate(iso: string): string {
	return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** The provider id of an item, its key matched case-insensitively (`imdb` finds `IMDB` and `Imdb`). */
export function providerId(item: CatalogItem, provider: string): string | undefined {
	const wanted = provider.toLowerCase();
	const key = Object.keys(item.providerIds).find((candidate) => candidate.toLowerCase() === wanted);
	return key === undefined ? undefined : item.providerIds[key];
}

/** The catalog, indexed, with the relations the fakes need. Throws on duplicate ids or orphan episodes. */
export class Catalog {
	readonly items: readonly CatalogItem[];
	/** Library ids in the order they first appear. */
	readonly libraryIds: readonly string[];
	private readonly byId = new Map<string, CatalogItem>();
	private readonly episodes = new Map<string, CatalogItem[]>();
	private readonly byLibrary = new Map<string, CatalogItem[]>();

	constructor(items: readonly CatalogItem[] = []) {
		this.items = items.map((item) => ({ ...item, providerIds: { ...item.providerIds } }));
		for (const item of this.items) {
			if (this.byId.has(item.id)) throw new Error(`catalog: the id ${item.id} is used twice`);
			this.byId.set(item.id, item);
			const inLibrary = this.byLibrary.get(item.libraryId) ?? [];
			inLibrary.push(item);
			this.byLibrary.set(item.libraryId, inLibrary);
		}
		for (const item of this.items) {
			if (item.type !== 'episode') continue;
			const series = item.seriesId === undefined ? undefined : this.byId.get(item.seriesId);
			if (series?.type !== 'series') {
				throw new Error(`catalog: episode ${item.id} names no series of the catalog`);
			}
			const list = this.episodes.get(series.id) ?? [];
			list.push(item);
			this.episodes.set(series.id, list);
		}
		this.libraryIds = [...this.byLibrary.keys()];
	}

	get(id: string): CatalogItem | undefined {
		return this.byId.get(id);
	}

	episodesOf(seriesId: string): readonly CatalogItem[] {
		return this.episodes.get(seriesId) ?? [];
	}

	inLibrary(libraryId: string): readonly CatalogItem[] {
		return this.byLibrary.get(libraryId) ?? [];
	}

	/** `movies` when the library holds a movie, else `tvshows`. */
	collectionType(libraryId: string): 'movies' | 'tvshows' {
		return this.inLibrary(libraryId).some((item) => item.type === 'movie') ? 'movies' : 'tvshows';
	}

	/**
	 * What a played write on the item changes: a series' episodes when it has any (the servers mark every child of
	 * a folder), else the item itself.
	 */
	leavesOf(item: CatalogItem): readonly CatalogItem[] {
		if (item.type !== 'series') return [item];
		const episodes = this.episodesOf(item.id);
		return episodes.length ? episodes : [item];
	}
}

/**
 * Played state per user: `Map<userId, Map<catalogId, PlayState>>`. A series with episodes has no state of its own:
 * it is played when every episode is (Jellyfin's and Emby's folder rule), with no play count or date of its own.
 */
export class PlayStore {
	private readonly users = new Map<string, Map<string, PlayState>>();

	constructor(private readonly catalog: Catalog) {}

	/** The stored state of one item (episodes, movies, series without episodes). */
	own(userId: string, itemId: string): PlayState {
		return { ...(this.users.get(userId)?.get(itemId) ?? NOT_PLAYED) };
	}

	/** The state a server reports for the item (a series with episodes: derived from them). */
	get(userId: string, item: CatalogItem): PlayState {
		const leaves = this.catalog.leavesOf(item);
		if (leaves.length === 1 && leaves[0] === item) return this.own(userId, item.id);
		return { played: this.unplayedCount(userId, item) === 0, playCount: 0, lastPlayedDate: null };
	}

	/** Sets the item's state; for a series with episodes, every episode's. */
	set(userId: string, item: CatalogItem, state: PlayState): void {
		let states = this.users.get(userId);
		if (!states) {
			states = new Map();
			this.users.set(userId, states);
		}
		for (const leaf of this.catalog.leavesOf(item)) states.set(leaf.id, { ...state });
	}

	/** How many of a series' episodes the user has not played (0 for other items). */
	unplayedCount(userId: string, item: CatalogItem): number {
		if (item.type !== 'series') return 0;
		return this.catalog
			.episodesOf(item.id)
			.filter((episode) => !this.own(userId, episode.id).played).length;
	}

	/** The latest date any of the item's leaves was played (a series: its last played episode). */
	lastPlayed(userId: string, item: CatalogItem): string | null {
		let latest: string | null = null;
		for (const leaf of this.catalog.leavesOf(item)) {
			const date = this.own(userId, leaf.id).lastPlayedDate;
			if (date !== null && (latest === null || date > latest)) latest = date;
		}
		return latest;
	}

	reset(): void {
		this.users.clear();
	}
}

/** Options of `generateCatalog`. */
export interface GenerateCatalogOptions {
	movies: number;
	series: number;
	episodesPerSeries: number;
	/** The library of the movies and the one of the series and episodes (default `movies` and `shows`). */
	libraryIds?: { movies?: string; shows?: string };
}

function padded(index: number): string {
	return String(index).padStart(5, '0');
}

/**
 * A large deterministic library (the same arguments give the same items): movies with unique tmdb and imdb ids,
 * series with unique tvdb, tmdb and imdb ids, and episodes (seasons of 10) with unique tvdb ids. The ids are
 * invented, in ranges real titles rarely use. Items: movies + series × (1 + episodesPerSeries).
 */
export function generateCatalog(options: GenerateCatalogOptions): CatalogItem[] {
	const movieLibrary = options.libraryIds?.movies ?? 'movies';
	const showLibrary = options.libraryIds?.shows ?? 'shows';
	const items: CatalogItem[] = [];
	for (let index = 1; index <= options.movies; index++) {
		const title = `Generated Movie ${padded(index)}`;
		const year = 1950 + (index % 75);
		items.push({
			id: `gen-movie-${index}`,
			type: 'movie',
			title,
			year,
			providerIds: { Tmdb: String(900000 + index), Imdb: `tt${9000000 + index}` },
			libraryId: movieLibrary,
			path: `/media/movies/${title} (${year})/${title} (${year}).mkv`,
		});
	}
	let episodeIndex = 0;
	for (let index = 1; index <= options.series; index++) {
		const title = `Generated Show ${padded(index)}`;
		const year = 1990 + (index % 35);
		const seriesId = `gen-series-${index}`;
		const folder = `/media/tv/${title} (${year})`;
		items.push({
			id: seriesId,
			type: 'series',
			title,
			year,
			providerIds: {
				Tvdb: String(800000 + index),
				Tmdb: String(700000 + index),
				Imdb: `tt${8000000 + index}`,
			},
			libraryId: showLibrary,
			path: folder,
		});
		for (let number = 0; number < options.episodesPerSeries; number++) {
			episodeIndex++;
			const seasonNumber = Math.floor(number / 10) + 1;
			const episodeNumber = (number % 10) + 1;
			const code = `S${String(seasonNumber).padStart(2, '0')}E${String(episodeNumber).padStart(2, '0')}`;
			items.push({
				id: `gen-episode-${index}-${number + 1}`,
				type: 'episode',
				title: `${title} ${code}`,
				year,
				providerIds: { Tvdb: String(10000000 + episodeIndex) },
				seriesId,
				seasonNumber,
				episodeNumber,
				libraryId: showLibrary,
				path: `${folder}/Season ${seasonNumber}/${title} - ${code}.mkv`,
			});
		}
	}
	return items;
}

/**
 * The small hand-written library of the tests. Movie and series ids are the real ones of those titles; episode
 * ids are invented. It covers: several movies; one movie present twice (two copies in two libraries, same ids);
 * a movie with no provider ids; a series whose episodes have their own tvdb ids; a series whose episodes have no
 * ids of their own; an Emby-style upper-case key (`IMDB`); a Plex legacy-agent movie and a legacy-agent show.
 */
export const SAMPLE_CATALOG: readonly CatalogItem[] = Object.freeze([
	{
		id: 'matrix',
		type: 'movie',
		title: 'The Matrix',
		year: 1999,
		providerIds: { Tmdb: '603', Imdb: 'tt0133093' },
		libraryId: 'movies',
		path: '/media/movies/The Matrix (1999)/The Matrix (1999).mkv',
	},
	{
		id: 'matrix-4k',
		type: 'movie',
		title: 'The Matrix',
		year: 1999,
		providerIds: { Tmdb: '603', Imdb: 'tt0133093' },
		libraryId: 'movies-4k',
		path: '/media/movies-4k/The Matrix (1999)/The Matrix (1999) - 2160p.mkv',
	},
	{
		id: 'inception',
		type: 'movie',
		title: 'Inception',
		year: 2010,
		providerIds: { Tmdb: '27205', Imdb: 'tt1375666' },
		libraryId: 'movies',
		path: '/media/movies/Inception (2010)/Inception (2010).mkv',
	},
	{
		id: 'spirited-away',
		type: 'movie',
		title: 'Spirited Away',
		year: 2001,
		providerIds: { Tmdb: '129', Imdb: 'tt0245429' },
		libraryId: 'movies',
		path: '/media/movies/Spirited Away (2001)/Spirited Away (2001).mkv',
	},
	{
		id: 'alien',
		type: 'movie',
		title: 'Alien',
		year: 1979,
		// Emby's spelling in some libraries (test/fixtures/emby/item-rate-series-4.7.14.json has `IMDB`).
		providerIds: { IMDB: 'tt0078748', Tmdb: '348' },
		libraryId: 'movies',
		path: '/media/movies/Alien (1979)/Alien (1979).mkv',
	},
	{
		id: 'holiday-video',
		type: 'movie',
		title: 'Summer Holiday 2019',
		year: 2019,
		providerIds: {},
		libraryId: 'movies',
		path: '/media/movies/Summer Holiday 2019/Summer Holiday 2019.mp4',
	},
	{
		id: 'dracula',
		type: 'movie',
		title: "Bram Stoker's Dracula",
		year: 1992,
		providerIds: { Imdb: 'tt0103639', Tmdb: '6114' },
		libraryId: 'movies',
		path: "/media/movies/Bram Stoker's Dracula (1992)/Bram Stoker's Dracula (1992).avi",
		legacyGuid: 'com.plexapp.agents.imdb://tt0103639?lang=en',
	},
	{
		id: 'severance',
		type: 'series',
		title: 'Severance',
		year: 2022,
		providerIds: { Tvdb: '371980', Tmdb: '95396', Imdb: 'tt11280740' },
		libraryId: 'shows',
		path: '/media/tv/Severance (2022)',
	},
	...[
		[1, 1, '9100101'],
		[1, 2, '9100102'],
		[2, 1, '9100201'],
	].map(
		([season, episode, tvdb]): CatalogItem => ({
			id: `severance-s${season}e${episode}`,
			type: 'episode',
			title: `Severance S${season}E${episode}`,
			year: 2022,
			providerIds: { Tvdb: String(tvdb) },
			seriesId: 'severance',
			seasonNumber: Number(season),
			episodeNumber: Number(episode),
			libraryId: 'shows',
			path: `/media/tv/Severance (2022)/Season ${season}/Severance - S0${season}E0${episode}.mkv`,
		}),
	),
	{
		id: 'dinner-club',
		type: 'series',
		title: 'Dinner Club',
		year: 2020,
		providerIds: { Tvdb: '9200000' },
		libraryId: 'shows',
		path: '/media/tv/Dinner Club (2020)',
	},
	...[1, 2].map(
		(episode): CatalogItem => ({
			id: `dinner-club-s1e${episode}`,
			type: 'episode',
			title: `Dinner Club S1E${episode}`,
			year: 2020,
			providerIds: {},
			seriesId: 'dinner-club',
			seasonNumber: 1,
			episodeNumber: episode,
			libraryId: 'shows',
			path: `/media/tv/Dinner Club (2020)/Season 1/Dinner Club - S01E0${episode}.mkv`,
		}),
	),
	{
		id: 'breaking-bad',
		type: 'series',
		title: 'Breaking Bad',
		year: 2008,
		providerIds: { Tvdb: '81189', Tmdb: '1396', Imdb: 'tt0903747' },
		libraryId: 'shows',
		path: '/media/tv/Breaking Bad (2008)',
		legacyGuid: 'com.plexapp.agents.thetvdb://81189?lang=en',
	},
	...[1, 2].map(
		(episode): CatalogItem => ({
			id: `breaking-bad-s1e${episode}`,
			type: 'episode',
			title: `Breaking Bad S1E${episode}`,
			year: 2008,
			providerIds: { Tvdb: `930000${episode}` },
			seriesId: 'breaking-bad',
			seasonNumber: 1,
			episodeNumber: episode,
			libraryId: 'shows',
			path: `/media/tv/Breaking Bad (2008)/Season 1/Breaking Bad - S01E0${episode}.mkv`,
			legacyGuid: `com.plexapp.agents.thetvdb://81189/1/${episode}?lang=en`,
		}),
	),
] as CatalogItem[]);

/** One webhook the fake sent (recorded once the target answered, or failed). */
export interface SentWebhook {
	url: string;
	contentType: string;
	/** The body as an object (what was sent is its JSON text, `rawBody`). */
	body: Record<string, unknown>;
	rawBody: string;
	/** Date.now() when it was sent. */
	at: number;
	/** The target's status code, when it answered. */
	status?: number;
	/** Why it failed, when the target could not be reached. */
	error?: string;
}

/**
 * The webhook sender of a fake: posts after the API request was answered, one at a time in order, records each in
 * `sent`, and never lets a failing target touch the API request.
 */
export class WebhookOutbox {
	readonly sent: SentWebhook[] = [];
	private queue: Promise<void> = Promise.resolve();
	private readonly waiters = new Set<() => void>();
	/** Bumped by clear(): deliveries queued before are not recorded after it. */
	private generation = 0;

	constructor(
		private readonly label: string,
		public url: string | undefined,
	) {}

	/** Queues a POST of `body` (as JSON text, or as the server encodes it) with this Content-Type, when a webhook URL is set. */
	send(body: Record<string, unknown>, contentType: string, rawBody = JSON.stringify(body)): void {
		const url = this.url;
		if (!url) return;
		const generation = this.generation;
		// setImmediate: after the fake has written the API answer (it does so right after the handler, unless a
		// delayNext holds the answer back).
		this.queue = this.queue
			.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
			.then(() => this.deliver({ url, contentType, body, rawBody, at: Date.now() }, generation));
	}

	/** Resolves with every recorded webhook once at least `count` were recorded; rejects after `timeoutMs`. */
	wait(count: number, timeoutMs = 5000): Promise<SentWebhook[]> {
		return new Promise((resolve, reject) => {
			const check = () => {
				if (this.sent.length < count) return;
				finish();
				resolve([...this.sent]);
			};
			const timer = setTimeout(() => {
				finish();
				reject(
					new Error(
						`${this.label}: ${this.sent.length} of ${count} webhook(s) within ${timeoutMs} ms`,
					),
				);
			}, timeoutMs);
			const finish = () => {
				clearTimeout(timer);
				this.waiters.delete(check);
			};
			this.waiters.add(check);
			check();
		});
	}

	clear(): void {
		this.sent.length = 0;
		this.generation++;
	}

	private async deliver(webhook: SentWebhook, generation: number): Promise<void> {
		try {
			const response = await fetch(webhook.url, {
				method: 'POST',
				headers: { 'content-type': webhook.contentType },
				body: webhook.rawBody,
				signal: AbortSignal.timeout(5000),
			});
			webhook.status = response.status;
			await response.arrayBuffer();
		} catch (error) {
			webhook.error = String((error as Error).cause ?? (error as Error).message ?? error);
		}
		if (generation !== this.generation) return;
		this.sent.push(webhook);
		for (const waiter of [...this.waiters]) waiter();
	}
}
