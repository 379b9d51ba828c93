import { fixtureJson } from '../fixtures/load';
import {
	Catalog,
	md5Hex,
	NOT_PLAYED,
	numericId,
	PlayStore,
	providerId,
	type CatalogItem,
	type PlayedWrite,
	type PlayState,
} from './catalog';
import {
	FakeServer,
	headerValue,
	queryValue,
	type FakeCall,
	type FakeHandler,
	type FakeReply,
	type FakeServerOptions,
	type RecordedRequest,
} from './server';
import type { SpecName } from './spec';

/**
 * A fake Plex Media Server (spec: LukeHagar/plex-api-spec 1.1.1). Token in the `X-Plex-Token` header or query;
 * `X-Plex-Client-Identifier` (header or query) on every call but `/identity`; XML unless `Accept: application/json`;
 * error bodies are Plex's small HTML pages.
 *
 * With a `catalog`, it also pages sections' items, answers metadata lookups and takes scrobble / unscrobble.
 * Played state belongs to the token's account, so the fake keeps one state (of `accountId`). Plex sends no
 * webhook for a scrobble or unscrobble by API, so neither does the fake.
 */

export interface FakePlexSection {
	key: string | number;
	/** `movie`, `show`, `artist` or `photo`. */
	type: string;
	title: string;
	locations: Array<{ id: number; path: string }>;
}

export interface FakePlexOptions extends FakeServerOptions {
	tokens: string[];
	sections?: FakePlexSection[];
	machineIdentifier?: string;
	/** The media library (ids become numeric ratingKeys, see plexRatingKey); its libraries are added to `sections`. */
	catalog?: readonly CatalogItem[];
	/** The account whose played state the fake keeps (logged as the userId of playedWrites; default '1'). */
	accountId?: string;
}

export interface PlexRefresh {
	/** The section key, or `all` for POST /library/sections/refresh. */
	sectionId: string;
	path?: string;
	force: boolean;
}

export interface PlexCaller {
	token: string;
	via: 'header' | 'query';
}

/** The ratingKey of a catalog id: itself when numeric, else a number derived from a hash. */
export function plexRatingKey(catalogId: string): string {
	return numericId('plex', catalogId);
}

/** The section key of a catalog library id: itself when numeric, else a six-digit number derived from a hash. */
export function plexSectionId(libraryId: string): string {
	if (/^[1-9]\d*$/.test(libraryId)) return libraryId;
	return String(100000 + (parseInt(md5Hex(`plex-section:${libraryId}`).slice(0, 8), 16) % 900000));
}

const PLEX_TYPES: Record<CatalogItem['type'], { name: string; number: number }> = {
	movie: { name: 'movie', number: 1 },
	series: { name: 'show', number: 2 },
	episode: { name: 'episode', number: 4 },
};

/** `Guid[]` entries in the order Plex lists them (test/fixtures/api/plex/section-all-movies-includeGuids.json). */
const GUID_PROVIDERS = ['imdb', 'tmdb', 'tvdb'];

/** The item's date of addition (seconds), fixed so that bodies are deterministic. */
const ADDED_AT = 1700000000;

function htmlError(status: number, title: string): FakeReply {
	return {
		status,
		headers: { 'content-type': 'text/html' },
		body: `<html><head><title>${title}</title></head><body><h1>${status} ${title}</h1></body></html>`,
	};
}

function escapeXml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** Plex's XML form of a JSON body: scalars become attributes (booleans 1/0), arrays of objects child elements. */
export function plexXml(name: string, value: Record<string, unknown>): string {
	const attributes: string[] = [];
	const children: string[] = [];
	for (const [key, item] of Object.entries(value)) {
		if (item === undefined || item === null) continue;
		if (Array.isArray(item)) {
			for (const child of item) {
				if (typeof child === 'object' && child !== null) {
					children.push(plexXml(key, child as Record<string, unknown>));
				}
			}
		} else if (typeof item === 'object') {
			children.push(plexXml(key, item as Record<string, unknown>));
		} else {
			const text = typeof item === 'boolean' ? (item ? '1' : '0') : String(item);
			attributes.push(` ${key}="${escapeXml(text)}"`);
		}
	}
	const open = `<${name}${attributes.join('')}`;
	return children.length ? `${open}>\n${children.join('\n')}\n</${name}>` : `${open} />`;
}

const AGENTS: Record<string, { agent: string; scanner: string; art: string; thumb: string }> = {
	movie: {
		agent: 'tv.plex.agents.movie',
		scanner: 'Plex Movie',
		art: '/:/resources/movie-fanart.jpg',
		thumb: '/:/resources/movie.png',
	},
	show: {
		agent: 'tv.plex.agents.series',
		scanner: 'Plex TV Series',
		art: '/:/resources/show-fanart.jpg',
		thumb: '/:/resources/show.png',
	},
	artist: {
		agent: 'tv.plex.agents.music',
		scanner: 'Plex Music',
		art: '/:/resources/artist-fanart.jpg',
		thumb: '/:/resources/artist.png',
	},
	photo: {
		agent: 'com.plexapp.agents.none',
		scanner: 'Plex Photo Scanner',
		art: '/:/resources/photo-fanart.jpg',
		thumb: '/:/resources/photo.png',
	},
};

export class FakePlex extends FakeServer<PlexCaller> {
	protected readonly specName: SpecName = 'plex';
	protected readonly label = 'FakePlex';
	readonly machineIdentifier: string;
	readonly tokens: string[];
	readonly sections: FakePlexSection[];

	/** Accepted section refreshes, in order. */
	readonly refreshes: PlexRefresh[] = [];
	/** The media library given as `catalog`. */
	readonly catalog: Catalog;
	readonly accountId: string;
	/** One entry per accepted PUT /:/scrobble or /:/unscrobble. */
	readonly playedWrites: PlayedWrite[] = [];

	private readonly played: PlayStore;
	private readonly byRatingKey = new Map<string, CatalogItem>();

	private readonly identity = fixtureJson<{ MediaContainer: Record<string, unknown> }>(
		'api/plex',
		'identity.json',
	);

	constructor(options: FakePlexOptions) {
		super(options);
		this.tokens = [...options.tokens];
		this.sections = (options.sections ?? []).map((section) => ({ ...section }));
		this.machineIdentifier =
			options.machineIdentifier ?? String(this.identity.MediaContainer.machineIdentifier);
		this.catalog = new Catalog(options.catalog);
		this.accountId = options.accountId ?? '1';
		this.played = new PlayStore(this.catalog);
		for (const item of this.catalog.items) {
			const key = plexRatingKey(item.id);
			if (this.byRatingKey.has(key))
				throw new Error(`FakePlex: two catalog items have ratingKey ${key}`);
			this.byRatingKey.set(key, item);
		}
		for (const [index, libraryId] of this.catalog.libraryIds.entries()) {
			const key = plexSectionId(libraryId);
			if (this.sections.some((section) => String(section.key) === key)) continue;
			this.sections.push({
				key,
				type: this.catalog.collectionType(libraryId) === 'movies' ? 'movie' : 'show',
				title: libraryId,
				locations: [{ id: 100 + index, path: `/data/${libraryId}` }],
			});
		}
	}

	/** Forgets recorded requests, refreshes and played writes (not the played state). */
	clear(): void {
		super.clear();
		this.refreshes.length = 0;
		this.playedWrites.length = 0;
	}

	/** The ratingKey of a catalog item (see plexRatingKey). */
	itemIdOf(catalogId: string): string {
		return plexRatingKey(catalogId);
	}

	/** The account's played state of an item (catalog id or ratingKey); a show with episodes: derived from them. */
	stateOf(itemId: string): PlayState {
		return this.played.get(this.accountId, this.catalogItem(itemId));
	}

	/** Sets the account's played state of an item (a show with episodes: of each episode). */
	setState(itemId: string, state: PlayState): void {
		this.played.set(this.accountId, this.catalogItem(itemId), state);
	}

	/** Forgets the played state. */
	resetState(): void {
		this.played.reset();
	}

	private catalogItem(itemId: string): CatalogItem {
		const item = this.catalog.get(itemId) ?? this.byRatingKey.get(itemId);
		if (!item) throw new Error(`FakePlex: no catalog item ${itemId}`);
		return item;
	}

	protected readonly handlers: Record<string, FakeHandler<PlexCaller>> = {
		// test/fixtures/api/plex/identity.json with this fake's machineIdentifier.
		getIdentity: (call) =>
			this.container(call, {
				MediaContainer: {
					...this.identity.MediaContainer,
					machineIdentifier: this.machineIdentifier,
				},
			}),
		getSections: (call) => this.container(call, this.sectionsBody()),
		refreshSection: (call) => {
			const sectionId = call.params.sectionId;
			if (!this.sections.some((section) => String(section.key) === sectionId)) {
				return { ...htmlError(404, 'Not Found'), reason: `no section ${sectionId}` };
			}
			this.refreshes.push({
				sectionId,
				path: queryValue(call.request.query, 'path'),
				force: queryValue(call.request.query, 'force') === '1',
			});
			return { status: 200 };
		},
		refreshSectionsMetadata: (call) => {
			this.refreshes.push({
				sectionId: 'all',
				force: queryValue(call.request.query, 'force') === 'true',
			});
			return { status: 200 };
		},
		listContent: (call) => this.listContent(call),
		getMetadataItem: (call) => {
			const items = call.params.ids
				.split(',')
				.flatMap((key) => this.byRatingKey.get(key.trim()) ?? []);
			if (items.length === 0)
				return { ...htmlError(404, 'Not Found'), reason: 'no such ratingKey' };
			return this.container(call, {
				MediaContainer: {
					size: items.length,
					allowSync: true,
					identifier: 'com.plexapp.plugins.library',
					mediaTagPrefix: '/system/bundle/media/flags/',
					mediaTagVersion: 1690992652,
					Metadata: items.map((item) => this.metadata(item, true)),
				},
			});
		},
		markPlayed: (call) => this.scrobble(call, true),
		unscrobble: (call) => this.scrobble(call, false),
	};

	/**
	 * GET /library/sections/{sectionId}/all: `type` (1 movie, 2 show, 4 episode; default: the section's own kind),
	 * `includeGuids=1`, and paging with X-Plex-Container-Start / -Size from the query or the headers (no size: all
	 * items). Items come in catalog order, so pages are stable.
	 */
	private listContent(call: FakeCall<PlexCaller>): FakeReply {
		const sectionId = call.params.sectionId;
		const section = this.sections.find((candidate) => String(candidate.key) === sectionId);
		if (!section) return { ...htmlError(404, 'Not Found'), reason: `no section ${sectionId}` };
		const query = call.request.query;
		const paging = (name: string): number | undefined | 'bad' => {
			const value = queryValue(query, name) ?? headerValue(call.request.headers, name);
			if (value === undefined) return undefined;
			return /^\d+$/.test(value) ? Number(value) : 'bad';
		};
		const start = paging('X-Plex-Container-Start');
		const size = paging('X-Plex-Container-Size');
		if (start === 'bad' || size === 'bad') {
			return { ...htmlError(400, 'Bad Request'), reason: 'X-Plex-Container-* must be integers' };
		}
		const type = Number(queryValue(query, 'type') ?? (section.type === 'movie' ? 1 : 2));
		const libraryId = this.catalog.libraryIds.find((id) => plexSectionId(id) === sectionId);
		const items = (libraryId === undefined ? [] : this.catalog.inLibrary(libraryId)).filter(
			(item) => PLEX_TYPES[item.type].number === type,
		);
		const offset = start ?? 0;
		const page = items.slice(offset, size === undefined ? undefined : offset + size);
		const includeGuids = queryValue(query, 'includeGuids') === '1';
		const reply = this.container(call, {
			MediaContainer: {
				size: page.length,
				totalSize: items.length,
				offset,
				allowSync: true,
				art: `/:/resources/${section.type}-fanart.jpg`,
				identifier: 'com.plexapp.plugins.library',
				librarySectionID: Number(sectionId),
				librarySectionTitle: section.title,
				librarySectionUUID: `ac000000-0000-0000-0000-${sectionId.padStart(12, '0')}`,
				mediaTagPrefix: '/system/bundle/media/flags/',
				mediaTagVersion: 1690992652,
				thumb: `/:/resources/${section.type}.png`,
				title1: section.title,
				title2: type === 4 ? 'All Episodes' : type === 2 ? 'All Shows' : 'All Movies',
				viewGroup: type === 4 ? 'episode' : type === 2 ? 'show' : 'movie',
				Metadata: page.map((item) => this.metadata(item, includeGuids)),
			},
		});
		return {
			...reply,
			headers: {
				...reply.headers,
				'X-Plex-Container-Start': String(offset),
				'X-Plex-Container-Total-Size': String(items.length),
			},
		};
	}

	/** `plex://…` for modern items, the legacy agent guid for legacy ones, `local://` for unmatched movies. */
	private guidOf(item: CatalogItem): string {
		if (item.legacyGuid) return item.legacyGuid;
		if (item.type === 'movie' && Object.keys(item.providerIds).length === 0) {
			return `local://${plexRatingKey(item.id)}`;
		}
		return `plex://${PLEX_TYPES[item.type].name}/${md5Hex(`plex-guid:${item.id}`).slice(0, 24)}`;
	}

	/**
	 * A Metadata entry in the shape of test/fixtures/api/plex/section-all-movies-includeGuids.json. `viewCount` and
	 * `lastViewedAt` only when played (Plex leaves them out otherwise); `Guid[]` only when asked for and only for
	 * modern-agent items (legacy-agent items have none). Seasons are not modelled.
	 */
	private metadata(item: CatalogItem, includeGuids: boolean): Record<string, unknown> {
		const ratingKey = plexRatingKey(item.id);
		const sectionId = plexSectionId(item.libraryId);
		const section = this.sections.find((candidate) => String(candidate.key) === sectionId);
		const entry: Record<string, unknown> = {
			ratingKey,
			key:
				item.type === 'series'
					? `/library/metadata/${ratingKey}/children`
					: `/library/metadata/${ratingKey}`,
			guid: this.guidOf(item),
			type: PLEX_TYPES[item.type].name,
			title: item.title,
			librarySectionID: Number(sectionId),
			librarySectionKey: `/library/sections/${sectionId}`,
			...(section ? { librarySectionTitle: section.title } : {}),
		};
		const series = item.seriesId === undefined ? undefined : this.catalog.get(item.seriesId);
		if (series) {
			const seriesKey = plexRatingKey(series.id);
			Object.assign(entry, {
				grandparentRatingKey: seriesKey,
				grandparentKey: `/library/metadata/${seriesKey}`,
				grandparentGuid: this.guidOf(series),
				grandparentTitle: series.title,
				...(item.seasonNumber === undefined
					? {}
					: { parentTitle: `Season ${item.seasonNumber}`, parentIndex: item.seasonNumber }),
				...(item.episodeNumber === undefined ? {} : { index: item.episodeNumber }),
			});
		}
		if (item.year !== undefined) entry.year = item.year;
		const state = this.played.get(this.accountId, item);
		if (item.type === 'series') {
			const episodes = this.catalog.episodesOf(item.id);
			entry.leafCount = episodes.length;
			entry.viewedLeafCount = episodes.length - this.played.unplayedCount(this.accountId, item);
			entry.childCount = new Set(episodes.map((episode) => episode.seasonNumber)).size;
			const last = this.played.lastPlayed(this.accountId, item);
			if (last !== null) entry.lastViewedAt = Math.floor(Date.parse(last) / 1000);
		} else if (state.played) {
			entry.viewCount = state.playCount;
			if (state.lastPlayedDate !== null) {
				entry.lastViewedAt = Math.floor(Date.parse(state.lastPlayedDate) / 1000);
			}
		}
		entry.addedAt = ADDED_AT;
		entry.updatedAt = ADDED_AT;
		if (includeGuids && !item.legacyGuid) {
			const guids = GUID_PROVIDERS.flatMap((provider) => {
				const id = providerId(item, provider);
				return id === undefined ? [] : [{ id: `${provider}://${id}` }];
			});
			if (guids.length) entry.Guid = guids;
		}
		if (item.type !== 'series' && item.path !== undefined) {
			entry.Media = [
				{
					id: Number(ratingKey) % 1000000,
					Part: [
						{
							id: Number(ratingKey) % 1000000,
							key: `/library/parts/${Number(ratingKey) % 1000000}/${ADDED_AT}/file`,
							file: item.path,
						},
					],
				},
			];
		}
		return entry;
	}

	/**
	 * PUT /:/scrobble and /:/unscrobble: `identifier` must be com.plexapp.plugins.library and `key` a ratingKey
	 * (the spec's text: "must provide either key or uri"; the fake reads `key` only). Scrobble: viewCount + 1,
	 * lastViewedAt now; unscrobble: both removed. A show marks each of its episodes. No webhook: Plex sends none.
	 */
	private scrobble(call: FakeCall<PlexCaller>, played: boolean): FakeReply {
		const query = call.request.query;
		const identifier = queryValue(query, 'identifier');
		if (identifier !== 'com.plexapp.plugins.library') {
			return { ...htmlError(400, 'Bad Request'), reason: `unknown identifier ${identifier}` };
		}
		const key = queryValue(query, 'key');
		if (key === undefined) {
			const reason =
				queryValue(query, 'uri') === undefined ? 'no key or uri' : 'the fake reads key';
			return { ...htmlError(400, 'Bad Request'), reason };
		}
		const item = this.byRatingKey.get(key);
		if (!item) return { ...htmlError(404, 'Not Found'), reason: `no ratingKey ${key}` };
		const now = new Date().toISOString();
		for (const leaf of this.catalog.leavesOf(item)) {
			const before = this.played.own(this.accountId, leaf.id);
			this.played.set(
				this.accountId,
				leaf,
				played
					? { played: true, playCount: before.playCount + 1, lastPlayedDate: now }
					: { ...NOT_PLAYED },
			);
		}
		this.playedWrites.push({
			userId: this.accountId,
			itemId: item.id,
			requestedId: key,
			played,
			at: Date.now(),
		});
		return { status: 200 };
	}

	protected rules(call: FakeCall<PlexCaller>): FakeReply | undefined {
		if (call.operationId === 'getIdentity') return undefined;
		const client =
			headerValue(call.request.headers, 'x-plex-client-identifier') ??
			queryValue(call.request.query, 'X-Plex-Client-Identifier');
		if (!client) {
			return { ...htmlError(400, 'Bad Request'), reason: 'no X-Plex-Client-Identifier' };
		}
		return undefined;
	}

	protected authenticate(call: FakeCall<PlexCaller>): { auth?: PlexCaller } | { reply: FakeReply } {
		if (!call.secured) return {};
		const found = this.findToken(call.request);
		if (!found || !this.tokens.includes(found.token)) {
			return {
				reply: {
					...htmlError(401, 'Unauthorized'),
					reason: found ? `unknown X-Plex-Token (${found.via})` : 'no X-Plex-Token',
				},
			};
		}
		return { auth: found };
	}

	private findToken(request: RecordedRequest): PlexCaller | undefined {
		const header = headerValue(request.headers, 'x-plex-token');
		if (header) return { token: header, via: 'header' };
		const query = queryValue(request.query, 'X-Plex-Token');
		return query ? { token: query, via: 'query' } : undefined;
	}

	/** JSON when the client asked for it, Plex's XML otherwise. */
	private container(
		call: FakeCall<PlexCaller>,
		body: { MediaContainer: Record<string, unknown> },
	): FakeReply {
		const accept = headerValue(call.request.headers, 'accept') ?? '';
		if (/application\/json/i.test(accept)) return { status: 200, body };
		return {
			status: 200,
			headers: { 'content-type': 'text/xml;charset=utf-8' },
			body: `<?xml version="1.0" encoding="UTF-8"?>\n${plexXml('MediaContainer', body.MediaContainer)}\n`,
		};
	}

	/** Constructed in the shape of test/fixtures/api/plex/library-sections-capture.json, from the options. */
	private sectionsBody(): { MediaContainer: Record<string, unknown> } {
		const created = 1700000000;
		return {
			MediaContainer: {
				size: this.sections.length,
				allowSync: false,
				title1: 'Plex Library',
				Directory: this.sections.map((section, index) => {
					const key = String(section.key);
					const looks = AGENTS[section.type] ?? AGENTS.movie;
					return {
						allowSync: true,
						art: looks.art,
						composite: `/library/sections/${key}/composite/${created + index}`,
						filters: true,
						refreshing: false,
						thumb: looks.thumb,
						key,
						type: section.type,
						title: section.title,
						agent: looks.agent,
						scanner: looks.scanner,
						language: 'en-US',
						uuid: `ac000000-0000-0000-0000-${key.padStart(12, '0')}`,
						updatedAt: created + index,
						createdAt: created,
						scannedAt: created + index,
						content: true,
						directory: true,
						contentChangedAt: 1000 + index,
						hidden: 0,
						Location: section.locations.map(({ id, path }) => ({ id, path })),
					};
				}),
			},
		};
	}
}
