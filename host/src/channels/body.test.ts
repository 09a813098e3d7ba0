import { describe, expect, it } from 'vitest';
import { readBodyText } from './body.js';

const streamOf = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const s of chunks) c.enqueue(new TextEncoder().encode(s));
      c.close();
    },
  });
const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://h/slack/events', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBodyText (webhook bodies)', () => {
  it('reads a body within the limit, declared or streamed', async () => {
    expect(await readBodyText(post('payload=%7B%7D', { 'content-length': '14' }), 64)).toEqual({
      ok: true,
      text: 'payload=%7B%7D',
    });
    expect(await readBodyText(post(streamOf(['{"a":', '1}'])), 64)).toEqual({ ok: true, text: '{"a":1}' });
  });

  it('refuses a declared length over the limit without reading, and a streamed body once it passes it', async () => {
    expect(await readBodyText(post('x'.repeat(100), { 'content-length': '100' }), 64)).toEqual({ ok: false });
    expect(await readBodyText(post('x', { 'content-length': 'abc' }), 64)).toEqual({ ok: false });
    expect(await readBodyText(post(streamOf(['x'.repeat(40), 'y'.repeat(40)])), 64)).toEqual({ ok: false });
  });

  it('counts bytes, not characters', async () => {
    const text = 'é'.repeat(40); // 80 bytes in UTF-8
    expect(await readBodyText(post(streamOf([text])), 64)).toEqual({ ok: false });
    expect(await readBodyText(post(streamOf([text])), 80)).toEqual({ ok: true, text });
  });
});
