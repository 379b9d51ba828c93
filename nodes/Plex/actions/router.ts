import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { resourceProperty } from '../../shared/action/libraries';
import { route } from '../../shared/action/router';
import { library } from './library/Library.resource';

/** Every parameter of the Plex node. */
export const plexProperties: INodeProperties[] = [resourceProperty, ...library.description];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route<void>(this, undefined, { library: library.operations });
}
