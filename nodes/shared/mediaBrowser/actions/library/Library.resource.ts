import type { INodeProperties } from 'n8n-workflow';
import { libraryOperationProperty } from '../../../action/libraries';
import type { Operation } from '../../../action/router';
import type { MediaBrowserServer } from '../../transport';
import * as refreshAll from './refreshAll.operation';
import * as refreshLibrary from './refreshLibrary.operation';
import * as scanPaths from './scanPaths.operation';

export const operations: Record<string, Operation<MediaBrowserServer>> = {
	refreshAll,
	refreshLibrary,
	scanPaths,
};

export const description: INodeProperties[] = [
	libraryOperationProperty,
	...refreshAll.description,
	...refreshLibrary.description,
	...scanPaths.description,
];
