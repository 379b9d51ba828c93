import type { INodeProperties } from 'n8n-workflow';
import { resource } from '../../../shared/action/router';
import type { WatchServer } from '../../../shared/action/watchServer';
import * as showNotification from './showNotification.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['gui'] } },
	options: [
		{
			name: 'Show Notification',
			value: 'showNotification',
			description: 'Show a notification on the screen Kodi is on',
			action: 'Show a notification',
		},
	],
	default: 'showNotification',
};

export const gui = resource<WatchServer>(operationProperty, { showNotification });
