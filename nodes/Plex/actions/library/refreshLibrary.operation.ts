import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { refreshLibraries, refreshLibraryDescription } from '../../../shared/action/refresh';
import { PLEX_API, refreshSection } from '../../transport';

export const description = refreshLibraryDescription;

/** `POST /library/sections/{id}/refresh`: scans the section's folders for new, changed and removed files. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await refreshLibraries(this, PLEX_API, 'refreshLibrary', async (libraryId) => {
		await refreshSection(this, libraryId, null);
	});
}
