/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test fakes: local HTTP(S) servers for the tests */
import { randomBytes } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
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
import type { SpecName } from './spec';

/**
 * A fake Jellyfin 12.0 / 10.11 server. Auth follows Jellyfin's AuthorizationContext.cs (see
 * research/media-apis.md §1): `Authorization: MediaBrowser Token="…", Client="…", …` and query `ApiKey` always;
 * the legacy forms (`X-Emby-Token`, `X-MediaBrowser-Token`, `X-Emby-Authorization`, query `api_key`, scheme
 * `Emby`) only while EnableLegacyAuthorization is on: default on for 10.11, off for 12.0.
 * Response bodies are constructed from the spec's schemas (no real Jellyfin capture is saved).
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

function guidN(id: string): string {
	return id.replace(/-/g, '').toLowerCase();
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
	}

	/** The Jellyfin version this fake reports. */
	get serverVersion(): string {
		return this.version === '12.0' ? '12.0.0' : '10.11.11';
	}

	/** Invalidates every session token (a server restart or an admin signing everyone out). */
	revokeAllSessions(): void {
		this.sessions.clear();
	}

	/** Forgets recorded requests, media updates and refreshes (not sessions or the login count). */
	clear(): void {
		super.clear();
		this.mediaUpdates.length = 0;
		this.refreshes.length = 0;
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

	private userDto(user: FakeJellyfinUser, lastLogin: number) {
		const date = new Date(lastLogin).toISOString();
		return {
			Name: user.name,
			ServerId: this.serverId,
			Id: user.id,
			HasPassword: user.password !== '',
			HasConfiguredPassword: user.password !== '',
			HasConfiguredEasyPassword: false,
			EnableAutoLogin: false,
			LastLoginDate: date,
			LastActivityDate: date,
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
