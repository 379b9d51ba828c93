import type { IExecuteFunctions } from 'n8n-workflow';
import type { ServerUser } from '../action/watchServer';
import {
	mediaBrowserRequest,
	toLibraries,
	type MediaBrowserServer,
	type VirtualFolderInfo,
} from './transport';
import { indexLibrary, itemsById, toUser, writePlayed, type UserDto } from './watch';

/** The parts Jellyfin and Emby share: the index, lookups and writes differ only in their requests. */
const lineage = {
	async indexItems(this: MediaBrowserServer, context: IExecuteFunctions, user: ServerUser | null) {
		return await indexLibrary(context, this, user);
	},
	async getItems(
		this: MediaBrowserServer,
		context: IExecuteFunctions,
		user: ServerUser | null,
		ids: string[],
	) {
		return ids.length === 0 ? [] : await itemsById(context, this, user, ids);
	},
	async setPlayed(
		this: MediaBrowserServer,
		context: IExecuteFunctions,
		user: ServerUser | null,
		item: { id: string },
		played: boolean,
		at: string,
	) {
		return await writePlayed(context, this, user, item.id, played, at);
	},
};

/** Emby's DatePlayed format, in UTC: the spec says "Format = yyyyMMddHHmmss". */
function embyDate(iso: string): string {
	return new Date(iso).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export const JELLYFIN: MediaBrowserServer = {
	id: 'jellyfin',
	name: 'Jellyfin',
	credentialType: 'jellyfinApi',
	...lineage,
	async listLibraries(context, ifForbidden) {
		return toLibraries(
			await mediaBrowserRequest<VirtualFolderInfo[]>(context, this, {
				method: 'GET',
				path: '/Library/VirtualFolders',
				...(ifForbidden ? { orElse: { status: 403, value: [] } } : {}),
			}),
		);
	},
	// Jellyfin's default for both modes is None, which scans nothing; it has no Recursive parameter.
	libraryScanQuery: {
		metadataRefreshMode: 'Default',
		imageRefreshMode: 'Default',
		replaceAllMetadata: false,
		replaceAllImages: false,
	},
	// Jellyfin's spec has no provider-id filter: an unknown parameter is ignored and the whole library comes back.
	itemsRequest(user, scope) {
		return {
			method: 'GET',
			path: '/Items',
			qs: {
				...(user ? { userId: user.id } : {}),
				...(scope.parentId ? { parentId: scope.parentId } : {}),
				...(scope.ids ? { ids: scope.ids } : {}),
				recursive: true,
				includeItemTypes: ['Movie', 'Series', 'Episode'],
				fields: ['ProviderIds', 'Path'],
				enableImages: false,
				enableUserData: user !== null,
				...(scope.limit ? { startIndex: scope.startIndex ?? 0, limit: scope.limit } : {}),
			},
		};
	},
	playedRequest(user, itemId, played, at) {
		return {
			method: played ? 'POST' : 'DELETE',
			path: `/UserPlayedItems/${encodeURIComponent(itemId)}`,
			qs: { userId: user?.id, ...(played ? { datePlayed: at } : {}) },
			notFound: `item "${itemId}" (or user)`,
		};
	},
	users: {
		async list(context) {
			const answer = await mediaBrowserRequest<UserDto[]>(context, JELLYFIN, {
				method: 'GET',
				path: '/Users',
			});
			return (Array.isArray(answer) ? answer : []).flatMap((dto) => toUser(dto) ?? []);
		},
		// A user-name-and-password credential acts as that user; an API key as nobody.
		async self(context) {
			const credentials = await context.getCredentials<{ authMethod?: string }>('jellyfinApi');
			if (credentials.authMethod !== 'password') return null;
			return toUser(
				await mediaBrowserRequest<UserDto>(context, JELLYFIN, { method: 'GET', path: '/Users/Me' }),
			);
		},
	},
};

export const EMBY: MediaBrowserServer = {
	id: 'emby',
	name: 'Emby',
	credentialType: 'embyApi',
	...lineage,
	// Emby 4.8 has no plain GET /Library/VirtualFolders; the query form pages, and one page holds every library.
	async listLibraries(context, ifForbidden) {
		const page = await mediaBrowserRequest<{ Items?: VirtualFolderInfo[] }>(context, this, {
			method: 'GET',
			path: '/Library/VirtualFolders/Query',
			...(ifForbidden ? { orElse: { status: 403, value: {} } } : {}),
		});
		return toLibraries(page.Items ?? []);
	},
	libraryScanQuery: {
		Recursive: true,
		MetadataRefreshMode: 'Default',
		ImageRefreshMode: 'Default',
		ReplaceAllMetadata: false,
		ReplaceAllImages: false,
	},
	// Emby's lists are comma-separated, its names PascalCase.
	itemsRequest(user, scope) {
		return {
			method: 'GET',
			path: user ? `/Users/${encodeURIComponent(user.id)}/Items` : '/Items',
			qs: {
				...(scope.parentId ? { ParentId: scope.parentId } : {}),
				...(scope.ids ? { Ids: scope.ids.join(',') } : {}),
				Recursive: true,
				IncludeItemTypes: 'Movie,Series,Episode',
				Fields: 'ProviderIds,Path',
				EnableImages: false,
				EnableUserData: user !== null,
				...(scope.limit ? { StartIndex: scope.startIndex ?? 0, Limit: scope.limit } : {}),
			},
		};
	},
	playedRequest(user, itemId, played, at) {
		return {
			method: played ? 'POST' : 'DELETE',
			path: `/Users/${encodeURIComponent(user?.id ?? '')}/PlayedItems/${encodeURIComponent(itemId)}`,
			qs: played ? { DatePlayed: embyDate(at) } : undefined,
			notFound: `item "${itemId}" (or user)`,
		};
	},
	users: {
		// The 4.8 API has no plain GET /Users; the query form returns every user in one page.
		async list(context) {
			const page = await mediaBrowserRequest<{ Items?: UserDto[] }>(context, EMBY, {
				method: 'GET',
				path: '/Users/Query',
			});
			return (page.Items ?? []).flatMap((dto) => toUser(dto) ?? []);
		},
		// Emby credentials hold an API key, which acts for nobody.
		async self() {
			return null;
		},
	},
};
