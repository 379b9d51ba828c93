import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { WatchServer } from '../watchServer';
import { markDescription, markItems } from './mark';

export const describe = (server: WatchServer) => markDescription('markWatched', server);

export async function execute(
	this: IExecuteFunctions,
	server: WatchServer,
): Promise<INodeExecutionData[]> {
	return await markItems(this, server, true);
}
