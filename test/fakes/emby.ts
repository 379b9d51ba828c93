import { createHash } from 'crypto';
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
import type { SpecName } from './spec';

/**
 * A fake Emby 4.8 server (spec: Emby.SDK openapi_v3.json 4.8.11.0). It serves both the root paths and `/emby/…`
 * (the spec's server URL is `http://emby.media/emby`; real Emby answers both). Auth: header `X-Emby-Token`, query
 * `api_key`, or a `Token="…"` in `Authorization` / `X-Emby-Authorization` (scheme `Emby` or `MediaBrowser`).
 * Response bodies are constructed from the spec's schemas (no real Emby capture is saved).
 */

export interface FakeEmbyLibrary {
	/** Emby item ids are numeric strings, e.g. `"3"`. */
	itemId: string;
	name: string;
	/** `movies`, `tvshows`, `music`, `homevideos`, … */
	collectionType: string;
	locations: string[];
}

export interface FakeEmbyOptions extends FakeServerOptions {
	apiKeys: string[];
	libraries?: FakeEmbyLibrary[];
	serverId?: string;
	serverName?: string;
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

	constructor(options: FakeEmbyOptions) {
		super(options);
		this.serverId = options.serverId ?? 'e3b0c44298fc1c149afbf4c8996fb924';
		this.serverName = options.serverName ?? 'fake-emby';
		this.apiKeys = [...options.apiKeys];
		this.libraries = (options.libraries ?? []).map((library) => ({ ...library }));
	}

	/** Forgets recorded requests, media updates and refreshes. */
	clear(): void {
		super.clear();
		this.mediaUpdates.length = 0;
		this.refreshes.length = 0;
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

	// Bodies below are constructed from the spec's schemas (SystemInfo, PublicSystemInfo, VirtualFolderInfo).

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
