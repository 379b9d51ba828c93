import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { refreshAllDescription, refreshLibraries } from '../../../action/refresh';
import { mediaBrowserRequest, type MediaBrowserServer } from '../../transport';

export const description = refreshAllDescription;

/** `POST /Library/Refresh`: every library. */
export async function execute(
	this: IExecuteFunctions,
	server: MediaBrowserServer,
): Promise<INodeExecutionData[]> {
	return await refreshLibraries(this, server, 'refreshAll', async () => {
		await mediaBrowserRequest(this, server, { method: 'POST', path: '/Library/Refresh' });
	});
}
