import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { refreshLibraries, refreshLibraryDescription } from '../../../action/refresh';
import { mediaBrowserRequest, type MediaBrowserServer } from '../../transport';

export const description = refreshLibraryDescription;

/** `POST /Items/{libraryId}/Refresh` in the mode that scans the library for new and changed files. */
export async function execute(
	this: IExecuteFunctions,
	server: MediaBrowserServer,
): Promise<INodeExecutionData[]> {
	return await refreshLibraries(this, server, 'refreshLibrary', async (libraryId) => {
		await mediaBrowserRequest(this, server, {
			method: 'POST',
			path: `/Items/${encodeURIComponent(libraryId)}/Refresh`,
			qs: server.libraryScanQuery,
			notFound: `library with the ID "${libraryId}"`,
		});
	});
}
