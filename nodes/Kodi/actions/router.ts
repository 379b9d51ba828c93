import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { itemResource } from '../../shared/action/item/Item.resource';
import { route } from '../../shared/action/router';
import type { WatchServer } from '../../shared/action/watchServer';
import { KODI } from '../server';
import { gui } from './gui/Gui.resource';
import { library } from './library/Library.resource';

const item = itemResource(KODI);

/** Every parameter of the Kodi node. */
export const kodiProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'GUI', value: 'gui', description: 'Notifications on the screen' },
			{ name: 'Item', value: 'item', description: 'Movies and episodes: played state, lookups' },
			{ name: 'Library', value: 'library', description: 'Scans and cleaning' },
		],
		default: 'library',
	},
	...gui.description,
	...item.description,
	...library.description,
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route<WatchServer>(this, KODI, {
		gui: gui.operations,
		item: item.operations,
		library: library.operations,
	});
}
