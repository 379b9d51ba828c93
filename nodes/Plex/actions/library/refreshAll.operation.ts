import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { refreshAllDescription, refreshLibraries } from '../../../shared/action/refresh';
import { listSections, PLEX_API, refreshSection } from '../../transport';

export const description = refreshAllDescription;

/** Scans every section in turn: Plex's own "refresh all" endpoint refreshes metadata, not files. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await refreshLibraries(this, PLEX_API, 'refreshAll', async () => {
		for (const section of await listSections(this)) await refreshSection(this, section.id, null);
	});
}
