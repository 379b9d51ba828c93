// The unit tier runs in Pacific/Chatham (test/support/zone-environment.js): without it, a time read in the local
// zone instead of UTC would pass on this machine and in CI, both UTC.
test('the unit tier runs in a zone that is not UTC', () => {
	expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Pacific/Chatham');
	expect(new Date(Date.UTC(2024, 5, 1)).getTimezoneOffset()).toBe(-765);
});
