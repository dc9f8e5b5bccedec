import { openAsBlob } from 'node:fs';
import type { UploadTrainingFileInput } from './fine-tuner.ts';

/**
 * A `File` for a multipart upload. A path becomes a file-backed Blob (`fs.openAsBlob`): the bytes
 * are read from disk while the request body is sent, so a large export is never held in memory.
 * A stream has no length up front, so it is buffered — pass a path for large files.
 */
export async function toUploadFile(input: UploadTrainingFileInput): Promise<File> {
  if (!input.filename.endsWith('.jsonl')) {
    throw new TypeError(`training file name must end in .jsonl: ${input.filename}`);
  }
  const type = 'application/jsonl';
  if (input.path !== undefined) {
    const blob = await openAsBlob(input.path, { type });
    return new File([blob], input.filename, { type });
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of input.stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return new File(chunks, input.filename, { type });
}
