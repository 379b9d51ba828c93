import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { FILE_CHANGES, type ChangedFile, type FileChange } from '../../core/changes';
import { pathMapper, PathMappingError, type MappedPath, type PathMapper } from '../../core/paths';
import { isObject } from '../../core/values';

/** One path to report to the server: as received, as the server sees it, and what happened to it. */
export interface PathToScan extends MappedPath {
	change: FileChange;
}

const CHANGE_OPTIONS = [
	{ name: 'Created', value: 'created' },
	{ name: 'Deleted', value: 'deleted' },
	{ name: 'Modified', value: 'modified' },
];

/** The Scan Paths parameters every server shares: where the paths come from, and how they map. */
export const scanPathsProperties: INodeProperties[] = [
	{
		displayName: 'Paths From',
		name: 'pathSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Input Item (Sonarr/Radarr Trigger)',
				value: 'inputItem',
				description:
					'The "files" list of the input item: each entry a path, its change, and the path before a rename',
			},
			{ name: 'Define Below', value: 'defineBelow', description: 'Type the paths, or map them in' },
		],
		default: 'inputItem',
	},
	{
		displayName: 'Paths',
		name: 'paths',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Path',
		default: {},
		displayOptions: { show: { pathSource: ['defineBelow'] } },
		options: [
			{
				name: 'path',
				displayName: 'Path',
				values: [
					{
						displayName: 'Path',
						name: 'path',
						type: 'string',
						default: '',
						placeholder: '/tv/Severance/Season 01/Severance - S01E01.mkv',
						description:
							'A changed file or folder, as the input (Sonarr, Radarr, this n8n) sees it',
					},
					{
						displayName: 'Change',
						name: 'change',
						type: 'options',
						options: CHANGE_OPTIONS,
						default: 'modified',
					},
				],
			},
		],
	},
	{
		displayName: 'Path Mapping',
		name: 'pathMapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Rule',
		default: {},
		description:
			"Rewrites paths into the media server's view when it mounts the same files elsewhere (Docker volumes, another machine). Whole folders only; the longest matching rule wins; other paths pass unchanged.",
		options: [
			{
				name: 'rules',
				displayName: 'Rule',
				values: [
					{
						displayName: 'Input Path Prefix',
						name: 'from',
						type: 'string',
						default: '',
						placeholder: '/tv',
						description: 'A folder as Sonarr, Radarr or the input sees it',
					},
					{
						displayName: 'Server Path Prefix',
						name: 'to',
						type: 'string',
						default: '',
						placeholder: '/data/tv',
						description: 'The same folder as the media server sees it',
					},
				],
			},
		],
	},
];

function isFileChange(value: unknown): value is FileChange {
	return typeof value === 'string' && (FILE_CHANGES as readonly string[]).includes(value);
}

/** The "files" list of the input item (the Sonarr/Radarr Trigger's shape), checked entry by entry. */
function filesOfInputItem(context: IExecuteFunctions, itemIndex: number): ChangedFile[] {
	const files = context.getInputData()[itemIndex].json.files;
	const fail = (message: string, description?: string) =>
		new NodeOperationError(context.getNode(), message, { itemIndex, description });
	if (!Array.isArray(files)) {
		throw fail(
			'The input item has no "files" list',
			'Connect a Sonarr/Radarr Trigger before this node, or set Paths From to Define Below.',
		);
	}
	return files.map((entry, index) => {
		const where = `files[${index}]`;
		if (!isObject(entry) || typeof entry.path !== 'string' || entry.path.trim() === '') {
			throw fail(`${where} has no "path"`);
		}
		if (!isFileChange(entry.change)) {
			throw fail(
				`${where}.change must be created, modified or deleted, not ${JSON.stringify(entry.change)}`,
			);
		}
		const previousPath =
			typeof entry.previousPath === 'string' && entry.previousPath.trim() !== ''
				? entry.previousPath
				: null;
		return { path: entry.path, previousPath, change: entry.change };
	});
}

function typedFiles(context: IExecuteFunctions, itemIndex: number): ChangedFile[] {
	const typed = context.getNodeParameter('paths.path', itemIndex, []) as Array<{
		path?: string;
		change?: FileChange;
	}>;
	return typed
		.filter((entry) => typeof entry.path === 'string' && entry.path.trim() !== '')
		.map((entry) => ({
			path: (entry.path as string).trim(),
			previousPath: null,
			change: entry.change ?? 'modified',
		}));
}

export function mapperFor(context: IExecuteFunctions, itemIndex: number): PathMapper {
	const rules = context.getNodeParameter('pathMapping.rules', itemIndex, []) as Array<{
		from?: string;
		to?: string;
	}>;
	try {
		return pathMapper(rules.map((rule) => ({ from: rule.from ?? '', to: rule.to ?? '' })));
	} catch (error) {
		const message = error instanceof PathMappingError ? error.message : (error as Error).message;
		throw new NodeOperationError(context.getNode(), message, { itemIndex });
	}
}

/**
 * The paths item `itemIndex` asks to scan, mapped to the server's view. A rename reports its previous path as
 * deleted, as the server must drop the old entry.
 */
export function pathsToScan(context: IExecuteFunctions, itemIndex: number): PathToScan[] {
	const source = context.getNodeParameter('pathSource', itemIndex) as string;
	const files =
		source === 'defineBelow'
			? typedFiles(context, itemIndex)
			: filesOfInputItem(context, itemIndex);
	const map = mapperFor(context, itemIndex);
	return files.flatMap((file) => [
		...(file.previousPath ? [{ ...map(file.previousPath), change: 'deleted' as const }] : []),
		{ ...map(file.path), change: file.change },
	]);
}
