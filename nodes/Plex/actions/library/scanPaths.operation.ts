import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { sendPlanned, type BatchSummary } from '../../../core/batching';
import { folderScans, type FolderScan } from '../../../core/libraryFolders';
import {
	batchKey,
	batchOutput,
	batchTiming,
	processCoalescer,
	refreshOptionsProperty,
	type BatchOptions,
} from '../../../shared/action/batching';
import { forEachItem } from '../../../shared/action/items';
import { libraryLocatorProperty } from '../../../shared/action/libraries';
import { pathsToScan, scanPathsProperties } from '../../../shared/action/scanPaths';
import { listSections, PLEX_API, refreshSection, type PlexSection } from '../../transport';

type NoMatch = 'fail' | 'refreshLibrary' | 'refreshAll';

const properties: INodeProperties[] = [
	...scanPathsProperties,
	{
		displayName: 'If No Library Holds a Path',
		name: 'noMatch',
		type: 'options',
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: "Fail the item, listing the libraries' folders to fix the path mapping",
			},
			{ name: 'Refresh a Library', value: 'refreshLibrary', description: 'Scan one whole library' },
			{ name: 'Refresh All Libraries', value: 'refreshAll', description: 'Scan every library' },
		],
		default: 'fail',
	},
	{
		...libraryLocatorProperty,
		displayName: 'Fallback Library',
		name: 'fallbackLibrary',
		displayOptions: { show: { noMatch: ['refreshLibrary'] } },
	},
	refreshOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['scanPaths'] } },
	properties,
);

/** One item's request to the batch. */
interface PlexScanRequest {
	serverPaths: string[];
	noMatch: NoMatch;
	fallbackLibraryId: string;
}

interface PlexScanOutcome {
	scans: FolderScan[];
	requests: number;
	batch: BatchSummary;
	error: unknown;
}

const plexScans = processCoalescer<PlexScanRequest, PlexScanOutcome>();

function whereTheLibrariesAre(sections: PlexSection[]): string {
	return sections
		.map((section) => `${section.title}: ${section.locations.join(', ') || '(no folders)'}`)
		.join('; ');
}

/** The scans for one item, with its fallback applied to the paths no section holds. */
function scansFor(
	context: IExecuteFunctions,
	request: PlexScanRequest,
	sections: PlexSection[],
): FolderScan[] {
	const { scans, unmatched } = folderScans(request.serverPaths, sections);
	if (unmatched.length === 0) return scans;
	if (request.noMatch === 'refreshAll') {
		return [
			...scans,
			...sections.map((section) => ({
				libraryId: section.id,
				library: section.title,
				folder: null,
			})),
		];
	}
	if (request.noMatch === 'refreshLibrary') {
		const section = sections.find((candidate) => candidate.id === request.fallbackLibraryId);
		return [
			...scans,
			{ libraryId: request.fallbackLibraryId, library: section?.title ?? '', folder: null },
		];
	}
	throw new NodeOperationError(
		context.getNode(),
		`No Plex library holds ${unmatched.map((path) => `"${path}"`).join(', ')}`,
		{
			description: `Library folders: ${whereTheLibrariesAre(sections)}. Add a Path Mapping rule, or choose another If No Library Holds a Path.`,
		},
	);
}

/**
 * Partial scans, one per library folder (`POST /library/sections/{id}/refresh?path=`), as Sonarr and Radarr ask
 * Plex. The section list is read once per batch.
 */
async function flushScans(
	context: IExecuteFunctions,
	requests: PlexScanRequest[],
): Promise<PlexScanOutcome[]> {
	const sections = await listSections(context);
	const resolved = requests.map((request) => {
		try {
			return { scans: scansFor(context, request, sections), error: null as unknown };
		} catch (error) {
			return { scans: [] as FolderScan[], error };
		}
	});
	const sent = await sendPlanned(
		resolved.map((item) => item.scans),
		{
			key: (scan) => `${scan.libraryId}\n${scan.folder ?? ''}`,
			merge: (kept) => kept,
			perRequest: 1,
			send: async ([scan]) => await refreshSection(context, scan.libraryId, scan.folder),
		},
	);
	return resolved.map((item, index) => ({
		scans: item.scans,
		requests: sent[index].requests,
		batch: sent[index].batch,
		error: item.error ?? sent[index].error,
	}));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const paths = pathsToScan(this, itemIndex);
		if (paths.length === 0) {
			return {
				server: 'plex',
				paths,
				scans: [],
				requests: 0,
				batch: null,
				skipped: 'no changed paths',
			};
		}
		const noMatch = this.getNodeParameter('noMatch', itemIndex) as NoMatch;
		const fallbackLibraryId =
			noMatch === 'refreshLibrary'
				? String(this.getNodeParameter('fallbackLibrary', itemIndex, '', { extractValue: true }))
				: '';
		if (noMatch === 'refreshLibrary' && fallbackLibraryId.trim() === '') {
			throw new NodeOperationError(this.getNode(), 'Choose the Fallback Library', { itemIndex });
		}
		const timing = batchTiming(this.getNodeParameter('options', itemIndex, {}) as BatchOptions);
		const joinedAt = Date.now();
		const outcome = await plexScans.submit(
			batchKey(this, PLEX_API, 'scanPaths'),
			timing,
			{ serverPaths: paths.map((path) => path.serverPath), noMatch, fallbackLibraryId },
			async (requests) => await flushScans(this, requests),
		);
		if (outcome.error !== null) throw outcome.error;
		return {
			server: 'plex',
			paths,
			scans: outcome.scans,
			requests: outcome.requests,
			batch: batchOutput(outcome.batch, timing, joinedAt),
		};
	});
}
