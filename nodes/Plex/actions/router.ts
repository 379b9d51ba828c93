import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { itemResource } from '../../shared/action/item/Item.resource';
import { resourceProperty } from '../../shared/action/libraries';
import { route } from '../../shared/action/router';
import type { WatchServer } from '../../shared/action/watchServer';
import { PLEX } from '../server';
import { library } from './library/Library.resource';

const item = itemResource(PLEX);

/** Every parameter of the Plex node. Plex has no user list on the server: no User resource. */
export const plexProperties: INodeProperties[] = [
	resourceProperty(false),
	...item.description,
	...library.description,
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route<WatchServer>(this, PLEX, {
		item: item.operations,
		library: library.operations,
	});
}
