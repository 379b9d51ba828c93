import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { serverRequest, type ServerRequest } from '../action/request';
import type { ServerUser, WatchServer } from '../action/watchServer';

/**
 * Jellyfin and Emby share one API lineage (Jellyfin forked Emby 3.5): the same paths and bodies for scans, with
 * a few differences kept here.
 */
export interface MediaBrowserServer extends WatchServer {
	/**
	 * The libraries ("virtual folders") with their ids and folders as the server sees them. Only administrators
	 * may list them: for others the call fails with 403, or returns `ifForbidden` when given.
	 */
	listLibraries(context: ApiContext, ifForbidden?: MediaLibrary[]): Promise<MediaLibrary[]>;
	/** The query of `POST /Items/{id}/Refresh` that scans a library for new and changed files. */
	libraryScanQuery: IDataObject;
	/** Movies, series and episodes with ids and path, and the user's data: a page of a library, or given ids. */
	itemsRequest(user: ServerUser | null, scope: ItemsScope): ServerRequest;
	/** Marks one item played (with its date) or unplayed for the user. */
	playedRequest(
		user: ServerUser | null,
		itemId: string,
		played: boolean,
		at: string,
	): ServerRequest;
}

export interface ItemsScope {
	parentId?: string | null;
	ids?: string[];
	startIndex?: number;
	limit?: number;
}

export interface MediaLibrary {
	id: string;
	name: string;
	collectionType: string | null;
	locations: string[];
}

type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface VirtualFolderInfo {
	Name?: string;
	ItemId?: string;
	CollectionType?: string | null;
	Locations?: string[];
}

export function toLibraries(folders: VirtualFolderInfo[]): MediaLibrary[] {
	return folders
		.filter((folder) => typeof folder.ItemId === 'string' && folder.ItemId !== '')
		.map((folder) => ({
			id: folder.ItemId as string,
			name: folder.Name ?? (folder.ItemId as string),
			collectionType: folder.CollectionType ?? null,
			locations: Array.isArray(folder.Locations) ? folder.Locations : [],
		}));
}

export async function mediaBrowserRequest<T>(
	context: ApiContext,
	server: MediaBrowserServer,
	request: ServerRequest,
): Promise<T> {
	return await serverRequest<T>(context, server, request);
}
