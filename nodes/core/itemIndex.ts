/**
 * Finding a server's copies of a movie or episode by provider id, the way Movary and WatchState do: one index of
 * the library, built once and asked many times. Pure code, no n8n imports.
 */
import type { MediaLibrary, ProviderIds } from './event';
import { matchingKeys, normalizeIds } from './providerIds';
import { int, isObject, objectAt, text, type JsonObject } from './values';

/** A user's played state of one item, as the server reported it. */
export interface PlayState {
	played: boolean;
	/** ISO; the server's last play, which may outlive an unplayed mark. */
	lastPlayedAt: string | null;
	playCount: number | null;
}

export interface IndexedItem {
	/** The server's own id (Jellyfin/Emby item id, Plex ratingKey). */
	id: string;
	type: 'movie' | 'series' | 'episode';
	title: string | null;
	year: number | null;
	/** The item's own ids, one spelling (`providerIds.ts`). */
	ids: ProviderIds;
	/** Episodes: the series' server id and numbers. */
	seriesId: string | null;
	seasonNumber: number | null;
	episodeNumber: number | null;
	library: MediaLibrary | null;
	path: string | null;
	/** The indexed user's state when the item was read; null when read without a user. */
	state: PlayState | null;
}

/** What to look for: a movie by its ids, or an episode by its ids or by its series' ids and numbers. */
export interface ItemQuery {
	type: 'movie' | 'episode';
	ids: ProviderIds;
	seriesIds: ProviderIds;
	seasonNumber: number | null;
	episodeNumber: number | null;
}

export class ItemIndex {
	private readonly byId = new Map<string, IndexedItem>();
	/** `type|provider:id` → items; movies, series and episodes apart, as tmdb numbers them separately. */
	private readonly byKey = new Map<string, IndexedItem[]>();
	/** `seriesId|season|episode` → episodes. */
	private readonly byNumbers = new Map<string, IndexedItem[]>();

	constructor(items: Iterable<IndexedItem>) {
		for (const item of items) this.add(item);
	}

	get size(): number {
		return this.byId.size;
	}

	get(id: string): IndexedItem | undefined {
		return this.byId.get(id);
	}

	/** Every item of this type, in index order. */
	all(): IndexedItem[] {
		return [...this.byId.values()];
	}

	/** Records a state the server now has (after our own write). */
	setState(id: string, state: PlayState): void {
		const item = this.byId.get(id);
		if (item) item.state = state;
	}

	/**
	 * Every item the query names, in index order. Episodes by their own ids first; only when none has them, by
	 * the series' ids with season and episode numbers (Jellyfin and Emby events carry no series ids, Plex legacy
	 * agents no episode ids).
	 */
	find(query: ItemQuery): IndexedItem[] {
		if (query.type === 'movie') return this.withKeys('movie', query.ids);
		const direct = this.withKeys('episode', query.ids);
		if (direct.length > 0) return direct;
		if (query.seasonNumber === null || query.episodeNumber === null) return [];
		const series = this.withKeys('series', query.seriesIds);
		return unique(
			series.flatMap(
				(show) =>
					this.byNumbers.get(numbersKey(show.id, query.seasonNumber, query.episodeNumber)) ?? [],
			),
		);
	}

	private add(item: IndexedItem): void {
		if (this.byId.has(item.id)) return;
		this.byId.set(item.id, item);
		for (const key of matchingKeys(item.ids)) push(this.byKey, `${item.type}|${key}`, item);
		if (item.type === 'episode' && item.seriesId !== null) {
			push(this.byNumbers, numbersKey(item.seriesId, item.seasonNumber, item.episodeNumber), item);
		}
	}

	private withKeys(type: IndexedItem['type'], ids: ProviderIds): IndexedItem[] {
		return unique(matchingKeys(ids).flatMap((key) => this.byKey.get(`${type}|${key}`) ?? []));
	}
}

function numbersKey(seriesId: string, season: number | null, episode: number | null): string {
	return `${seriesId}|${season ?? ''}|${episode ?? ''}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

function unique(items: IndexedItem[]): IndexedItem[] {
	return [...new Map(items.map((item) => [item.id, item])).values()];
}

/** Why an input item cannot be looked up; the node reports it instead of a match. */
export type QueryProblem = { problem: 'noMedia' | 'unsupportedType' | 'noIds'; detail: string };

/**
 * The query in a media event or Sonarr/Radarr event on the input: `media.type`, `media.ids`,
 * `media.series.ids`, `media.seasonNumber`, `media.episodeNumber`. Only movies and episodes have a played state
 * to copy.
 */
export function queryFromEvent(json: JsonObject): ItemQuery | QueryProblem {
	const media = objectAt(json.media);
	if (media === null) {
		return { problem: 'noMedia', detail: 'the input item has no "media" (a media event)' };
	}
	const type = text(media.type);
	if (type !== 'movie' && type !== 'episode') {
		return {
			problem: 'unsupportedType',
			detail: `only movies and episodes are marked, not "${type ?? 'unknown'}"`,
		};
	}
	const query: ItemQuery = {
		type,
		ids: normalizeIds(isObject(media.ids) ? media.ids : {}),
		seriesIds: normalizeIds(objectAt(objectAt(media.series)?.ids) ?? {}),
		seasonNumber: int(media.seasonNumber),
		episodeNumber: int(media.episodeNumber),
	};
	return hasIds(query)
		? query
		: {
				problem: 'noIds',
				detail: `the ${type} has no imdb, tmdb, tvdb, tvmaze or anidb id to look up`,
			};
}

/** Whether the query can find anything: ids of its own, or (episodes) series ids and both numbers. */
export function hasIds(query: ItemQuery): boolean {
	if (matchingKeys(query.ids).length > 0) return true;
	return (
		query.type === 'episode' &&
		matchingKeys(query.seriesIds).length > 0 &&
		query.seasonNumber !== null &&
		query.episodeNumber !== null
	);
}
