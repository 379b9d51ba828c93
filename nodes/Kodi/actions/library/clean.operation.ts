import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import {
	batchOutput,
	batchWindowMs,
	distinctValues,
	refreshOptionsProperty,
	sendCoalesced,
	throwIfFailed,
	type BatchOptions,
} from '../../../shared/action/batching';
import { forEachItem } from '../../../shared/action/items';
import { KODI_API, kodiRpc } from '../../transport';

export const description = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['clean'] } },
	[refreshOptionsProperty],
);

/** `VideoLibrary.Clean`: removes what is gone from disk (a scan only adds and updates). Once per window. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const windowMs = batchWindowMs(this.getNodeParameter('options', itemIndex, {}) as BatchOptions);
		const joinedAt = Date.now();
		const outcome = await sendCoalesced(this, KODI_API, {
			kind: 'clean',
			windowMs,
			entries: ['video'],
			...distinctValues,
			perRequest: 1,
			send: async () => {
				await kodiRpc(this, 'VideoLibrary.Clean', { showdialogs: false, content: 'video' });
			},
		});
		throwIfFailed(outcome);
		return {
			server: 'kodi',
			cleaned: 'video',
			batch: batchOutput(outcome.batch, windowMs, joinedAt),
		};
	});
}
