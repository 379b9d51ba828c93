import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { isPresetId, PRESETS, type Preset } from '../core/presets';
import { renderTemplate, TemplateError, type TemplateMode } from '../core/template';
import { forEachItem } from '../shared/action/items';
import { optionsProperty } from '../shared/action/properties';

const CUSTOM: Record<string, { mode: TemplateMode; contentType: string }> = {
	customJson: { mode: 'json', contentType: 'application/json' },
	customText: { mode: 'text', contentType: 'text/plain; charset=utf-8' },
};

export class MediaTemplate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Media Template',
		name: 'mediaTemplate',
		icon: { light: 'file:mediaTemplate.svg', dark: 'file:mediaTemplate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["preset"]}}',
		description:
			'Fills a notification body from a media event or a Sonarr/Radarr event, with JSON escaping, ready for the HTTP Request node',
		defaults: { name: 'Media Template' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Preset',
				name: 'preset',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Custom JSON',
						value: 'customJson',
						description: 'Your template; strings are JSON-escaped',
					},
					{
						name: 'Custom Text',
						value: 'customText',
						description: 'Your template, as plain text (ntfy, Telegram text, e-mail)',
					},
					{ name: 'Discord', value: 'discord', description: 'A channel webhook message' },
					{
						name: 'Generic',
						value: 'generic',
						description: "Every field, as Kino's default payload",
					},
					{ name: 'Gotify', value: 'gotify', description: 'A Gotify message' },
					{
						name: 'Home Assistant',
						value: 'homeAssistant',
						description: 'A webhook trigger payload',
					},
					{ name: 'Ntfy', value: 'ntfy', description: 'A plain-text ntfy message' },
					{ name: 'Slack', value: 'slack', description: 'An incoming webhook message' },
					{ name: 'Telegram', value: 'telegram', description: 'A Bot API sendMessage body' },
				],
				default: 'generic',
			},
			{
				displayName: 'Template',
				name: 'template',
				type: 'string',
				typeOptions: { rows: 8 },
				default: '{\n  "text": "{{event}}: {{summary}}",\n  "tmdb": "{{media.ids.tmdb}}"\n}',
				description:
					"{{placeholders}} from the README: event, title, show, season, episode, quality, year, size, indexer, message, movie_id, episode_id, summary, user, source, or a path into the item such as user.name or files.0.path. {{show|title}} takes the first that has a value; {{title|'untitled'}} ends with a literal.",
				displayOptions: { show: { preset: ['customJson', 'customText'] } },
			},
			{
				displayName: 'Chat ID',
				name: 'telegramChatId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. -1001234567890 or @mychannel',
				displayOptions: { show: { preset: ['telegram'] } },
			},
			{
				displayName: 'Priority',
				name: 'gotifyPriority',
				type: 'number',
				default: 5,
				displayOptions: { show: { preset: ['gotify'] } },
			},
			optionsProperty([
				{
					displayName: 'Fail on Unknown Placeholders',
					name: 'failOnUnknown',
					type: 'boolean',
					default: false,
					description:
						'Whether a placeholder that names nothing on the item fails it. By default it renders empty and is listed in unknownPlaceholders.',
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const results = await forEachItem(this, async (itemIndex) => {
			const presetId = this.getNodeParameter('preset', itemIndex) as string;
			const custom = CUSTOM[presetId];
			const preset: Preset | undefined = isPresetId(presetId) ? PRESETS[presetId] : undefined;
			if (!custom && !preset) {
				throw new NodeOperationError(this.getNode(), `Unknown preset "${presetId}"`, { itemIndex });
			}
			const template = preset
				? preset.template({
						telegramChatId: this.getNodeParameter('telegramChatId', itemIndex, '') as string,
						gotifyPriority: this.getNodeParameter('gotifyPriority', itemIndex, 5) as number,
					})
				: (this.getNodeParameter('template', itemIndex) as string);
			const mode = preset?.mode ?? custom.mode;
			const options = this.getNodeParameter('options', itemIndex, {}) as {
				failOnUnknown?: boolean;
			};
			let rendered;
			try {
				rendered = renderTemplate(template, this.getInputData()[itemIndex].json, mode);
			} catch (error) {
				const where =
					error instanceof TemplateError
						? `Template line ${error.line}, column ${error.column}${error.placeholder ? `, placeholder ${error.placeholder}` : ''}.`
						: undefined;
				throw new NodeOperationError(this.getNode(), (error as Error).message, {
					itemIndex,
					description: where,
				});
			}
			if (options.failOnUnknown && rendered.unknown.length > 0) {
				throw new NodeOperationError(
					this.getNode(),
					`Unknown placeholders: ${rendered.unknown.map((name) => `{{${name}}}`).join(', ')}`,
					{
						itemIndex,
						description:
							'They name no field of this item and are not among the named placeholders.',
					},
				);
			}
			return {
				body: rendered.body as never,
				contentType: preset?.contentType ?? custom.contentType,
				unknownPlaceholders: rendered.unknown,
			};
		});
		return [results];
	}
}
