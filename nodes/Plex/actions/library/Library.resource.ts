import { libraryOperationProperty } from '../../../shared/action/libraries';
import { resource } from '../../../shared/action/router';
import type { WatchServer } from '../../../shared/action/watchServer';
import * as refreshAll from './refreshAll.operation';
import * as refreshLibrary from './refreshLibrary.operation';
import * as scanPaths from './scanPaths.operation';

export const library = resource<WatchServer>(libraryOperationProperty, {
	refreshAll,
	refreshLibrary,
	scanPaths,
});
