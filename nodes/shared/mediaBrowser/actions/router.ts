import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { itemResource } from '../../action/item/Item.resource';
import { resourceProperty } from '../../action/libraries';
import { route } from '../../action/router';
import { userResource } from '../../action/user/User.resource';
import type { MediaBrowserServer } from '../transport';
import { library } from './library/Library.resource';

function resources(server: MediaBrowserServer) {
	return {
		item: itemResource(server),
		library,
		user: userResource<MediaBrowserServer>(),
	};
}

/** Every parameter of the Jellyfin or Emby node. */
export function mediaBrowserProperties(server: MediaBrowserServer): INodeProperties[] {
	const { item, user } = resources(server);
	return [resourceProperty(true), ...item.description, ...library.description, ...user.description];
}

export async function router(
	this: IExecuteFunctions,
	server: MediaBrowserServer,
): Promise<INodeExecutionData[][]> {
	const { item, user } = resources(server);
	return await route(this, server, {
		item: item.operations,
		library: library.operations,
		user: user.operations,
	});
}
