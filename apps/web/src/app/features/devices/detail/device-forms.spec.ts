import { commandBody, metadataEntries, metadataFromRows, metadataRow, metadataRows } from './device-forms';

describe('metadataFromRows', () => {
  it('turns rows into an object with trimmed keys and string values, dropping blank rows', () => {
    const rows = [metadataRow(' room ', '2.14'), metadataRow('', ''), metadataRow('owner', ' Ana ')];
    expect(metadataFromRows(rows)).toEqual({ metadata: { room: '2.14', owner: ' Ana ' } });
  });

  it('gives an empty object when every row is blank, which clears the metadata', () => {
    expect(metadataFromRows([metadataRow()])).toEqual({ metadata: {} });
  });

  it('refuses a value without a key and a key used twice', () => {
    expect(metadataFromRows([metadataRow(' ', 'x')])).toEqual({ error: 'The value "x" needs a key.' });
    expect(metadataFromRows([metadataRow('a', '1'), metadataRow('a ', '2')])).toEqual({
      error: 'The key "a" is used twice.',
    });
  });

  it('keeps a non-string value as it was unless its text was edited', () => {
    const rows = metadataRows({ floor: 2, tags: ['a'] });
    expect(rows.map((r) => r.value)).toEqual(['2', '["a"]']);
    rows[1].value = 'a, b';
    expect(metadataFromRows(rows)).toEqual({ metadata: { floor: 2, tags: 'a, b' } });
  });
});

describe('metadataEntries', () => {
  it('shows strings as they are and other values as JSON', () => {
    expect(metadataEntries({ a: 'x', b: 3, c: null })).toEqual([
      ['a', 'x'],
      ['b', '3'],
      ['c', 'null'],
    ]);
    expect(metadataEntries(undefined)).toEqual([]);
  });
});

describe('commandBody', () => {
  it('sends ping and reboot without seconds', () => {
    expect(commandBody('ping', 30)).toEqual({ body: { command: 'ping' } });
    expect(commandBody('reboot', null)).toEqual({ body: { command: 'reboot' } });
  });

  it('sends an interval of 5 to 86400 whole seconds', () => {
    expect(commandBody('interval', '60')).toEqual({ body: { command: 'interval', seconds: 60 } });
    expect(commandBody('interval', 5)).toEqual({ body: { command: 'interval', seconds: 5 } });
    expect(commandBody('interval', 86_400)).toEqual({ body: { command: 'interval', seconds: 86_400 } });
  });

  it('refuses an interval outside 5–86400, fractional or missing', () => {
    for (const s of [4, 86_401, 2.5, '', null, 'abc'])
      expect(commandBody('interval', s)).toHaveProperty('error');
  });
});
