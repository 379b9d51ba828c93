/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test fakes: local HTTP(S) servers for the tests */
import { randomBytes } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
import {
	Catalog,
	dotnetDate,
	md5Hex,
	NOT_PLAYED,
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
import { jellyfinWireText, userDataSaved } from '../fixtures/jellyfinPlugin';
import { parseCompactDate, type SpecName } from './spec';

/**
 * A fake Jellyfin 12.0 / 10.11 server. Auth follows Jellyfin's AuthorizationContext.cs (see
 * research/media-apis.md §1): `Authorization: MediaBrowser Token="…", Client="…", …` and query `ApiKey` always;
 * the legacy forms (`X-Emby-Token`, `X-MediaBrowser-Token`, `X-Emby-Authorization`, query `api_key`, scheme
 * `Emby`) only while EnableLegacyAuthorization is on: default on for 10.11, off for 12.0.
 * Response bodies are constructed from the spec's schemas (no real Jellyfin capture is saved).
 *
 * With a `catalog`, it also serves users, items with per-user played state, and the played writes, following
 * ItemsController, PlaystateController and BaseItem.MarkPlayed/MarkUnplayed (research/media-apis.md §1), and sends
 * the webhook plugin's UserDataSaved webhook after each played write.
 */

export interface FakeJellyfinUser {
	id: string;
	name: string;
	password: string;
	isAdmin: boolean;
}

export interface FakeJellyfinLibrary {
	/** The library's item id (32 hex digits, dashed or not). */
	itemId: string;
	name: string;
	/** `movies`, `tvshows`, `music`, … (Jellyfin's CollectionTypeOptions). */
	collectionType: string;
	locations: string[];
}

export interface FakeJellyfinOptions extends FakeServerOptions {
	/** Picks the spec file and the auth defaults (default '12.0'). */
	version?: '12.0' | '10.11';
	apiKeys: string[];
	users?: FakeJellyfinUser[];
	libraries?: FakeJellyfinLibrary[];
	serverId?: string;
	serverName?: string;
	/** The server option EnableLegacyAuthorization (default: true on 10.11, false on 12.0). */
	legacyAuthorization?: boolean;
	/** The media library (ids become 32-hex GUIDs, see jellyfinId); its libraries are added to `libraries`. */
	catalog?: readonly CatalogItem[];
	/** Where the webhook plugin posts (Generic destination); none when unset. */
	webhookUrl?: string;
}

/** Who is calling: an API key (administrator, no user) or a session token of a user. */
export interface JellyfinCaller {
	token: string;
	isAdmin: boolean;
	user?: FakeJellyfinUser;
	/** Where the token came from, e.g. `Authorization`, `ApiKey`, `X-Emby-Token`. */
	via: string;
}

export interface JellyfinSession {
	token: string;
	sessionId: string;
	user: FakeJellyfinUser;
	client: string;
	device: string;
	deviceId: string;
	appVersion: string;
	at: number;
}

export interface JellyfinRefresh {
	/** null for POST /Library/Refresh (all libraries). */
	itemId: string | null;
	query: Record<string, string | string[]>;
}

const ELEVATED_SCOPES = ['RequiresElevation', 'FirstTimeSetupOrElevated'];
const LEGACY_TOKEN_HEADERS = ['x-emby-token', 'x-mediabrowser-token'];
const CLIENT_FIELDS = ['Client', 'Device', 'DeviceId', 'Version'];
const ITEM_TYPES: Record<CatalogItem['type'], string> = {
	movie: 'Movie',
	series: 'Series',
	episode: 'Episode',
};

function guidN(id: string): string {
	return id.replace(/-/g, '').toLowerCase();
}

/** The Jellyfin item id of a catalog id: itself when it is a GUID already, else a hash (32 hex digits). */
export function jellyfinId(catalogId: string): string {
	if (/^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$/i.test(catalogId)) return guidN(catalogId);
	return md5Hex(`jellyfin:${catalogId}`);
}

/**
 * An array query parameter as CommaDelimitedArrayModelBinder reads it: repeated values as they are, one value
 * split at commas (the spec check has already validated each element, see spec.ts fixCommaDelimitedArrays).
 */
function queryList(query: Record<string, string | string[]>, name: string): string[] {
	const value = query[name];
	if (value === undefined) return [];
	const values = Array.isArray(value) ? value : value.split(',');
	return values.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function queryFlag(query: Record<string, string | string[]>, name: string): boolean | undefined {
	const value = queryValue(query, name);
	return value === undefined ? undefined : value.toLowerCase() === 'true';
}

function queryInt(query: Record<string, string | string[]>, name: string): number | undefined {
	const value = queryValue(query, name);
	return value === undefined ? undefined : Number(value);
}

/** `WebUtility.UrlDecode`: `+` is a space, then percent-decoding. */
function urlDecode(value: string): string {
	try {
		return decodeURIComponent(value.replace(/\+/g, ' '));
	} catch {
		return value;
	}
}

/**
 * Parses `Scheme Key="value", Key2="value"` the way AuthorizationContext.GetParts does: scheme before the first
 * space, comma-separated pairs, split at the first `=`, quotes trimmed, values URL-decoded, keys case-insensitive.
 */
export function parseMediaBrowserHeader(
	header: string,
	schemes: string[],
): Record<string, string> | undefined {
	const space = header.indexOf(' ');
	if (space < 0) return undefined;
	const scheme = header.slice(0, space).toLowerCase();
	if (!schemes.includes(scheme)) return undefined;
	const parts: Record<string, string> = {};
	for (const pair of header.slice(space + 1).split(',')) {
		const equals = pair.indexOf('=');
		if (equals < 0) continue;
		const key = pair.slice(0, equals).trim().toLowerCase();
		const value = pair
			.slice(equals + 1)
			.trim()
			.replace(/^"|"$/g, '');
		parts[key] = urlDecode(value);
	}
	return parts;
}

export class FakeJellyfin extends FakeServer<JellyfinCaller> {
	protected readonly specName: SpecName;
	protected readonly label = 'FakeJellyfin';
	readonly version: '12.0' | '10.11';
	readonly serverId: string;
	readonly serverName: string;
	readonly legacyAuthorization: boolean;
	readonly apiKeys: string[];
	readonly users: FakeJellyfinUser[];
	readonly libraries: FakeJellyfinLibrary[];

	/** One entry per accepted POST /Library/Media/Updated: its Updates. */
	readonly mediaUpdates: MediaUpdate[][] = [];
	/** Accepted POST /Library/Refresh (itemId null) and POST /Items/{itemId}/Refresh. */
	readonly refreshes: JellyfinRefresh[] = [];
	/** Successful AuthenticateByName calls. */
	logins = 0;
	/** Session tokens (AccessToken) that are valid now. */
	readonly sessions = new Map<string, JellyfinSession>();
	/** The media library given as `catalog`. */
	readonly catalog: Catalog;
	/** One entry per accepted POST / DELETE /UserPlayedItems/{itemId}. */
	readonly playedWrites: PlayedWrite[] = [];

	private readonly played: PlayStore;
	private readonly outbox: WebhookOutbox;
	private readonly byItemId = new Map<string, CatalogItem>();

	constructor(options: FakeJellyfinOptions) {
		super(options);
		this.version = options.version ?? '12.0';
		this.specName = this.version === '12.0' ? 'jellyfin-12.0' : 'jellyfin-10.11';
		this.serverId = guidN(options.serverId ?? 'f4c3a11ce0000000000000000000f00d');
		this.serverName = options.serverName ?? 'fake-jellyfin';
		this.legacyAuthorization = options.legacyAuthorization ?? this.version === '10.11';
		this.apiKeys = [...options.apiKeys];
		this.users = (options.users ?? []).map((user) => ({ ...user, id: guidN(user.id) }));
		this.libraries = (options.libraries ?? []).map((library) => ({
			...library,
			itemId: guidN(library.itemId),
		}));
		this.catalog = new Catalog(options.catalog);
		this.played = new PlayStore(this.catalog);
		this.outbox = new WebhookOutbox(this.label, options.webhookUrl);
		for (const item of this.catalog.items) {
			const id = jellyfinId(item.id);
			if (this.byItemId.has(id))
				throw new Error(`FakeJellyfin: two catalog items have the id ${id}`);
			this.byItemId.set(id, item);
		}
		for (const libraryId of this.catalog.libraryIds) {
			const itemId = jellyfinId(libraryId);
			if (this.libraries.some((library) => library.itemId === itemId)) continue;
			this.libraries.push({
				itemId,
				name: libraryId,
				collectionType: this.catalog.collectionType(libraryId),
				locations: [`/media/${libraryId}`],
			});
		}
	}

	/** The Jellyfin version this fake reports. */
	get serverVersion(): string {
		return this.version === '12.0' ? '12.0.0' : '10.11.11';
	}

	/** Invalidates every session token (a server restart or an admin signing everyone out). */
	revokeAllSessions(): void {
		this.sessions.clear();
	}

	/** Forgets recorded requests, media updates, refreshes, played writes and sent webhooks (not sessions, the login count or played state). */
	clear(): void {
		super.clear();
		this.mediaUpdates.length = 0;
		this.refreshes.length = 0;
		this.playedWrites.length = 0;
		this.outbox.clear();
	}

	/** The Jellyfin item id of a catalog item (see jellyfinId). */
	itemIdOf(catalogId: string): string {
		return jellyfinId(catalogId);
	}

	/** A user's played state of an item (catalog id or Jellyfin id); a series with episodes: derived from them. */
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
		const item = this.catalog.get(itemId) ?? this.byItemId.get(guidN(itemId));
		if (!item) throw new Error(`FakeJellyfin: no catalog item ${itemId}`);
		return item;
	}

	protected readonly handlers: Record<string, FakeHandler<JellyfinCaller>> = {
		GetSystemInfo: () => ({ status: 200, body: this.systemInfo() }),
		GetPublicSystemInfo: () => ({ status: 200, body: this.publicSystemInfo() }),
		GetVirtualFolders: () => ({
			status: 200,
			body: this.libraries.map((library) => this.virtualFolder(library)),
		}),
		RefreshLibrary: (call) => {
			this.refreshes.push({ itemId: null, query: call.request.query });
			return { status: 204 };
		},
		RefreshItem: (call) => {
			const itemId = guidN(call.params.itemId);
			if (!this.libraries.some((library) => library.itemId === itemId)) {
				return { status: 404, reason: `no library with ItemId ${itemId}` };
			}
			this.refreshes.push({ itemId, query: call.request.query });
			return { status: 204 };
		},
		PostUpdatedMedia: (call) => {
			const { Updates } = call.request.body as { Updates: MediaUpdate[] };
			this.mediaUpdates.push(Updates.map(({ Path, UpdateType }) => ({ Path, UpdateType })));
			return { status: 204 };
		},
		AuthenticateUserByName: (call) => this.authenticateByName(call),
		GetUsers: (call) => {
			const isHidden = queryFlag(call.request.query, 'isHidden');
			const isDisabled = queryFlag(call.request.query, 'isDisabled');
			const users = this.users
				.map((user) => this.userDto(user, this.lastLogin(user)))
				.filter(
					({ Policy }) =>
						(isHidden === undefined || Policy.IsHidden === isHidden) &&
						(isDisabled === undefined || Policy.IsDisabled === isDisabled),
				);
			return { status: 200, body: users };
		},
		GetUserById: (call) => {
			const user = this.users.find((candidate) => candidate.id === guidN(call.params.userId));
			if (!user) return { status: 404, body: 'User not found', reason: 'no such user' };
			return { status: 200, body: this.userDto(user, this.lastLogin(user)) };
		},
		GetCurrentUser: (call) => {
			// An API key acts for no user: the real server answers 400 here.
			const user = call.auth?.user;
			if (!user)
				return { status: 400, body: 'Did not find a user', reason: 'an API key is no user' };
			return { status: 200, body: this.userDto(user, this.lastLogin(user)) };
		},
		GetItems: (call) => this.getItems(call),
		MarkPlayedItem: (call) => this.writePlayed(call, true),
		MarkUnplayedItem: (call) => this.writePlayed(call, false),
	};

	protected rules(call: FakeCall<JellyfinCaller>): FakeReply | undefined {
		if (call.operationId === 'PostUpdatedMedia') {
			const problem = checkMediaUpdates(call.request.body);
			if (problem) return { status: 400, body: problem, reason: problem };
		}
		if (call.operationId === 'AuthenticateUserByName') {
			const parts = this.authorizationParts(call.request.headers) ?? {};
			const missing = CLIENT_FIELDS.filter((field) => !parts[field.toLowerCase()]);
			if (missing.length) {
				const problem = `Value cannot be null or empty: the Authorization header lacks ${missing.join(', ')}`;
				return { status: 400, body: problem, reason: problem };
			}
		}
		return undefined;
	}

	protected authenticate(
		call: FakeCall<JellyfinCaller>,
	): { auth?: JellyfinCaller } | { reply: FakeReply } {
		if (!call.secured) return {};
		const found = this.findToken(call.request);
		if (!found) {
			return { reply: { status: 401, reason: `no usable token${this.legacyHint(call.request)}` } };
		}
		let caller: JellyfinCaller | undefined;
		if (this.apiKeys.includes(found.token)) caller = { ...found, isAdmin: true };
		else {
			const session = this.sessions.get(found.token);
			if (session) caller = { ...found, isAdmin: session.user.isAdmin, user: session.user };
		}
		if (!caller) return { reply: { status: 401, reason: 'unknown or revoked token' } };
		if (call.scopes.some((scope) => ELEVATED_SCOPES.includes(scope)) && !caller.isAdmin) {
			return { reply: { status: 403, reason: `${call.operationId} needs an administrator` } };
		}
		return { auth: caller };
	}

	/** The Authorization dictionary, read as AuthorizationContext does. */
	private authorizationParts(headers: IncomingHttpHeaders): Record<string, string> | undefined {
		const schemes = this.legacyAuthorization ? ['mediabrowser', 'emby'] : ['mediabrowser'];
		const authorization = headerValue(headers, 'authorization');
		const parsed = authorization ? parseMediaBrowserHeader(authorization, schemes) : undefined;
		if (parsed || !this.legacyAuthorization) return parsed;
		const legacy = headerValue(headers, 'x-emby-authorization');
		return legacy ? parseMediaBrowserHeader(legacy, schemes) : undefined;
	}

	private findToken(request: RecordedRequest): { token: string; via: string } | undefined {
		const fromHeader = this.authorizationParts(request.headers)?.token;
		if (fromHeader) return { token: fromHeader, via: 'Authorization' };
		if (this.legacyAuthorization) {
			for (const name of LEGACY_TOKEN_HEADERS) {
				const token = headerValue(request.headers, name);
				if (token) return { token, via: name };
			}
		}
		const apiKey = queryValue(request.query, 'ApiKey');
		if (apiKey) return { token: apiKey, via: 'ApiKey' };
		if (this.legacyAuthorization) {
			const legacyKey = queryValue(request.query, 'api_key');
			if (legacyKey) return { token: legacyKey, via: 'api_key' };
		}
		return undefined;
	}

	private legacyHint(request: RecordedRequest): string {
		if (this.legacyAuthorization) return '';
		const used = [
			...LEGACY_TOKEN_HEADERS.filter((name) => headerValue(request.headers, name)),
			...(headerValue(request.headers, 'x-emby-authorization') ? ['X-Emby-Authorization'] : []),
			...(/^emby /i.test(headerValue(request.headers, 'authorization') ?? '')
				? ['Authorization: Emby']
				: []),
			...(queryValue(request.query, 'api_key') ? ['api_key'] : []),
		];
		return used.length
			? ` (legacy authorization ${used.join(', ')} is off on Jellyfin ${this.version})`
			: '';
	}

	private authenticateByName(call: FakeCall<JellyfinCaller>): FakeReply {
		const { Username, Pw } = (call.request.body ?? {}) as { Username?: string; Pw?: string };
		const user = this.users.find(
			(candidate) => candidate.name.toLowerCase() === (Username ?? '').toLowerCase(),
		);
		if (!user || user.password !== (Pw ?? '')) {
			const problem = 'Invalid username or password entered.';
			return { status: 401, body: problem, reason: problem };
		}
		const parts = this.authorizationParts(call.request.headers)!;
		// Jellyfin signs out the earlier sessions of this user on this device.
		for (const [token, session] of this.sessions) {
			if (session.user.id === user.id && session.deviceId === parts.deviceid) {
				this.sessions.delete(token);
			}
		}
		const session: JellyfinSession = {
			token: randomBytes(16).toString('hex'),
			sessionId: randomBytes(16).toString('hex'),
			user,
			client: parts.client,
			device: parts.device,
			deviceId: parts.deviceid,
			appVersion: parts.version,
			at: Date.now(),
		};
		this.sessions.set(session.token, session);
		this.logins++;
		return {
			status: 200,
			body: {
				User: this.userDto(user, session.at),
				SessionInfo: this.sessionDto(session),
				AccessToken: session.token,
				ServerId: this.serverId,
			},
		};
	}

	/** The latest login of the user, when it has a session. */
	private lastLogin(user: FakeJellyfinUser): number | undefined {
		let latest: number | undefined;
		for (const session of this.sessions.values()) {
			if (session.user.id === user.id && (latest === undefined || session.at > latest))
				latest = session.at;
		}
		return latest;
	}

	/**
	 * RequestHelpers.GetUserId: no userId = the caller's own user (none for an API key); another user's id needs an
	 * administrator (403). A user id that does not exist is a 404.
	 */
	private actingUser(
		call: FakeCall<JellyfinCaller>,
	): { user: FakeJellyfinUser | undefined } | { reply: FakeReply } {
		const caller = call.auth!;
		const requested = queryValue(call.request.query, 'userId');
		const wanted = requested === undefined ? caller.user?.id : guidN(requested);
		if (wanted !== undefined && wanted !== caller.user?.id && !caller.isAdmin) {
			return { reply: { status: 403, body: 'Forbidden', reason: 'another user needs an admin' } };
		}
		if (wanted === undefined) return { user: undefined };
		const user = this.users.find((candidate) => candidate.id === wanted);
		if (!user) return { reply: { status: 404, reason: `no user ${wanted}` } };
		return { user };
	}

	/**
	 * GET /Items, as ItemsController.GetItems: without `recursive`, `ids` or `parentId` it lists the root folders
	 * (the libraries) and ignores every filter; otherwise it filters the catalog. Seasons are not modelled: a
	 * series' children are its episodes. Other parameters of the spec are ignored, as Jellyfin ignores filters it
	 * does not know, and it knows no provider-id filter (`AnyProviderIdEquals` is refused by the spec check).
	 */
	private getItems(call: FakeCall<JellyfinCaller>): FakeReply {
		const query = call.request.query;
		const acting = this.actingUser(call);
		if ('reply' in acting) return acting.reply;
		const user = acting.user;
		const recursive = queryFlag(query, 'recursive') ?? false;
		const ids = queryList(query, 'ids').map(guidN);
		const parentId = queryValue(query, 'parentId');
		const fields = new Set(queryList(query, 'fields'));
		const withUserData = user !== undefined && queryFlag(query, 'enableUserData') !== false;
		const withImages = queryFlag(query, 'enableImages') !== false;
		if (!recursive && ids.length === 0 && parentId === undefined) {
			const folders = this.libraries.map((library) => ({
				Name: library.name,
				ServerId: this.serverId,
				Id: library.itemId,
				Type: 'CollectionFolder',
				IsFolder: true,
				CollectionType: library.collectionType,
				LocationType: 'FileSystem',
			}));
			return {
				status: 200,
				body: { Items: folders, TotalRecordCount: folders.length, StartIndex: 0 },
			};
		}
		const isPlayed = queryFlag(query, 'isPlayed');
		if (isPlayed !== undefined && !user) {
			// The real server dereferences the query's user for this filter; without one it fails.
			const problem = 'isPlayed is a per-user filter: give a userId (or use a user token)';
			return { status: 400, body: problem, reason: problem };
		}
		let items: readonly CatalogItem[] = this.catalog.items;
		if (parentId !== undefined) items = this.childrenOf(guidN(parentId), recursive);
		const include = new Set(queryList(query, 'includeItemTypes'));
		const exclude = new Set(queryList(query, 'excludeItemTypes'));
		const idSet = new Set(ids);
		const years = new Set(queryList(query, 'years').map(Number));
		const season = queryInt(query, 'parentIndexNumber');
		const episode = queryInt(query, 'indexNumber');
		const search = queryValue(query, 'searchTerm')?.toLowerCase();
		const has = (['Tmdb', 'Imdb', 'Tvdb'] as const).map(
			(provider) => [provider, queryFlag(query, `has${provider}Id`)] as const,
		);
		items = items.filter((item) => {
			const type = ITEM_TYPES[item.type];
			if (include.size && !include.has(type)) return false;
			if (exclude.has(type)) return false;
			if (idSet.size && !idSet.has(jellyfinId(item.id))) return false;
			if (years.size && (item.year === undefined || !years.has(item.year))) return false;
			if (season !== undefined && item.seasonNumber !== season) return false;
			if (episode !== undefined && item.episodeNumber !== episode) return false;
			if (search !== undefined && !item.title.toLowerCase().includes(search)) return false;
			for (const [provider, wanted] of has) {
				if (wanted !== undefined && (providerId(item, provider) !== undefined) !== wanted)
					return false;
			}
			if (isPlayed !== undefined && this.played.get(user!.id, item).played !== isPlayed)
				return false;
			return true;
		});
		items = this.sorted(items, queryList(query, 'sortBy'), queryList(query, 'sortOrder'), user);
		const start = Math.max(0, queryInt(query, 'startIndex') ?? 0);
		const limit = queryInt(query, 'limit');
		const page = items.slice(start, limit === undefined ? undefined : start + Math.max(0, limit));
		return {
			status: 200,
			body: {
				Items: page.map((item) =>
					this.itemDto(item, fields, withImages, withUserData ? user : undefined),
				),
				TotalRecordCount: items.length,
				StartIndex: start,
			},
		};
	}

	/** A library's movies and series (recursive: and episodes), or a series' episodes; none for an unknown id. */
	private childrenOf(parentId: string, recursive: boolean): readonly CatalogItem[] {
		const library = this.catalog.libraryIds.find((id) => jellyfinId(id) === parentId);
		if (library !== undefined) {
			const items = this.catalog.inLibrary(library);
			return recursive ? items : items.filter((item) => item.type !== 'episode');
		}
		const parent = this.byItemId.get(parentId);
		return parent?.type === 'series' ? this.catalog.episodesOf(parent.id) : [];
	}

	/** RequestHelpers.GetOrderBy: each sortBy takes the sortOrder at its index, else the first one, else ascending. */
	private sorted(
		items: readonly CatalogItem[],
		sortBy: string[],
		sortOrder: string[],
		user: FakeJellyfinUser | undefined,
	): readonly CatalogItem[] {
		const keys: Record<string, (item: CatalogItem) => string | number> = {
			DatePlayed: (item) => (user ? (this.played.get(user.id, item).lastPlayedDate ?? '') : ''),
			PlayCount: (item) => (user ? this.played.get(user.id, item).playCount : 0),
			SortName: (item) => item.title.toLowerCase(),
			Name: (item) => item.title.toLowerCase(),
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

	/**
	 * A BaseItemDto as DtoService builds it: `ProviderIds`, `Path` and `ParentId` only when asked for in `fields`
	 * (real Jellyfin leaves them out otherwise). ParentId is simplified: the library, or an episode's series.
	 */
	private itemDto(
		item: CatalogItem,
		fields: Set<string>,
		withImages: boolean,
		user: FakeJellyfinUser | undefined,
	): Record<string, unknown> {
		const series = item.seriesId === undefined ? undefined : this.catalog.get(item.seriesId);
		const dto: Record<string, unknown> = {
			Name: item.title,
			ServerId: this.serverId,
			Id: jellyfinId(item.id),
			Type: ITEM_TYPES[item.type],
			IsFolder: item.type === 'series',
		};
		if (item.year !== undefined) dto.ProductionYear = item.year;
		if (series) {
			dto.SeriesName = series.title;
			dto.SeriesId = jellyfinId(series.id);
			if (item.seasonNumber !== undefined) dto.ParentIndexNumber = item.seasonNumber;
			if (item.episodeNumber !== undefined) dto.IndexNumber = item.episodeNumber;
		}
		if (fields.has('ParentId')) {
			dto.ParentId = series ? jellyfinId(series.id) : jellyfinId(item.libraryId);
		}
		if (fields.has('ProviderIds')) dto.ProviderIds = { ...item.providerIds };
		if (fields.has('Path') && item.path !== undefined) dto.Path = item.path;
		if (item.type !== 'series') dto.MediaType = 'Video';
		dto.LocationType = 'FileSystem';
		if (withImages) {
			dto.ImageTags = {};
			dto.BackdropImageTags = [];
		}
		if (user) dto.UserData = this.userDataDto(user.id, item);
		return dto;
	}

	/** UserItemDataDto; LastPlayedDate is left out while null (the server's JSON omits nulls). */
	private userDataDto(userId: string, item: CatalogItem): Record<string, unknown> {
		const state = this.played.get(userId, item);
		const id = jellyfinId(item.id);
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
	 * POST / DELETE /UserPlayedItems/{itemId}: PlaystateController + BaseItem.MarkPlayed / MarkUnplayed. With an
	 * API key there is no user unless `userId` names one (404). Played: the count goes up by one only when
	 * `datePlayed` is given (else it is at least 1), and LastPlayedDate = datePlayed ?? the previous date ?? now.
	 * Unplayed: count 0, position 0 and LastPlayedDate cleared (MarkUnplayed sets it to null). A series marks each
	 * of its episodes (Folder.MarkPlayed), and each of them sends a webhook.
	 */
	private writePlayed(call: FakeCall<JellyfinCaller>, played: boolean): FakeReply {
		const acting = this.actingUser(call);
		if ('reply' in acting) return acting.reply;
		const user = acting.user;
		if (!user) {
			return { status: 404, reason: 'no user: an API key needs the userId parameter' };
		}
		const item = this.byItemId.get(guidN(call.params.itemId));
		if (!item) return { status: 404, reason: `no item ${call.params.itemId}` };
		const datePlayed = played ? queryValue(call.request.query, 'datePlayed') : undefined;
		const date =
			datePlayed === undefined
				? undefined
				: (parseCompactDate(datePlayed) ?? new Date(datePlayed)).toISOString();
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
			const body = this.userDataSaved(user, leaf, after);
			this.outbox.send(body, 'text/plain; charset=utf-8', jellyfinWireText(body));
		}
		this.playedWrites.push({
			userId: user.id,
			itemId: item.id,
			requestedId: call.params.itemId,
			played,
			...(datePlayed === undefined ? {} : { datePlayed }),
			at: Date.now(),
		});
		return { status: 200, body: this.userDataDto(user.id, item) };
	}

	/**
	 * The webhook plugin's UserDataSaved body (Generic destination, "Send All Properties"), constructed from the
	 * shape of the real fixture test/fixtures/jellyfin/userdatasaved-toggleplayed-episode-10.10.3.json: the same
	 * keys in the same order, less those the catalog has no value for (Overview, RunTime, streams, season id, …).
	 * Provider keys are `Provider_` + the key in lower case, as the plugin writes them; the user data and the
	 * encoding come from the plugin-form builder (test/fixtures/jellyfinPlugin.ts).
	 */
	private userDataSaved(
		user: FakeJellyfinUser,
		item: CatalogItem,
		state: PlayState,
	): Record<string, unknown> {
		const now = new Date().toISOString();
		const body: Record<string, unknown> = {
			ServerId: this.serverId,
			ServerName: this.serverName,
			ServerVersion: this.serverVersion,
			ServerUrl: '',
			NotificationType: 'UserDataSaved',
			Timestamp: now.replace(/Z$/, '+00:00'),
			UtcTimestamp: dotnetDate(now),
			Name: item.title,
			ItemId: jellyfinId(item.id),
			ItemType: ITEM_TYPES[item.type],
		};
		if (item.year !== undefined) body.Year = item.year;
		const series = item.seriesId === undefined ? undefined : this.catalog.get(item.seriesId);
		if (series) {
			body.SeriesName = series.title;
			body.SeriesId = jellyfinId(series.id);
		}
		const numbered: Array<[string, number | undefined]> = [
			['SeasonNumber', item.seasonNumber],
			['EpisodeNumber', item.episodeNumber],
		];
		for (const [name, value] of numbered) {
			if (value === undefined) continue;
			body[name] = value;
			body[`${name}00`] = String(value).padStart(2, '0');
			body[`${name}000`] = String(value).padStart(3, '0');
		}
		for (const [key, value] of Object.entries(item.providerIds)) {
			body[`Provider_${key.toLowerCase()}`] = value;
		}
		return userDataSaved(
			body,
			{ id: user.id, name: user.name },
			{
				SaveReason: 'TogglePlayed',
				Played: state.played,
				PlayCount: state.playCount,
				...(state.lastPlayedDate === null
					? {}
					: { LastPlayedDate: dotnetDate(state.lastPlayedDate) }),
			},
		);
	}

	// Bodies below are constructed from the spec's schemas (SystemInfo, PublicSystemInfo, VirtualFolderInfo,
	// UserDto, SessionInfoDto), with values a stock Linux install reports.

	private publicSystemInfo() {
		return {
			LocalAddress: this.url,
			ServerName: this.serverName,
			Version: this.serverVersion,
			ProductName: 'Jellyfin Server',
			OperatingSystem: '',
			Id: this.serverId,
			StartupWizardCompleted: true,
		};
	}

	private systemInfo() {
		return {
			...this.publicSystemInfo(),
			OperatingSystemDisplayName: 'Linux',
			PackageName: 'jellyfin-fake',
			HasPendingRestart: false,
			IsShuttingDown: false,
			SupportsLibraryMonitor: true,
			WebSocketPortNumber: this.port,
			CompletedInstallations: [],
			CanSelfRestart: true,
			CanLaunchWebBrowser: false,
			ProgramDataPath: '/config',
			WebPath: '/jellyfin/jellyfin-web',
			ItemsByNamePath: '/config/metadata',
			CachePath: '/cache',
			LogPath: '/config/log',
			InternalMetadataPath: '/config/metadata',
			TranscodingTempPath: '/cache/transcodes',
			CastReceiverApplications: [
				{ Id: 'F007D354', Name: 'Stable' },
				{ Id: '6F511C87', Name: 'Unstable' },
			],
			HasUpdateAvailable: false,
			EncoderLocation: 'System',
			SystemArchitecture: 'X64',
		};
	}

	private virtualFolder(library: FakeJellyfinLibrary) {
		return {
			Name: library.name,
			Locations: library.locations,
			CollectionType: library.collectionType,
			LibraryOptions: {
				Enabled: true,
				EnablePhotos: true,
				EnableRealtimeMonitor: true,
				EnableLUFSScan: true,
				EnableChapterImageExtraction: false,
				ExtractChapterImagesDuringLibraryScan: false,
				EnableTrickplayImageExtraction: false,
				ExtractTrickplayImagesDuringLibraryScan: false,
				PathInfos: library.locations.map((Path) => ({ Path })),
				SaveLocalMetadata: false,
				EnableInternetProviders: true,
				EnableAutomaticSeriesGrouping: false,
				EnableEmbeddedTitles: false,
				EnableEmbeddedExtrasTitles: false,
				EnableEmbeddedEpisodeInfos: false,
				AutomaticRefreshIntervalDays: 0,
				PreferredMetadataLanguage: 'en',
				MetadataCountryCode: 'US',
				SeasonZeroDisplayName: 'Specials',
				MetadataSavers: [],
				DisabledLocalMetadataReaders: [],
				LocalMetadataReaderOrder: ['Nfo'],
				DisabledSubtitleFetchers: [],
				SubtitleFetcherOrder: [],
				DisabledMediaSegmentProviders: [],
				MediaSegmentProviderOrder: [],
				SkipSubtitlesIfEmbeddedSubtitlesPresent: false,
				SkipSubtitlesIfAudioTrackMatches: false,
				SubtitleDownloadLanguages: [],
				RequirePerfectSubtitleMatch: true,
				SaveSubtitlesWithMedia: true,
				SaveLyricsWithMedia: false,
				SaveTrickplayWithMedia: false,
				DisabledLyricFetchers: [],
				LyricFetcherOrder: [],
				PreferNonstandardArtistsTag: false,
				UseCustomTagDelimiters: false,
				CustomTagDelimiters: ['/', '|', ';', '\\'],
				DelimiterWhitelist: [],
				AutomaticallyAddToCollection: false,
				AllowEmbeddedSubtitles: 'AllowAll',
				TypeOptions: [],
			},
			ItemId: library.itemId,
			PrimaryImageItemId: library.itemId,
			RefreshStatus: 'Idle',
		};
	}

	private userDto(user: FakeJellyfinUser, lastLogin: number | undefined) {
		const date = lastLogin === undefined ? undefined : new Date(lastLogin).toISOString();
		return {
			Name: user.name,
			ServerId: this.serverId,
			Id: user.id,
			HasPassword: user.password !== '',
			HasConfiguredPassword: user.password !== '',
			HasConfiguredEasyPassword: false,
			EnableAutoLogin: false,
			...(date === undefined ? {} : { LastLoginDate: date, LastActivityDate: date }),
			Configuration: {
				PlayDefaultAudioTrack: true,
				SubtitleLanguagePreference: '',
				DisplayMissingEpisodes: false,
				GroupedFolders: [],
				SubtitleMode: 'Default',
				DisplayCollectionsView: false,
				EnableLocalPassword: false,
				OrderedViews: [],
				LatestItemsExcludes: [],
				MyMediaExcludes: [],
				HidePlayedInLatest: true,
				RememberAudioSelections: true,
				RememberSubtitleSelections: true,
				EnableNextEpisodeAutoPlay: true,
				CastReceiverId: 'F007D354',
			},
			Policy: {
				IsAdministrator: user.isAdmin,
				IsHidden: !user.isAdmin,
				EnableCollectionManagement: user.isAdmin,
				EnableSubtitleManagement: user.isAdmin,
				EnableLyricManagement: user.isAdmin,
				IsDisabled: false,
				BlockedTags: [],
				AllowedTags: [],
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
				ForceRemoteSourceTranscoding: false,
				EnableContentDeletion: user.isAdmin,
				EnableContentDeletionFromFolders: [],
				EnableContentDownloading: true,
				EnableSyncTranscoding: true,
				EnableMediaConversion: true,
				EnabledDevices: [],
				EnableAllDevices: true,
				EnabledChannels: [],
				EnableAllChannels: true,
				EnabledFolders: [],
				EnableAllFolders: true,
				InvalidLoginAttemptCount: 0,
				LoginAttemptsBeforeLockout: -1,
				MaxActiveSessions: 0,
				EnablePublicSharing: true,
				BlockedMediaFolders: [],
				BlockedChannels: [],
				RemoteClientBitrateLimit: 0,
				AuthenticationProviderId:
					'Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider',
				PasswordResetProviderId:
					'Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider',
				SyncPlayAccess: 'CreateAndJoinGroups',
			},
		};
	}

	private sessionDto(session: JellyfinSession) {
		const date = new Date(session.at).toISOString();
		return {
			PlayState: { CanSeek: false, IsPaused: false, IsMuted: false, RepeatMode: 'RepeatNone' },
			AdditionalUsers: [],
			Capabilities: {
				PlayableMediaTypes: [],
				SupportedCommands: [],
				SupportsMediaControl: false,
				SupportsPersistentIdentifier: true,
			},
			RemoteEndPoint: '127.0.0.1',
			PlayableMediaTypes: [],
			Id: session.sessionId,
			UserId: session.user.id,
			UserName: session.user.name,
			Client: session.client,
			LastActivityDate: date,
			LastPlaybackCheckIn: '0001-01-01T00:00:00.0000000Z',
			DeviceName: session.device,
			DeviceId: session.deviceId,
			ApplicationVersion: session.appVersion,
			IsActive: true,
			SupportsMediaControl: false,
			SupportsRemoteControl: false,
			NowPlayingQueue: [],
			HasCustomDeviceName: false,
			ServerId: this.serverId,
			SupportedCommands: [],
		};
	}
}
