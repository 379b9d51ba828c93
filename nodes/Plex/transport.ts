import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import type { LibraryFolders } from '../core/libraryFolders';
import { serverRequest, type ServerApi, type ServerRequest } from '../shared/action/request';

export const PLEX_API: ServerApi = { id: 'plex', name: 'Plex', credentialType: 'plexApi' };

type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface PlexSection extends LibraryFolders {
	/** movie, show, artist, photo. */
	type: string | null;
}

interface SectionsAnswer {
	MediaContainer?: {
		Directory?: Array<{
			key?: string | number;
			title?: string;
			type?: string;
			Location?: Array<{ path?: string }>;
		}>;
	};
}

export async function plexRequest<T>(context: ApiContext, request: ServerRequest): Promise<T> {
	return await serverRequest<T>(context, PLEX_API, request);
}

/** The library sections with their folders as Plex sees them (`/library/sections/all`, as the spec names it). */
export async function listSections(context: ApiContext): Promise<PlexSection[]> {
	const answer = await plexRequest<SectionsAnswer>(context, {
		method: 'GET',
		path: '/library/sections/all',
	});
	const directories = answer.MediaContainer?.Directory;
	if (!Array.isArray(directories)) {
		if (answer.MediaContainer) return [];
		throw new Error('Plex answered the library list with something other than its JSON');
	}
	return directories
		.filter((directory) => directory.key !== undefined && directory.key !== '')
		.map((directory) => ({
			id: String(directory.key),
			title: directory.title ?? String(directory.key),
			type: directory.type ?? null,
			locations: (directory.Location ?? [])
				.map((location) => location.path)
				.filter((path): path is string => typeof path === 'string' && path !== ''),
		}));
}

/** Scans one section, or one folder inside it (a partial scan, as Sonarr and Radarr ask for). */
export async function refreshSection(
	context: IExecuteFunctions,
	sectionId: string,
	folder: string | null,
): Promise<void> {
	await plexRequest(context, {
		method: 'POST',
		path: `/library/sections/${encodeURIComponent(sectionId)}/refresh`,
		qs: folder === null ? undefined : { path: folder },
		notFound: `library with the ID "${sectionId}"`,
	});
}
