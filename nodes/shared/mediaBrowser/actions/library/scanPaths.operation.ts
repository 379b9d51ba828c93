import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { strongerChange, type FileChange } from '../../../../core/changes';
import { pathKey } from '../../../../core/paths';
import {
	batchOutput,
	batchTiming,
	DEFAULT_MAX_PATHS,
	scanOptionsProperty,
	sendCoalesced,
	throwIfFailed,
	type BatchOptions,
} from '../../../action/batching';
import { forEachItem } from '../../../action/items';
import { pathsToScan, scanPathsProperties, type PathToScan } from '../../../action/scanPaths';
import { mediaBrowserRequest, type MediaBrowserServer } from '../../transport';

export const description = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['scanPaths'] } },
	[...scanPathsProperties, scanOptionsProperty],
);

const UPDATE_TYPES: Record<FileChange, string> = {
	created: 'Created',
	modified: 'Modified',
	deleted: 'Deleted',
};

/**
 * `POST /Library/Media/Updated` with every path of the batch in one body. The server answers 204 even for
 * paths outside its libraries (it drops them), which is why path mapping matters.
 */
export async function execute(
	this: IExecuteFunctions,
	server: MediaBrowserServer,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const paths = pathsToScan(this, itemIndex);
		if (paths.length === 0) {
			return { server: server.id, paths, requests: 0, batch: null, skipped: 'no changed paths' };
		}
		const options = this.getNodeParameter('options', itemIndex, {}) as BatchOptions;
		const timing = batchTiming(options);
		const joinedAt = Date.now();
		const outcome = await sendCoalesced<PathToScan>(this, server, {
			kind: 'scanPaths',
			timing,
			entries: paths,
			key: (entry) => pathKey(entry.serverPath),
			merge: (kept, next) => ({ ...kept, change: strongerChange(kept.change, next.change) }),
			perRequest: options.maxPathsPerRequest ?? DEFAULT_MAX_PATHS,
			send: async (entries) => {
				await mediaBrowserRequest(this, server, {
					method: 'POST',
					path: '/Library/Media/Updated',
					body: {
						Updates: entries.map((entry) => ({
							Path: entry.serverPath,
							UpdateType: UPDATE_TYPES[entry.change],
						})),
					},
				});
			},
		});
		throwIfFailed(outcome);
		return {
			server: server.id,
			paths,
			requests: outcome.requests,
			batch: batchOutput(outcome.batch, timing, joinedAt),
		};
	});
}
