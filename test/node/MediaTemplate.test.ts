import type { IDataObject } from 'n8n-workflow';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { MediaTemplate } from '../../nodes/MediaTemplate/MediaTemplate.node';
import { fixtureJson } from '../fixtures/load';
import { executeContext } from './execute-context';

const node = new MediaTemplate();

async function run(
	items: IDataObject[],
	parameters: Record<string, unknown>,
	continueOnFail = false,
) {
	const { context } = executeContext({
		description: node.description,
		items,
		parameters,
		credentials: {},
		continueOnFail,
	});
	const [output] = await node.execute.call(context);
	return output.map((item) => item.json);
}

const grab = parseServarr(fixtureJson('servarr', 'radarr-grab-v5-2024.json'), {
	receivedAt: new Date(0),
}) as unknown as IDataObject;

describe('Media Template', () => {
	test('a preset gives the body and its content type, for each item', async () => {
		const output = await run([grab, { event: 'test' }], { preset: 'discord' });
		expect(output).toEqual([
			{
				body: {
					content: `**grab** ${(grab.media as IDataObject).title} (${(grab.media as IDataObject).year})`,
				},
				contentType: 'application/json',
				unknownPlaceholders: [],
			},
			{
				body: { content: '**test** test' },
				contentType: 'application/json',
				unknownPlaceholders: [],
			},
		]);
	});

	test('custom text: the string as rendered, text/plain', async () => {
		const [output] = await run([grab], {
			preset: 'customText',
			template: '{{quality}} from {{indexer}}',
		});
		expect(output).toEqual({
			body: `${grab.quality} from ${grab.indexer}`,
			contentType: 'text/plain; charset=utf-8',
			unknownPlaceholders: [],
		});
	});

	test('a broken JSON template fails the item with where it broke', async () => {
		await expect(
			run([grab], { preset: 'customJson', template: '{\n  "a": {{title}} {{year}}\n}' }),
		).rejects.toMatchObject({
			message: expect.stringMatching(/^The template does not give valid JSON at \{\{year\}\}/),
			description: 'Template line 2, column 18, placeholder {{year}}.',
		});
	});

	test('unknown placeholders are listed, or fail the item when asked', async () => {
		const [listed] = await run([grab], { preset: 'customText', template: '{{titel}}' });
		expect(listed.unknownPlaceholders).toEqual(['titel']);
		const [failed] = await run(
			[grab],
			{ preset: 'customText', template: '{{titel}}', options: { failOnUnknown: true } },
			true,
		);
		expect(failed).toEqual({
			error: 'Unknown placeholders: {{titel}}',
			description: 'They name no field of this item and are not among the named placeholders.',
		});
	});
});
