/**
 * What each notification receiver documents it accepts, as checks: a preset's output must pass its receiver's.
 * Each check cites the page it follows; they return the problems found (empty = accepted).
 */

type Check = (body: unknown) => string[];

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export const RECEIVERS: Record<string, Check> = {
	// https://discord.com/developers/docs/resources/webhook#execute-webhook — "one of content, file, embeds, poll";
	// content: "the message contents (up to 2000 characters)".
	discord: (body) => {
		if (!isObject(body)) return ['not a JSON object'];
		const problems: string[] = [];
		if (typeof body.content !== 'string' && !Array.isArray(body.embeds))
			problems.push('needs content or embeds');
		if (typeof body.content === 'string') {
			if (body.content.trim() === '') problems.push('content is empty');
			if ([...body.content].length > 2000) problems.push('content is over 2000 characters');
		}
		return problems;
	},
	// https://api.slack.com/messaging/webhooks — a JSON payload with a "text" field (or blocks).
	slack: (body) =>
		!isObject(body)
			? ['not a JSON object']
			: typeof body.text === 'string' && body.text.trim() !== ''
				? []
				: ['needs a non-empty text'],
	// https://docs.ntfy.sh/publish/ — the body is the message; a body over 4,096 bytes becomes an attachment.
	ntfy: (body) => {
		if (typeof body !== 'string') return ['not a text body'];
		const problems: string[] = [];
		if (body.trim() === '') problems.push('message is empty');
		if (Buffer.byteLength(body, 'utf8') > 4096) problems.push('message is over 4096 bytes');
		return problems;
	},
	// https://core.telegram.org/bots/api#sendmessage — chat_id "Integer or String" (@channelusername), text
	// "1-4096 characters after entities parsing".
	telegram: (body) => {
		if (!isObject(body)) return ['not a JSON object'];
		const problems: string[] = [];
		const chat = body.chat_id;
		if (!(Number.isInteger(chat) || (typeof chat === 'string' && /^@\w{5,}$/.test(chat)))) {
			problems.push('chat_id must be an integer or @channelusername');
		}
		const length = typeof body.text === 'string' ? [...body.text.trim()].length : 0;
		if (length < 1 || length > 4096) problems.push('text must be 1-4096 characters');
		return problems;
	},
	// https://gotify.net/api-docs#/message/createMessage — Message: message (string, required), title (string),
	// priority (integer).
	gotify: (body) => {
		if (!isObject(body)) return ['not a JSON object'];
		const problems: string[] = [];
		if (typeof body.message !== 'string' || body.message === '')
			problems.push('message is required');
		if (body.title !== undefined && typeof body.title !== 'string')
			problems.push('title must be a string');
		if (body.priority !== undefined && !Number.isInteger(body.priority))
			problems.push('priority must be an integer');
		return problems;
	},
	// https://www.home-assistant.io/docs/automation/trigger/#webhook-trigger — a JSON body is available as
	// trigger.json; it must be valid JSON (an object, to be addressed by key).
	homeAssistant: (body) => (isObject(body) ? [] : ['not a JSON object']),
	// Kino's default payload (kinostack-app/kino backend/crates/kino/src/notification/mod.rs, Event): these keys,
	// strings or numbers or null.
	generic: (body) => {
		if (!isObject(body)) return ['not a JSON object'];
		const keys = [
			'event_type',
			'movie_id',
			'episode_id',
			'title',
			'show',
			'season',
			'episode',
			'quality',
			'year',
			'size',
			'indexer',
			'message',
		];
		const problems = keys.filter((key) => !(key in body)).map((key) => `missing ${key}`);
		for (const key of ['season', 'episode', 'year']) {
			if (body[key] !== null && typeof body[key] !== 'number')
				problems.push(`${key} must be a number or null`);
		}
		if (typeof body.event_type !== 'string') problems.push('event_type must be a string');
		return problems;
	},
};
