import { libraryOperationProperty } from '../../../shared/action/libraries';
import { resource } from '../../../shared/action/router';
import * as refreshAll from './refreshAll.operation';
import * as refreshLibrary from './refreshLibrary.operation';
import * as scanPaths from './scanPaths.operation';

export const library = resource<void>(libraryOperationProperty, {
	refreshAll,
	refreshLibrary,
	scanPaths,
});
