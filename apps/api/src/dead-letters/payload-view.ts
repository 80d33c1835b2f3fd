/** How a stored payload is shown: text when it is plain UTF-8 text, else base64, so no byte is hidden or garbled. */
export type PayloadEncoding = 'utf8' | 'base64';

// a control character (C0, DEL, C1: Unicode category Cc) other than tab, line feed and carriage return
const CONTROL = /[^\P{Cc}\t\n\r]/u;

/**
 * `truncated`: the stored bytes were cut (at 16 KiB), possibly inside a multi-byte character; that unfinished
 * character is left out of the text rather than turning the whole payload into base64.
 */
export function viewPayload(
  bytes: Buffer,
  truncated: boolean,
): { payload: string; payloadEncoding: PayloadEncoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, {
      stream: truncated,
    });
    if (!CONTROL.test(text)) return { payload: text, payloadEncoding: 'utf8' };
  } catch {
    // not UTF-8
  }
  return { payload: bytes.toString('base64'), payloadEncoding: 'base64' };
}
