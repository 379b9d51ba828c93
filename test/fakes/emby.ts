import { createHash } from 'crypto';
import {
	Catalog,
	dotnetDate,
	NOT_PLAYED,
	numericId,
	PlayStore,
	providerId,
	WebhookOutbox,
	type CatalogItem,
	type PlayedWrite,
	type PlayState,
	type SentWebhook,
} from './catalog';
import {
	checkMediaUpdates,
	FakeServer,
	headerValue,
	queryValue,
	type FakeCall,
	type FakeHandler,
	type FakeReply,
	type FakeServerOptions,
	type MediaUpdate,
	type RecordedRequest,
} from './server';
import { parseMediaBrowserHeader } from './jellyfin';
import { parseCompactDate, type SpecName } from './spec';

/**
 * A fake Emby 4.8 server (spec: Emby.SDK openapi_v3.json 4.8.11.0). It serves both the root paths and `/emby/…`
 * (the spec's server URL is `http://emby.media/emby`; real Emby answers both). Auth: header `X-Emby-Token`, query
 * `api_key`, or a `Token="…"` in `Authorization` / `X-Emby-Authorization` (scheme `Emby` or `MediaBrowser`).
 * Response bodies are constructed from the spec's schemas (no real Emby capture is saved).
 *
 * With a `catalog` and `users`, it also serves users, items with per-user played state (filters as the spec
 * describes them, `AnyProviderIdEquals` included) and the played writes, and sends Emby's own
 * `item.markplayed` / `item.markunplayed` webhook after each played write.
 */

export interface FakeEmbyLibrary {
	/** Emby item ids are numeric strings, e.g. `"3"`. */
	itemId: string;
	name: string;
	/** `movies`, `tvshows`, `music`, `homevideos`, … */
	collectionType: string;
	locations: string[];
}

export interface FakeEmbyUser {
	/** 32 hex digits (dashes are dropped). */
	id: string;
	name: string;
	isAdmin: boolean;
}

export interface FakeEmbyOptions extends FakeServerOptions {
	apiKeys: string[];
	libraries?: FakeEmbyLibrary[];
	serverId?: string;
	serverName?: string;
	users?: FakeEmbyUser[];
	/** The media library (ids become numeric strings, see embyId); its libraries are added to `libraries`. */
	catalog?: readonly CatalogItem[];
	/** Where Emby's webhooks post; none when unset. */
	webhookUrl?: string;
}

export interface EmbyCaller {
	token: string;
	/** `X-Emby-Token`, `api_key`, `Authorization` or `X-Emby-Authorization`. */
	via: string;
}

export interface EmbyRefresh {
	/** null for POST /Library/Refresh (all libraries). */
	itemId: string | null;
	query: Record<string, string | string[]>;
}

/** Operations Emby answers without a token, although the spec lists security for all of them. */
const ANONYMOUS = new Set([
	'getSystemInfoPublic',
	'getSystemPing',
	'postSystemPing',
	'getUsersPublic',
	'postUsersAuthenticatebyname',
]);

const ITEM_TYPES: Record<CatalogItem['type'], string> = {
	movie: 'Movie',
	series: 'Series',
	episode: 'Episode',
};

/** The Emby item id of a catalog id: itself when numeric, else a number derived from a hash. */
export function embyId(catalogId: string): string {
	return numericId('emby', catalogId);
}

function guidN(id: string): string {
	return id.replace(/-/g, '').toLowerCase();
}

/** Emby's list parameters are one comma-separated string (the spec types them `string`). */
function queryList(query: Record<string, string | string[]>, name: string): string[] {
	return (queryValue(query, name) ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function queryFlag(query: Record<string, string | string[]>, name: string): boolean | undefined {
	const value = queryValue(query, name);
	return value === undefined ? undefined : value.toLowerCase() === 'true';
}

function queryInt(query: Record<string, string | string[]>, name: string): number | undefined {
	const value = queryValue(query, name);
	return value === undefined ? undefined : Number(value);
}

/** `AnyProviderIdEquals`: `prov.id` pairs; undefined when one of them is not in that form. */
function providerPairs(value: string): Array<[string, string]> | undefined {
	const pairs: Array<[string, string]> = [];
	for (const entry of value.split(',')) {
		const dot = entry.indexOf('.');
		if (dot <= 0 || dot === entry.length - 1) return undefined;
		pairs.push([entry.slice(0, dot).trim(), entry.slice(dot + 1).trim()]);
	}
	return pairs;
}

function basename(path: string): string {
	return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** A stable GUID for a library (Emby's VirtualFolderInfo.Guid), made from the fake's server id and item id. */
function libraryGuid(serverId: string, itemId: string): string {
	const hex = createHash('md5').update(`${serverId}/${itemId}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class FakeEmby extends FakeServer<EmbyCaller> {
	protected readonly specName: SpecName = 'emby';
	protected readonly label = 'FakeEmby';
	readonly serverId: string;
	readonly serverName: string;
	readonly serverVersion = '4.8.11.0';
	readonly apiKeys: string[];
	readonly libraries: FakeEmbyLibrary[];

	/** One entry per accepted POST /Library/Media/Updated: its Updates. */
	readonly mediaUpdates: MediaUpdate[][] = [];
	/** Accepted POST /Library/Refresh (itemId null) and POST /Items/{Id}/Refresh. */
	readonly refreshes: EmbyRefresh[] = [];
	readonly users: FakeEmbyUser[];
	/** The media library given as `catalog`. */
	readonly catalog: Catalog;
	/** One entry per accepted played write (POST / DELETE /Users/{UserId}/PlayedItems/{Id}, POST …/Delete). */
	readonly playedWrites: PlayedWrite[] = [];

	private readonly played: PlayStore;
	private readonly outbox: WebhookOutbox;
	private readonly byItemId = new Map<string, CatalogItem>();

	constructor(options: FakeEmbyOptions) {
		super(options);
		this.serverId = options.serverId ?? 'e3b0c44298fc1c149afbf4c8996fb924';
		this.serverName = options.serverName ?? 'fake-emby';
		this.apiKeys = [...options.apiKeys];
		this.libraries = (options.libraries ?? []).map((library) => ({ ...library }));
		this.users = (options.users ?? []).map((user) => ({ ...user, id: guidN(user.id) }));
		this.catalog = new Catalog(options.catalog);
		this.played = new PlayStore(this.catalog);
		this.outbox = new WebhookOutbox(this.label, options.webhookUrl);
		for (const item of this.catalog.items) {
			const id = embyId(item.id);
			if (this.byItemId.has(id)) throw new Error(`FakeEmby: two catalog items have the id ${id}`);
			this.byItemId.set(id, item);
		}
		for (const libraryId of this.catalog.libraryIds) {
			const itemId = embyId(libraryId);
			if (this.libraries.some((library) => library.itemId === itemId)) continue;
			this.libraries.push({
				itemId,
				name: libraryId,
				collectionType: this.catalog.collectionType(libraryId),
				locations: [`/mnt/${libraryId}`],
			});
		}
	}

	/** Forgets recorded requests, media updates, refreshes, played writes and sent webhooks (not played state). */
	clear(): void {
		super.clear();
		this.mediaUpdates.length = 0;
		this.refreshes.length = 0;
		this.playedWrites.length = 0;
		this.outbox.clear();
	}

	/** The Emby item id of a catalog item (see embyId). */
	itemIdOf(catalogId: string): string {
		return embyId(catalogId);
	}

	/** A user's played state of an item (catalog id or Emby id); a series with episodes: derived from them. */
	stateOf(userId: string, itemId: string): PlayState {
		return this.played.get(guidN(userId), this.catalogItem(itemId));
	}

	/** Sets a user's played state of an item (a series with episodes: of each episode), without a webhook. */
	setState(userId: string, itemId: string, state: PlayState): void {
		this.played.set(guidN(userId), this.catalogItem(itemId), state);
	}

	/** Forgets every user's played state. */
	resetState(): void {
		this.played.reset();
	}

	get webhookUrl(): string | undefined {
		return this.outbox.url;
	}

	setWebhookUrl(url: string | undefined): void {
		this.outbox.url = url;
	}

	/** Webhooks sent since the last clear(), each recorded once its target answered (or failed). */
	get webhooksSent(): readonly SentWebhook[] {
		return this.outbox.sent;
	}

	/** Resolves once at least `count` webhooks were sent (see webhooksSent); rejects after `timeoutMs`. */
	waitForWebhooks(count: number, timeoutMs = 5000): Promise<SentWebhook[]> {
		return this.outbox.wait(count, timeoutMs);
	}

	private catalogItem(itemId: string): CatalogItem {
		const item = this.catalog.get(itemId) ?? this.byItemId.get(itemId);
		if (!item) throw new Error(`FakeEmby: no catalog item ${itemId}`);
		return item;
	}

	protected readonly handlers: Record<string, FakeHandler<EmbyCaller>> = {
		getSystemInfo: () => ({ status: 200, body: this.systemInfo() }),
		getSystemInfoPublic: () => ({ status: 200, body: this.publicSystemInfo() }),
		getLibraryVirtualfoldersQuery: (call) => {
			const start = Number(queryValue(call.request.query, 'StartIndex') ?? 0);
			const limit = queryValue(call.request.query, 'Limit');
			const page = this.libraries.slice(
				start,
				limit === undefined ? undefined : start + Number(limit),
			);
			return {
				status: 200,
				body: {
					Items: page.map((library) => this.virtualFolder(library)),
					TotalRecordCount: this.libraries.length,
				},
			};
		},
		postLibraryRefresh: (call) => {
			this.refreshes.push({ itemId: null, query: call.request.query });
			return { status: 204 };
		},
		postItemsByIdRefresh: (call) => {
			const itemId = call.params.Id;
			if (!this.libraries.some((library) => library.itemId === itemId)) {
				return { status: 404, body: `Item not found: ${itemId}`, reason: `no item ${itemId}` };
			}
			this.refreshes.push({ itemId, query: call.request.query });
			return { status: 204 };
		},
		postLibraryMediaUpdated: (call) => {
			const { Updates } = call.request.body as { Updates: MediaUpdate[] };
			this.mediaUpdates.push(Updates.map(({ Path, UpdateType }) => ({ Path, UpdateType })));
			return { status: 204 };
		},
		getUsersQuery: (call) => {
			const query = call.request.query;
			const isHidden = queryFlag(query, 'IsHidden');
			const isDisabled = queryFlag(query, 'IsDisabled');
			// The fake's users are neither hidden nor disabled.
			const users = this.users.filter(() => isHidden !== true && isDisabled !== true);
			const start = Math.max(0, queryInt(query, 'StartIndex') ?? 0);
			const limit = queryInt(query, 'Limit');
			const page = users.slice(start, limit === undefined ? undefined : start + Math.max(0, limit));
			return {
				status: 200,
				body: { Items: page.map((user) => this.userDto(user)), TotalRecordCount: users.length },
			};
		},
		getUsersById: (call) => {
			const user = this.users.find((candidate) => candidate.id === guidN(call.params.Id));
			if (!user) return { status: 404, body: 'User not found', reason: 'no such user' };
			return { status: 200, body: this.userDto(user) };
		},
		getItems: (call) => this.getItems(call, queryValue(call.request.query, 'UserId')),
		getUsersByUseridItems: (call) => this.getItems(call, call.params.UserId),
		postUsersByUseridPlayeditemsById: (call) => this.writePlayed(call, true),
		deleteUsersByUseridPlayeditemsById: (call) => this.writePlayed(call, false),
		postUsersByUseridPlayeditemsByIdDelete: (call) => this.writePlayed(call, false),
	};

	/** Emby serves `/emby/…` and the same paths at the root. */
	protected specPath(path: string): string {
		const match = /^\/emby(\/|$)/i.exec(path);
		return match ? path.slice(5) || '/' : path;
	}

	protected rules(call: FakeCall<EmbyCaller>): FakeReply | undefined {
		if (call.operationId === 'postLibraryMediaUpdated') {
			const problem = checkMediaUpdates(call.request.body);
			if (problem) return { status: 400, body: problem, reason: problem };
		}
		// The spec types DatePlayed as a string and says "Format = yyyyMMddHHmmss"; Emby parses exactly that.
		const datePlayed = queryValue(call.request.query, 'DatePlayed');
		if (
			call.operationId === 'postUsersByUseridPlayeditemsById' &&
			datePlayed !== undefined &&
			!parseCompactDate(datePlayed)
		) {
			const problem = `DatePlayed must be yyyyMMddHHmmss (UTC), not ${JSON.stringify(datePlayed)}`;
			return { status: 400, body: problem, reason: problem };
		}
		return undefined;
	}

	protected authenticate(call: FakeCall<EmbyCaller>): { auth?: EmbyCaller } | { reply: FakeReply } {
		if (ANONYMOUS.has(call.operationId)) return {};
		const found = this.findToken(call.request);
		if (!found || !this.apiKeys.includes(found.token)) {
			const problem = 'Access token is invalid or expired.';
			return {
				reply: {
					status: 401,
					body: problem,
					reason: found ? `unknown token (from ${found.via})` : 'no token',
				},
			};
		}
		return { auth: found };
	}

	private findToken(request: RecordedRequest): EmbyCaller | undefined {
		const header = headerValue(request.headers, 'x-emby-token');
		if (header) return { token: header, via: 'X-Emby-Token' };
		const query = queryValue(request.query, 'api_key');
		if (query) return { token: query, via: 'api_key' };
		for (const name of ['authorization', 'x-emby-authorization']) {
			const value = headerValue(request.headers, name);
			const token = value ? parseMediaBrowserHeader(value, ['emby', 'mediabrowser'])?.token : '';
			if (token)
				return { token, via: name === 'authorization' ? 'Authorization' : 'X-Emby-Authorization' };
		}
		return undefined;
	}

	/**
	 * GET /Items (user from `UserId`) and GET /Users/{UserId}/Items: the catalog filtered as the spec describes
	 * the parameters. Without `Recursive`, `Ids` or `ParentId` it lists the root folders (the libraries).
	 * Seasons are not modelled: a series' children are its episodes.
	 */
	private getItems(call: FakeCall<EmbyCaller>, userId: string | undefined): FakeReply {
		const query = call.request.query;
		const user =
			userId === undefined
				? undefined
				: this.users.find((candidate) => candidate.id === guidN(userId));
		if (userId !== undefined && !user) {
			return { status: 404, body: 'User not found', reason: `no user ${userId}` };
		}
		let pairs: Array<[string, string]> | undefined;
		const anyProviderId = queryValue(query, 'AnyProviderIdEquals');
		if (anyProviderId !== undefined) {
			pairs = providerPairs(anyProviderId);
			if (!pairs) {
				// The spec: "Each provider ID must be in the form 'prov.id', e.g. 'imdb.tt123456'".
				const problem = `AnyProviderIdEquals takes prov.id pairs, not ${JSON.stringify(anyProviderId)}`;
				return { status: 400, body: problem, reason: problem };
			}
		}
		const recursive = queryFlag(query, 'Recursive') ?? false;
		const ids = queryList(query, 'Ids');
		const parentId = queryValue(query, 'ParentId');
		const fields = new Set(queryList(query, 'Fields'));
		const withUserData = user !== undefined && queryFlag(query, 'EnableUserData') !== false;
		const withImages = queryFlag(query, 'EnableImages') !== false;
		if (!recursive && ids.length === 0 && parentId === undefined) {
			const folders = this.libraries.map((library) => ({
				Name: library.name,
				ServerId: this.serverId,
				Id: library.itemId,
				Type: 'CollectionFolder',
				IsFolder: true,
				CollectionType: library.collectionType,
			}));
			return { status: 200, body: { Items: folders, TotalRecordCount: folders.length } };
		}
		const isPlayed = queryFlag(query, 'IsPlayed');
		if (isPlayed !== undefined && !user) {
			const problem = 'IsPlayed is a per-user filter: give a UserId';
			return { status: 400, body: problem, reason: problem };
		}
		let items: readonly CatalogItem[] = this.catalog.items;
		if (parentId !== undefined) items = this.childrenOf(parentId, recursive);
		const include = new Set(queryList(query, 'IncludeItemTypes'));
		const exclude = new Set(queryList(query, 'ExcludeItemTypes'));
		const idSet = new Set(ids);
		const years = new Set(queryList(query, 'Years').map(Number));
		const season = queryInt(query, 'ParentIndexNumber');
		const episode = queryInt(query, 'IndexNumber');
		const search = queryValue(query, 'SearchTerm')?.toLowerCase();
		const has = (['Tmdb', 'Imdb', 'Tvdb'] as const).map(
			(provider) => [provider, queryFlag(query, `Has${provider}Id`)] as const,
		);
		items = items.filter((item) => {
			const type = ITEM_TYPES[item.type];
			if (include.size && !include.has(type)) return false;
			if (exclude.has(type)) return false;
			if (idSet.size && !idSet.has(embyId(item.id))) return false;
			if (years.size && (item.year === undefined || !years.has(item.year))) return false;
			if (season !== undefined && item.seasonNumber !== season) return false;
			if (episode !== undefined && item.episodeNumber !== episode) return false;
			if (search !== undefined && !item.title.toLowerCase().includes(search)) return false;
			for (const [provider, wanted] of has) {
				if (wanted !== undefined && (providerId(item, provider) !== undefined) !== wanted)
					return false;
			}
			// OR-ed; the provider name matches in any case, the id as an exact string.
			if (pairs && !pairs.some(([provider, id]) => providerId(item, provider) === id)) return false;
			if (isPlayed !== undefined && this.played.get(user!.id, item).played !== isPlayed)
				return false;
			return true;
		});
		items = this.sorted(items, queryList(query, 'SortBy'), queryList(query, 'SortOrder'), user);
		const start = Math.max(0, queryInt(query, 'StartIndex') ?? 0);
		const limit = queryInt(query, 'Limit');
		const page = items.slice(start, limit === undefined ? undefined : start + Math.max(0, limit));
		return {
			status: 200,
			body: {
				Items: page.map((item) =>
					this.itemDto(item, fields, withImages, withUserData ? user : undefined),
				),
				TotalRecordCount: items.length,
			},
		};
	}

	/** A library's movies and series (recursive: and episodes), or a series' episodes; none for an unknown id. */
	private childrenOf(parentId: string, recursive: boolean): readonly CatalogItem[] {
		const library = this.catalog.libraryIds.find((id) => embyId(id) === parentId);
		if (library !== undefined) {
			const items = this.catalog.inLibrary(library);
			return recursive ? items : items.filter((item) => item.type !== 'episode');
		}
		const parent = this.byItemId.get(parentId);
		return parent?.type === 'series' ? this.catalog.episodesOf(parent.id) : [];
	}

	/** `SortBy` (comma list) with `SortOrder` (one per SortBy, else the first, else ascending). */
	private sorted(
		items: readonly CatalogItem[],
		sortBy: string[],
		sortOrder: string[],
		user: FakeEmbyUser | undefined,
	): readonly CatalogItem[] {
		const keys: Record<string, (item: CatalogItem) => string | number> = {
			DatePlayed: (item) => (user ? (this.played.get(user.id, item).lastPlayedDate ?? '') : ''),
			PlayCount: (item) => (user ? this.played.get(user.id, item).playCount : 0),
			SortName: (item) => item.title.toLowerCase(),
			ProductionYear: (item) => item.year ?? 0,
		};
		const order = sortBy
			.map((name, index) => ({
				key: keys[name],
				sign: (sortOrder[index] ?? sortOrder[0] ?? 'Ascending') === 'Descending' ? -1 : 1,
			}))
			.filter(({ key }) => key !== undefined);
		if (order.length === 0) return items;
		const decorated = items.map((item) => ({ item, values: order.map(({ key }) => key(item)) }));
		decorated.sort((a, b) => {
			for (const [index, { sign }] of order.entries()) {
				const left = a.values[index];
				const right = b.values[index];
				if (left < right) return -sign;
				if (left > right) return sign;
			}
			return 0;
		});
		return decorated.map(({ item }) => item);
	}

	/** A BaseItemDto: `ProviderIds`, `Path` and `ParentId` only when asked for in `Fields`. */
	private itemDto(
		item: CatalogItem,
		fields: Set<string>,
		withImages: boolean,
		user: FakeEmbyUser | undefined,
	): Record<string, unknown> {
		const series = item.seriesId === undefined ? undefined : this.catalog.get(item.seriesId);
		const dto: Record<string, unknown> = {
			Name: item.title,
			ServerId: this.serverId,
			Id: embyId(item.id),
			Type: ITEM_TYPES[item.type],
			IsFolder: item.type === 'series',
		};
		if (item.year !== undefined) dto.ProductionYear = item.year;
		if (series) {
			dto.SeriesName = series.title;
			dto.SeriesId = embyId(series.id);
			if (item.seasonNumber !== undefined) dto.ParentIndexNumber = item.seasonNumber;
			if (item.episodeNumber !== undefined) dto.IndexNumber = item.episodeNumber;
		}
		if (fields.has('ParentId')) dto.ParentId = series ? embyId(series.id) : embyId(item.libraryId);
		if (fields.has('ProviderIds')) dto.ProviderIds = { ...item.providerIds };
		if (fields.has('Path') && item.path !== undefined) dto.Path = item.path;
		if (item.type !== 'series') dto.MediaType = 'Video';
		if (withImages) {
			dto.ImageTags = {};
			dto.BackdropImageTags = [];
		}
		if (user) dto.UserData = this.userDataDto(user.id, item);
		return dto;
	}

	private userDataDto(userId: string, item: CatalogItem): Record<string, unknown> {
		const state = this.played.get(userId, item);
		const id = embyId(item.id);
		const dto: Record<string, unknown> = {
			PlaybackPositionTicks: 0,
			PlayCount: state.playCount,
			IsFavorite: false,
			Played: state.played,
			Key: id,
			ItemId: id,
		};
		if (item.type === 'series') dto.UnplayedItemCount = this.played.unplayedCount(userId, item);
		if (state.lastPlayedDate !== null) dto.LastPlayedDate = dotnetDate(state.lastPlayedDate);
		return dto;
	}

	/**
	 * POST / DELETE /Users/{UserId}/PlayedItems/{Id}. Emby's source is closed since 3.x; the state change is the
	 * one of the code Jellyfin and Emby share (BaseItem.MarkPlayed / MarkUnplayed): the count goes up by one only
	 * with a DatePlayed (else it is at least 1), LastPlayedDate = DatePlayed ?? the previous date ?? now; unplayed
	 * clears count and date. A series marks each episode, each with its own webhook (assumed, as in Jellyfin).
	 */
	private writePlayed(call: FakeCall<EmbyCaller>, played: boolean): FakeReply {
		const user = this.users.find((candidate) => candidate.id === guidN(call.params.UserId));
		if (!user) return { status: 404, body: 'User not found', reason: 'no such user' };
		const item = this.byItemId.get(call.params.Id);
		if (!item) return { status: 404, body: 'Item not found', reason: `no item ${call.params.Id}` };
		const datePlayed = played ? queryValue(call.request.query, 'DatePlayed') : undefined;
		const date = datePlayed === undefined ? undefined : parseCompactDate(datePlayed)!.toISOString();
		const now = new Date().toISOString();
		for (const leaf of this.catalog.leavesOf(item)) {
			const before = this.played.own(user.id, leaf.id);
			const after: PlayState = played
				? {
						played: true,
						playCount: Math.max(before.playCount + (date === undefined ? 0 : 1), 1),
						lastPlayedDate: date ?? before.lastPlayedDate ?? now,
					}
				: { ...NOT_PLAYED };
			this.played.set(user.id, leaf, after);
			this.outbox.send(this.markPlayedWebhook(user, leaf, played), 'application/json');
		}
		this.playedWrites.push({
			userId: user.id,
			itemId: item.id,
			requestedId: call.params.Id,
			played,
			...(datePlayed === undefined ? {} : { datePlayed }),
			at: Date.now(),
		});
		return { status: 200, body: this.userDataDto(user.id, item) };
	}

	/**
	 * Emby's `item.markplayed` / `item.markunplayed` webhook (4.8.11 posts it as application/json), constructed
	 * from the shape of the real fixture test/fixtures/emby/item-markplayed-episode-4.7.14.json: `Title` (the
	 * fixture has the event name there), `Date`, `Event`, `User`, `Item` (a BaseItemDto, here with the fields the
	 * catalog has a value for) and `Server`. Like the fixture, the Item carries no UserData / played flag.
	 */
	private markPlayedWebhook(
		user: FakeEmbyUser,
		item: CatalogItem,
		played: boolean,
	): Record<string, unknown> {
		const event = played ? 'item.markplayed' : 'item.markunplayed';
		const series = item.seriesId === undefined ? undefined : this.catalog.get(item.seriesId);
		const dto: Record<string, unknown> = {
			Name: item.title,
			ServerId: this.serverId,
			Id: embyId(item.id),
		};
		if (item.path !== undefined) {
			dto.Path = item.path;
			if (item.type !== 'series') dto.FileName = basename(item.path);
		}
		if (item.year !== undefined) dto.ProductionYear = item.year;
		if (item.episodeNumber !== undefined) dto.IndexNumber = item.episodeNumber;
		if (item.seasonNumber !== undefined) dto.ParentIndexNumber = item.seasonNumber;
		Object.assign(dto, {
			ProviderIds: { ...item.providerIds },
			IsFolder: item.type === 'series',
			ParentId: series ? embyId(series.id) : embyId(item.libraryId),
			Type: ITEM_TYPES[item.type],
		});
		if (series) {
			dto.SeriesName = series.title;
			dto.SeriesId = embyId(series.id);
		}
		if (item.type !== 'series') dto.MediaType = 'Video';
		return {
			Title: event,
			Date: dotnetDate(new Date().toISOString()),
			Event: event,
			User: { Name: user.name, Id: user.id },
			Item: dto,
			Server: { Name: this.serverName, Id: this.serverId, Version: this.serverVersion },
		};
	}

	// Bodies below are constructed from the spec's schemas (SystemInfo, PublicSystemInfo, VirtualFolderInfo,
	// UserDto).

	private userDto(user: FakeEmbyUser) {
		return {
			Name: user.name,
			ServerId: this.serverId,
			ServerName: this.serverName,
			Id: user.id,
			HasPassword: true,
			HasConfiguredPassword: true,
			HasConfiguredEasyPassword: false,
			EnableAutoLogin: false,
			Configuration: {
				PlayDefaultAudioTrack: true,
				SubtitleLanguagePreference: '',
				DisplayMissingEpisodes: false,
				SubtitleMode: 'Default',
				OrderedViews: [],
				LatestItemsExcludes: [],
				MyMediaExcludes: [],
				HidePlayedInLatest: true,
				RememberAudioSelections: true,
				RememberSubtitleSelections: true,
				EnableNextEpisodeAutoPlay: true,
				ResumeRewindSeconds: 0,
				IntroSkipMode: 'ShowButton',
				EnableLocalPassword: false,
			},
			Policy: {
				IsAdministrator: user.isAdmin,
				IsHidden: false,
				IsHiddenRemotely: false,
				IsHiddenFromUnusedDevices: false,
				IsDisabled: false,
				BlockedTags: [],
				IsTagBlockingModeInclusive: false,
				IncludeTags: [],
				EnableUserPreferenceAccess: true,
				AccessSchedules: [],
				BlockUnratedItems: [],
				EnableRemoteControlOfOtherUsers: user.isAdmin,
				EnableSharedDeviceControl: true,
				EnableRemoteAccess: true,
				EnableLiveTvManagement: user.isAdmin,
				EnableLiveTvAccess: true,
				EnableMediaPlayback: true,
				EnableAudioPlaybackTranscoding: true,
				EnableVideoPlaybackTranscoding: true,
				EnablePlaybackRemuxing: true,
				EnableContentDeletion: user.isAdmin,
				RestrictedFeatures: [],
				EnableContentDeletionFromFolders: [],
				EnableContentDownloading: true,
				EnableSubtitleDownloading: false,
				EnableSubtitleManagement: user.isAdmin,
				EnableSyncTranscoding: true,
				EnableMediaConversion: true,
				EnabledChannels: [],
				EnableAllChannels: true,
				EnabledFolders: [],
				EnableAllFolders: true,
				InvalidLoginAttemptCount: 0,
				EnablePublicSharing: true,
				BlockedMediaFolders: [],
				RemoteClientBitrateLimit: 0,
				AuthenticationProviderId:
					'Emby.Server.Implementations.Library.DefaultAuthenticationProvider',
				ExcludedSubFolders: [],
				SimultaneousStreamLimit: 0,
				EnabledDevices: [],
				EnableAllDevices: true,
				AllowCameraUpload: true,
				AllowSharingPersonalItems: false,
			},
		};
	}

	private publicSystemInfo() {
		return {
			LocalAddress: this.url,
			LocalAddresses: [this.url],
			RemoteAddresses: [],
			ServerName: this.serverName,
			Version: this.serverVersion,
			Id: this.serverId,
		};
	}

	private systemInfo() {
		return {
			...this.publicSystemInfo(),
			SystemUpdateLevel: 'Release',
			OperatingSystemDisplayName: 'Linux',
			PackageName: 'emby-server-deb_4.8.11.0_amd64.deb',
			HasPendingRestart: false,
			IsShuttingDown: false,
			HasImageEnhancers: false,
			OperatingSystem: 'Linux',
			SupportsLibraryMonitor: true,
			SupportsLocalPortConfiguration: true,
			SupportsWakeServer: false,
			WebSocketPortNumber: this.port,
			CompletedInstallations: [],
			CanSelfRestart: true,
			CanSelfUpdate: false,
			CanLaunchWebBrowser: false,
			ProgramDataPath: '/var/lib/emby',
			ItemsByNamePath: '/var/lib/emby/metadata',
			CachePath: '/var/lib/emby/cache',
			LogPath: '/var/lib/emby/logs',
			InternalMetadataPath: '/var/lib/emby/metadata',
			TranscodingTempPath: '/var/lib/emby/transcoding-temp',
			HttpServerPortNumber: this.port,
			SupportsHttps: this.tls,
			HttpsPortNumber: 8920,
			HasUpdateAvailable: false,
			SupportsAutoRunAtStartup: false,
			HardwareAccelerationRequiresPremiere: true,
			WakeOnLanInfo: [],
		};
	}

	private virtualFolder(library: FakeEmbyLibrary) {
		return {
			Name: library.name,
			Locations: library.locations,
			CollectionType: library.collectionType,
			LibraryOptions: {
				EnableRealtimeMonitor: true,
				EnablePhotos: true,
				PathInfos: library.locations.map((Path) => ({ Path })),
			},
			ItemId: library.itemId,
			Id: library.itemId,
			Guid: libraryGuid(this.serverId, library.itemId),
			PrimaryImageItemId: library.itemId,
			RefreshStatus: 'Idle',
		};
	}
}
