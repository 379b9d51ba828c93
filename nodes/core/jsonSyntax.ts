/**
 * Where a JSON text first breaks, with a reason: JSON.parse's own messages differ between Node versions and may
 * not say where. Pure code; it checks syntax only (JSON.parse builds the value).
 */

export interface JsonSyntaxError {
	/** Offset of the first character that cannot be right. */
	offset: number;
	reason: string;
}

export function jsonSyntaxError(text: string): JsonSyntaxError | null {
	let at = 0;
	const fail = (reason: string): never => {
		throw { offset: at, reason } satisfies JsonSyntaxError;
	};
	const space = () => {
		while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
	};
	const expect = (char: string) => {
		if (text[at] !== char) fail(`expected "${char}"`);
		at++;
	};
	const string = () => {
		expect('"');
		for (;;) {
			if (at >= text.length) fail('unterminated string');
			const char = text[at];
			if (char === '"') {
				at++;
				return;
			}
			if (char < ' ') fail('unescaped control character in a string');
			if (char === '\\') {
				at++;
				const escaped = text[at];
				if (escaped === undefined) fail('unterminated string');
				if (escaped === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail('bad \\u escape');
					at += 5;
				} else if ('"\\/bfnrt'.includes(escaped)) at++;
				else fail('bad escape');
			} else at++;
		}
	};
	const number = () => {
		const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
		if (!match) fail('expected a value');
		at += (match as RegExpExecArray)[0].length;
	};
	const value = (): void => {
		space();
		const char = text[at];
		if (char === '{') {
			at++;
			space();
			if (text[at] === '}') {
				at++;
				return;
			}
			for (;;) {
				space();
				if (text[at] !== '"') fail('expected a property name in double quotes');
				string();
				space();
				expect(':');
				value();
				space();
				if (text[at] === ',') {
					at++;
					continue;
				}
				expect('}');
				return;
			}
		}
		if (char === '[') {
			at++;
			space();
			if (text[at] === ']') {
				at++;
				return;
			}
			for (;;) {
				value();
				space();
				if (text[at] === ',') {
					at++;
					continue;
				}
				expect(']');
				return;
			}
		}
		if (char === '"') return string();
		for (const word of ['true', 'false', 'null']) {
			if (text.startsWith(word, at)) {
				at += word.length;
				return;
			}
		}
		if (at >= text.length) fail('unexpected end');
		number();
	};
	try {
		value();
		space();
		if (at < text.length) fail('unexpected text after the JSON value');
		return null;
	} catch (error) {
		return error as JsonSyntaxError;
	}
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, offset).split('\n');
	return { line: before.length, column: before[before.length - 1].length + 1 };
}
