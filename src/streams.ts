/** Reading a stream whole, never more than a limit: the rest is not read, the stream is destroyed. */
import type { Readable } from 'node:stream';

/** The bytes of `stream`, or undefined when it holds more than `limit` bytes. */
export async function readCapped(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
