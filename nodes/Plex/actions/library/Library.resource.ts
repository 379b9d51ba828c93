import type { INodeProperties } from 'n8n-workflow';
import { libraryOperationProperty } from '../../../shared/action/libraries';
import type { Operation } from '../../../shared/action/router';
import * as refreshAll from './refreshAll.operation';
import * as refreshLibrary from './refreshLibrary.operation';
import * as scanPaths from './scanPaths.operation';

export const operations: Record<string, Operation<void>> = {
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
