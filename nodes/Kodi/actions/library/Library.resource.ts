import type { INodeProperties } from 'n8n-workflow';
import { resource } from '../../../shared/action/router';
import type { WatchServer } from '../../../shared/action/watchServer';
import * as clean from './clean.operation';
import * as scan from './scan.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['library'] } },
	options: [
		{
			name: 'Clean',
			value: 'clean',
			description: 'Remove what is no longer on disk from the video library',
			action: 'Clean the video library',
		},
		{
			name: 'Scan',
			value: 'scan',
			description:
				'Scan every source, or the folders of changed files such as what Sonarr or Radarr imported',
			action: 'Scan the video library',
		},
	],
	default: 'scan',
};

export const library = resource<WatchServer>(operationProperty, { clean, scan });
