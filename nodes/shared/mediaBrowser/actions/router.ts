import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { resourceProperty } from '../../action/libraries';
import { route } from '../../action/router';
import type { MediaBrowserServer } from '../transport';
import { library } from './library/Library.resource';

/** Every parameter of the Jellyfin and Emby nodes. */
export const mediaBrowserProperties: INodeProperties[] = [resourceProperty, ...library.description];

export async function router(
	this: IExecuteFunctions,
	server: MediaBrowserServer,
): Promise<INodeExecutionData[][]> {
	return await route(this, server, { library: library.operations });
}
