import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { refreshOptionsProperty } from '../../../shared/action/batching';
import { oncePerBatch } from '../../../shared/action/refresh';
import { KODI_API, kodiRpc } from '../../transport';

export const description = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['clean'] } },
	[refreshOptionsProperty],
);

/** `VideoLibrary.Clean`: removes what is gone from disk (a scan only adds and updates). Once per batch. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await oncePerBatch(this, KODI_API, {
		kind: 'clean',
		targetOf: () => 'video',
		send: async () => {
			await kodiRpc(this, 'VideoLibrary.Clean', { showdialogs: false, content: 'video' });
		},
		output: () => ({ cleaned: 'video' }),
	});
}
