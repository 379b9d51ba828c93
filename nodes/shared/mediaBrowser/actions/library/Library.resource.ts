import { libraryOperationProperty } from '../../../action/libraries';
import { resource } from '../../../action/router';
import type { MediaBrowserServer } from '../../transport';
import * as refreshAll from './refreshAll.operation';
import * as refreshLibrary from './refreshLibrary.operation';
import * as scanPaths from './scanPaths.operation';

export const library = resource<MediaBrowserServer>(libraryOperationProperty, {
	refreshAll,
	refreshLibrary,
	scanPaths,
});
