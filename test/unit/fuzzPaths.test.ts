/**
 * Property-based fuzzing of Scan Paths' path mapping (README "Rescanning libraries"). New cases every run; a
 * failure prints fast-check's seed and path to replay it.
 */
import fc from 'fast-check';
import { pathMapper, PathMappingError, type PathMappingRule } from '../../nodes/core/paths';
import { anyText, unlessTypedError } from './fuzzInputs';

const RUNS = 20_000;

/** A folder or file name: any characters but separators, never `.` (which paths drop), no space at the ends. */
const segment = anyText(6)
	.map((text) => text.replace(/[\\/]/g, '').trim())
	.filter((text) => text !== '' && text !== '.');

type Style = 'posix' | 'drive' | 'unc';

interface Folder {
	style: Style;
	drive: string;
	segments: string[];
}

const folder = (minSegments: number) =>
	fc.record({
		style: fc.constantFrom<Style>('posix', 'drive', 'unc'),
		drive: fc.constantFrom('c', 'D', 'z'),
		// UNC needs a server and a share.
		segments: fc.array(segment, { minLength: minSegments + 2, maxLength: minSegments + 4 }),
	});

function separator(style: Style): string {
	return style === 'posix' ? '/' : '\\';
}

/** A folder as a user types it: optional trailing separator; Windows paths may use either separator. */
function written(path: Folder, slash: boolean, trailing: boolean): string {
	const sep = path.style === 'posix' || slash ? '/' : '\\';
	const body = path.segments.join(sep) + (trailing ? sep : '');
	if (path.style === 'posix') return `/${body}`;
	if (path.style === 'drive') return `${path.drive}:${sep}${body}`;
	return `${sep}${sep}${body}`;
}

/** The folder as the mapper writes it: one separator style, drive letters upper-case, no trailing separator. */
function canonical(path: Folder, segments: string[]): string {
	const body = segments.join(separator(path.style));
	if (path.style === 'posix') return `/${body}`;
	if (path.style === 'drive') return `${path.drive.toUpperCase()}:\\${body}`;
	return `\\\\${body}`;
}

/** ASCII letters flipped in case: Windows paths compare without case. */
const flipped = (text: string) =>
	text.replace(/[a-z]/gi, (letter) =>
		letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase(),
	);

describe(`path mapping, ${RUNS} cases each`, () => {
	test('a path under a rule becomes the target plus the same rest, in the target separator', () => {
		fc.assert(
			fc.property(
				folder(0),
				folder(0),
				fc.array(segment, { maxLength: 4 }),
				fc.boolean(),
				fc.boolean(),
				(from, to, rest, slash, trailing) => {
					const rule: PathMappingRule = {
						from: written(from, slash, trailing),
						to: written(to, !slash, !trailing),
					};
					const windows = from.style !== 'posix';
					const fromAsSent = windows ? { ...from, segments: from.segments.map(flipped) } : from;
					const path = `${written(fromAsSent, !slash, false)}${separator(from.style)}${rest.join(separator(from.style))}`;
					const mapped = pathMapper([rule])(path);
					const expected = canonical(to, [...to.segments, ...rest]);
					if (mapped.serverPath !== expected || mapped.rule === null || mapped.path !== path) {
						throw new Error(
							`${path} with ${rule.from} → ${rule.to} gave ${mapped.serverPath}, expected ${expected}`,
						);
					}
				},
			),
			{ numRuns: RUNS },
		);
	});

	test('the longest matching rule wins; a sibling folder that only shares a prefix is not matched', () => {
		fc.assert(
			fc.property(folder(0), segment, segment, segment, (base, inner, file, suffix) => {
				const outer = written(base, false, false);
				const deeper = `${outer}${separator(base.style)}${inner}`;
				const map = pathMapper([
					{ from: outer, to: '/outer' },
					{ from: deeper, to: '/inner' },
				]);
				const sep = separator(base.style);
				if (map(`${deeper}${sep}${file}`).serverPath !== `/inner/${file}`)
					throw new Error('longest rule lost');
				// `/media/movies` never rewrites `/media/movies2`.
				const sibling = `${outer}${suffix}${sep}${file}`;
				const result = map(sibling);
				if (result.rule !== null || result.serverPath !== sibling) {
					throw new Error(`${sibling} was mapped by ${result.rule}`);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	test('any rules and paths: a mapping, or a PathMappingError for the rules', () => {
		const text = fc.oneof(
			anyText(12),
			fc.constantFrom(
				'/',
				'\\',
				'\\\\',
				'//',
				'C:',
				'c:\\',
				'\\\\nas',
				' / ',
				'',
				' ',
				'..',
				'/a/./b',
				'/a//b/',
			),
		);
		const rules = fc.array(fc.record({ from: text, to: text }), { maxLength: 3 });
		fc.assert(
			fc.property(rules, fc.array(text, { maxLength: 4 }), (list, paths) => {
				const map = unlessTypedError(() => pathMapper(list), [PathMappingError]);
				if (map === undefined) return;
				for (const path of paths) {
					const mapped = map(path);
					if (typeof mapped.serverPath !== 'string' || mapped.path !== path) {
						throw new Error(`mapping ${JSON.stringify(path)} gave ${JSON.stringify(mapped)}`);
					}
					if (mapped.rule === null && mapped.serverPath !== path)
						throw new Error('changed without a rule');
				}
			}),
			{ numRuns: RUNS },
		);
	});
});
