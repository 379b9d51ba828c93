import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { serverRequest, type ServerApi, type ServerRequest } from '../action/request';

/**
 * Jellyfin and Emby share one API lineage (Jellyfin forked Emby 3.5): the same paths and bodies for scans, with
 * a few differences kept here.
 */
export interface MediaBrowserServer extends ServerApi {
	/** The libraries ("virtual folders") with their ids and folders as the server sees them. */
	listLibraries(context: ApiContext): Promise<MediaLibrary[]>;
	/** The query of `POST /Items/{id}/Refresh` that scans a library for new and changed files. */
	libraryScanQuery: IDataObject;
}

export interface MediaLibrary {
	id: string;
	name: string;
	collectionType: string | null;
	locations: string[];
}

type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

interface VirtualFolderInfo {
	Name?: string;
	ItemId?: string;
	CollectionType?: string | null;
	Locations?: string[];
}

function toLibraries(folders: VirtualFolderInfo[]): MediaLibrary[] {
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

export const JELLYFIN: MediaBrowserServer = {
	id: 'jellyfin',
	name: 'Jellyfin',
	credentialType: 'jellyfinApi',
	async listLibraries(context) {
		return toLibraries(
			await mediaBrowserRequest<VirtualFolderInfo[]>(context, this, {
				method: 'GET',
				path: '/Library/VirtualFolders',
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
};

export const EMBY: MediaBrowserServer = {
	id: 'emby',
	name: 'Emby',
	credentialType: 'embyApi',
	// Emby 4.8 has no plain GET /Library/VirtualFolders; the query form pages, and one page holds every library.
	async listLibraries(context) {
		const page = await mediaBrowserRequest<{ Items?: VirtualFolderInfo[] }>(context, this, {
			method: 'GET',
			path: '/Library/VirtualFolders/Query',
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
};
