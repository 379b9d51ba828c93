import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { forEachItem } from '../../../shared/action/items';
import { kodiRpc } from '../../transport';

export const description = updateDisplayOptions(
	{ show: { resource: ['gui'], operation: ['showNotification'] } },
	[
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. New episode',
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			default: '',
			required: true,
			placeholder:
				'e.g. {{ $json.media.series.title }} S{{ $json.media.seasonNumber }}E{{ $json.media.episodeNumber }}',
		},
		{
			displayName: 'Icon',
			name: 'image',
			type: 'options',
			options: [
				{ name: 'Error', value: 'error' },
				{ name: 'Info', value: 'info' },
				{ name: 'Warning', value: 'warning' },
			],
			default: 'info',
		},
		{
			displayName: 'Display Time (Milliseconds)',
			name: 'displayTime',
			type: 'number',
			typeOptions: { minValue: 1500 },
			default: 5000,
			description: 'How long Kodi shows it; Kodi takes at least 1,500 ms',
		},
	],
);

/** `GUI.ShowNotification`: a toast on the TV itself. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const notification = {
			title: String(this.getNodeParameter('title', itemIndex)),
			message: String(this.getNodeParameter('message', itemIndex)),
			image: String(this.getNodeParameter('image', itemIndex)),
			displaytime: Math.max(
				1500,
				Math.trunc(this.getNodeParameter('displayTime', itemIndex) as number),
			),
		};
		await kodiRpc(this, 'GUI.ShowNotification', notification);
		return { server: 'kodi', shown: true, ...notification };
	});
}
