import { describe, expect, it } from 'vitest';
import { type ScanFramingInput, scanFramingSchema } from '../discovery/config.js';
import { type FrameResult, ScanFramer } from './framing.js';

const bytes = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));
const show = (results: FrameResult[]) =>
  results.map((r) =>
    r.kind === 'frame'
      ? Buffer.from(r.data).toString('latin1')
      : `!${r.reason}:${Buffer.from(r.raw).toString('latin1')}`,
  );

function framer(input: ScanFramingInput) {
  return new ScanFramer(scanFramingSchema.parse(input));
}

describe('ScanFramer', () => {
  it('splits on CR, LF or CRLF, across chunk boundaries', () => {
    expect(show(framer({ suffix: 'CR' }).push(bytes('123\r456\r')))).toEqual(['123', '456']);
    expect(show(framer({ suffix: 'LF' }).push(bytes('123\n\n456\n')))).toEqual(['123', '456']);
    const crlf = framer({ suffix: 'CRLF' });
    expect(show(crlf.push(bytes('400638133393')))).toEqual([]);
    expect(show(crlf.push(bytes('1\r')))).toEqual([]);
    expect(show(crlf.push(bytes('\n96385074\r\n')))).toEqual(['4006381333931', '96385074']);
  });

  it('keeps GS separators and rejects other control bytes as garbage', () => {
    const f = framer({ suffix: 'CR' });
    expect(show(f.push(bytes('0109501101530003\x1d10AB\r')))).toEqual(['0109501101530003\x1d10AB']);
    expect(show(f.push(bytes('12\x0034\r5\r')))).toEqual(['!garbage:12\x0034', '5']);
    expect(show(framer({ suffix: 'CRLF' }).push(bytes('12\r34\r\n')))).toEqual(['!garbage:12\r34']);
  });

  it('rejects an over-long frame once and resyncs at the next terminator', () => {
    const f = framer({ suffix: 'CR', maxLength: 5 });
    expect(show(f.push(bytes('12345\r123456789\r67\r')))).toEqual(['12345', '!too-long:123456', '67']);
  });

  it('checks and strips a configured prefix (the limit excludes the prefix)', () => {
    const f = framer({ suffix: 'CR', prefix: '#', maxLength: 3 });
    expect(show(f.push(bytes('#123\r123\r')))).toEqual(['123', '!missing-prefix:123']);
  });

  it('frames STX…ETX, ignores CR/LF between frames and reports stray bytes', () => {
    const f = framer({ suffix: 'none', stxEtx: true });
    expect(show(f.push(bytes('\x02]E04006381333931\x03\r\n\x0296385')))).toEqual([']E04006381333931']);
    expect(show(f.push(bytes('074\x03x')))).toEqual(['96385074', '!garbage:x']);
  });

  it('reset() drops a half frame', () => {
    const f = framer({ suffix: 'CR' });
    f.push(bytes('4006'));
    f.reset();
    expect(show(f.push(bytes('96385074\r')))).toEqual(['96385074']);
  });
});
