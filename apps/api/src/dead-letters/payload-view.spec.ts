import { viewPayload } from './payload-view';

describe(viewPayload.name, () => {
  it('shows UTF-8 text as text, tabs and line breaks included', () => {
    expect(viewPayload(Buffer.from('{"value": 21.5,\n\t"unit": "°C"}\r\n'), false)).toEqual({
      payload: '{"value": 21.5,\n\t"unit": "°C"}\r\n',
      payloadEncoding: 'utf8',
    });
  });

  it('shows bytes that are not UTF-8 as base64', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x41]);
    expect(viewPayload(bytes, false)).toEqual({ payload: '//5B', payloadEncoding: 'base64' });
  });

  it.each([
    ['NUL', '21\u0000'],
    ['escape (terminal control)', '\u001b[2J21.5'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085b'],
  ])('shows text holding %s as base64', (_name, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(viewPayload(bytes, false)).toEqual({
      payload: bytes.toString('base64'),
      payloadEncoding: 'base64',
    });
  });

  it('keeps a truncated payload cut inside a multi-byte character as text, without the partial character', () => {
    const cut = Buffer.from('temp °C', 'utf8').subarray(0, 6); // "temp " + first byte of "°"
    expect(viewPayload(cut, true)).toEqual({ payload: 'temp ', payloadEncoding: 'utf8' });
    // the same bytes untruncated are not valid UTF-8
    expect(viewPayload(cut, false).payloadEncoding).toBe('base64');
  });

  it('shows an empty payload as empty text', () => {
    expect(viewPayload(Buffer.alloc(0), false)).toEqual({ payload: '', payloadEncoding: 'utf8' });
  });
});
