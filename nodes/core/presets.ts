/**
 * Ready-made notification bodies for the receivers people send to, each next to the format it follows. Pure
 * data: the Media Template node renders them with `renderTemplate`.
 */
import type { TemplateMode } from './template';
import { ownEntry } from './values';

export interface PresetOptions {
	/** Telegram: the chat to post to, a number or `@channelname`. */
	telegramChatId?: string;
	/** Gotify: message priority. */
	gotifyPriority?: number;
}

export interface Preset {
	name: string;
	mode: TemplateMode;
	contentType: string;
	/** The receiver's documentation of the format. */
	documentation: string;
	template(options: PresetOptions): string;
}

/** A JSON literal for a Telegram chat id: numeric ids as numbers, `@channel` names as strings. */
function chatIdLiteral(chatId: string | undefined): string {
	const value = (chatId ?? '').trim();
	return /^-?\d+$/.test(value) ? value : JSON.stringify(value);
}

export type PresetId =
	| 'discord'
	| 'slack'
	| 'ntfy'
	| 'telegram'
	| 'gotify'
	| 'homeAssistant'
	| 'generic';

export const PRESETS: Record<PresetId, Preset> = {
	discord: {
		name: 'Discord',
		mode: 'json',
		contentType: 'application/json',
		// Execute Webhook: one of content, embeds, … is required; content is up to 2000 characters.
		documentation: 'https://discord.com/developers/docs/resources/webhook#execute-webhook',
		template: () => '{\n  "content": "**{{event}}** {{summary}}"\n}',
	},
	slack: {
		name: 'Slack',
		mode: 'json',
		contentType: 'application/json',
		// Incoming webhooks: a JSON body with "text" (mrkdwn by default).
		documentation: 'https://api.slack.com/messaging/webhooks',
		template: () => '{\n  "text": "*{{event}}* {{summary}}"\n}',
	},
	ntfy: {
		name: 'ntfy',
		mode: 'text',
		contentType: 'text/plain; charset=utf-8',
		// Publishing: the request body is the message; POST or PUT to the topic URL.
		documentation: 'https://docs.ntfy.sh/publish/',
		template: () => '{{event}}: {{summary}}',
	},
	telegram: {
		name: 'Telegram',
		mode: 'json',
		contentType: 'application/json',
		// sendMessage: chat_id (integer or @channelusername) and text (1-4096 characters) are required.
		documentation: 'https://core.telegram.org/bots/api#sendmessage',
		template: ({ telegramChatId }) =>
			`{\n  "chat_id": ${chatIdLiteral(telegramChatId)},\n  "text": "{{event}}: {{summary}}"\n}`,
	},
	gotify: {
		name: 'Gotify',
		mode: 'json',
		contentType: 'application/json',
		// POST /message: message (required), title, priority (integer).
		documentation: 'https://gotify.net/api-docs#/message/createMessage',
		template: ({ gotifyPriority }) =>
			`{\n  "title": "{{event}}",\n  "message": "{{summary}}",\n  "priority": ${Math.trunc(gotifyPriority ?? 5)}\n}`,
	},
	homeAssistant: {
		name: 'Home Assistant',
		mode: 'json',
		contentType: 'application/json',
		// Webhook trigger: a JSON body becomes trigger.json in the automation.
		documentation: 'https://www.home-assistant.io/docs/automation/trigger/#webhook-trigger',
		template: () =>
			[
				'{',
				'  "event": {{event}},',
				'  "source": {{source}},',
				'  "summary": {{summary}},',
				'  "title": {{title}},',
				'  "show": {{show}},',
				'  "season": {{season}},',
				'  "episode": {{episode}},',
				'  "year": {{year}},',
				'  "user": {{user}},',
				'  "quality": {{quality}},',
				'  "message": {{message}}',
				'}',
			].join('\n'),
	},
	generic: {
		name: 'Generic',
		mode: 'json',
		contentType: 'application/json',
		// Kino's default payload: every field of its event, null where there is none.
		documentation:
			'https://github.com/kinostack-app/kino (backend/crates/kino/src/notification/mod.rs, Event)',
		template: () =>
			[
				'{',
				'  "event_type": {{event}},',
				'  "movie_id": {{movie_id}},',
				'  "episode_id": {{episode_id}},',
				'  "title": {{title}},',
				'  "show": {{show}},',
				'  "season": {{season}},',
				'  "episode": {{episode}},',
				'  "quality": {{quality}},',
				'  "year": {{year}},',
				'  "size": {{size}},',
				'  "indexer": {{indexer}},',
				'  "message": {{message}}',
				'}',
			].join('\n'),
	},
};

export function isPresetId(value: string): value is PresetId {
	return ownEntry(PRESETS, value) !== undefined;
}
