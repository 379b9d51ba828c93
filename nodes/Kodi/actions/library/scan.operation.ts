import {
	NodeOperationError,
	sleep,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { sendPlanned, type BatchSummary } from '../../../core/batching';
import {
	coveringFolders,
	deepestFolderHolding,
	mediaFolderOf,
	pathKey,
	withTrailingSeparator,
} from '../../../core/paths';
import {
	batchKey,
	batchOutput,
	batchTiming,
	processCoalescer,
	refreshOptionsProperty,
	throwIfFailed,
	type BatchOptions,
} from '../../../shared/action/batching';
import { forEachItem } from '../../../shared/action/items';
import { mapperFor, pathsToScan, scanPathsProperties } from '../../../shared/action/scanPaths';
import { KODI_API, kodiRpc } from '../../transport';

export const description = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['scan'] } },
	[
		{
			displayName: 'Scan',
			name: 'scope',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Changed Paths',
					value: 'changedPaths',
					description: 'Only the folders of the changed files: the show or movie folder of each',
				},
				{ name: 'Everything', value: 'everything', description: 'Every video source' },
			],
			default: 'changedPaths',
		},
		...scanPathsProperties.map((property) => ({
			...property,
			displayOptions: { show: { scope: ['changedPaths'], ...property.displayOptions?.show } },
		})),
		refreshOptionsProperty,
	],
);

interface ScanOutcome {
	folders: string[];
	requests: number;
	batch: BatchSummary;
	error: unknown;
}

const scans = processCoalescer<string[], ScanOutcome>();

/**
 * The folders an item asks Kodi to scan, as Kodi sees them. A Sonarr/Radarr event names its series or movie
 * folder, which covers every file of it; typed paths scan their show or movie folder.
 */
function foldersOf(context: IExecuteFunctions, itemIndex: number): string[] {
	const json = context.getInputData()[itemIndex].json;
	const source = context.getNodeParameter('pathSource', itemIndex) as string;
	const paths = pathsToScan(context, itemIndex);
	if (paths.length === 0) return [];
	if (source === 'inputItem' && typeof json.folder === 'string' && json.folder.trim() !== '') {
		return [mapperFor(context, itemIndex)(json.folder).serverPath];
	}
	return paths.map((path) => mediaFolderOf(path.serverPath));
}

/**
 * The folders Kodi will scan: Kodi skips a folder it does not know yet ("does not exist - skipping scan"), so a
 * new show or movie is scanned through the deepest folder it knows, a show's folder or the video source itself.
 */
async function knownFolders(
	context: IExecuteFunctions,
): Promise<{ sources: string[]; known: string[] }> {
	const [sources, shows] = [
		await kodiRpc<{ sources?: Array<{ file?: string }> }>(context, 'Files.GetSources', {
			media: 'video',
		}),
		await kodiRpc<{ tvshows?: Array<{ file?: string }> }>(context, 'VideoLibrary.GetTVShows', {
			properties: ['file'],
		}),
	];
	const files = (list: Array<{ file?: string }> | undefined) =>
		(list ?? []).map((entry) => entry.file ?? '').filter((file) => file !== '');
	const roots = files(sources?.sources);
	return { sources: roots, known: [...roots, ...files(shows?.tvshows)] };
}

/** How long one scan may take before the item fails. */
const SCAN_DEADLINE_MS = 10 * 60_000;

async function isScanning(context: IExecuteFunctions): Promise<boolean> {
	const answer = await kodiRpc<Record<string, boolean>>(context, 'XBMC.GetInfoBooleans', {
		booleans: ['Library.IsScanningVideo'],
	});
	return answer?.['Library.IsScanningVideo'] === true;
}

/** Polls until Kodi's video scan is over, failing after SCAN_DEADLINE_MS. */
async function untilIdle(context: IExecuteFunctions, deadline: number): Promise<void> {
	while (await isScanning(context)) {
		if (Date.now() > deadline) {
			throw new NodeOperationError(context.getNode(), 'Kodi is still scanning after 10 minutes');
		}
		await sleep(250);
	}
}

/** Scans already sent or waiting, per Kodi: each starts when the one before has finished. */
const scanQueues = new Map<string, Promise<unknown>>();

/**
 * `VideoLibrary.Scan` of one folder, waiting for it to finish. Kodi answers at once and runs scans requested
 * while one is running in parallel threads, which then fail ("Error 0 occurred while retrieving information"):
 * so each scan waits for the one before. A scan Kodi starts late is noticed within a second.
 */
async function scanFolder(
	context: IExecuteFunctions,
	queue: string,
	folder: string,
): Promise<void> {
	const previous = scanQueues.get(queue) ?? Promise.resolve();
	const current = previous
		.catch(() => undefined)
		.then(async () => {
			const deadline = Date.now() + SCAN_DEADLINE_MS;
			await untilIdle(context, deadline);
			await kodiRpc(context, 'VideoLibrary.Scan', {
				...(folder === '' ? {} : { directory: withTrailingSeparator(folder) }),
				showdialogs: false,
			});
			for (let waited = 0; waited < 1000 && !(await isScanning(context)); waited += 50)
				await sleep(50);
			await untilIdle(context, deadline);
		});
	scanQueues.set(queue, current);
	try {
		await current;
	} finally {
		if (scanQueues.get(queue) === current) scanQueues.delete(queue);
	}
}

/** One `VideoLibrary.Scan` per folder of the batch, parents covering their children. */
async function flush(
	context: IExecuteFunctions,
	queue: string,
	submissions: string[][],
): Promise<ScanOutcome[]> {
	const { sources, known } = await knownFolders(context);
	const unknown = submissions
		.flat()
		.filter((folder) => deepestFolderHolding(folder, known) === null);
	const targets = submissions.map((folders) =>
		folders.flatMap((folder) => deepestFolderHolding(folder, known) ?? []),
	);
	const covering = coveringFolders(targets.flat());
	const sent = await sendPlanned(
		targets.map((folders) => folders.map((folder) => covering.get(folder) ?? folder)),
		{
			key: pathKey,
			merge: (kept) => kept,
			perRequest: 1,
			send: async ([folder]) => await scanFolder(context, queue, folder),
		},
	);
	return submissions.map((folders, index) => {
		const outside = folders.filter((folder) => unknown.includes(folder));
		return {
			folders: [
				...new Set(
					targets[index].map((folder) => withTrailingSeparator(covering.get(folder) ?? folder)),
				),
			],
			requests: sent[index].requests,
			batch: sent[index].batch,
			error:
				outside.length > 0
					? new NodeOperationError(
							context.getNode(),
							`No Kodi video source holds ${outside.map((folder) => `"${folder}"`).join(', ')}`,
							{
								description: `Kodi's video sources: ${sources.join(', ') || 'none'}. Add a Path Mapping rule, or add the folder as a source in Kodi.`,
							},
						)
					: sent[index].error,
		};
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex): Promise<IDataObject> => {
		const timing = batchTiming(this.getNodeParameter('options', itemIndex, {}) as BatchOptions);
		const joinedAt = Date.now();
		const everything = this.getNodeParameter('scope', itemIndex) === 'everything';
		const queue = batchKey(this, KODI_API, 'scanQueue');
		const folders = everything ? [''] : foldersOf(this, itemIndex);
		if (folders.length === 0) {
			return { server: 'kodi', folders: [], requests: 0, batch: null, skipped: 'no changed paths' };
		}
		const outcome = everything
			? await scans.submit(batchKey(this, KODI_API, 'scanAll'), timing, folders, async (all) => {
					await scanFolder(this, queue, '');
					const batch = { items: all.length, requests: 1, entries: 1 };
					return all.map(() => ({ folders: [], requests: 1, batch, error: null }));
				})
			: await scans.submit(
					batchKey(this, KODI_API, 'scan'),
					timing,
					folders,
					async (all) => await flush(this, queue, all),
				);
		throwIfFailed(outcome);
		return {
			server: 'kodi',
			scanned: everything ? 'all' : outcome.folders,
			requests: outcome.requests,
			batch: batchOutput(outcome.batch, timing, joinedAt),
		};
	});
}
