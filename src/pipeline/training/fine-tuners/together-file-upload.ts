/**
 * Together's documented multipart upload, `POST {base}/files/upload` with fields `file`,
 * `file_name`, `purpose=fine-tune`, `file_type=jsonl`. Not through `together-ai`: its 0.52
 * `files.upload()` fails on Node 20 and ignores the client's `baseURL`.
 */
import { isRetryableStatus, parseRetryAfter } from '../../../errors/index.ts';
import type { UploadTrainingFileInput } from './fine-tuner.ts';
import { FineTuningError, toFineTuningError } from './fine-tuning-error.ts';
import { toUploadFile } from './training-file-source.ts';

export interface TogetherUploadOptions {
  apiKey: string;
  baseURL: string;
  maxRetries: number;
  timeoutMs: number;
}

const maxBackoffMs = 8_000;

export async function uploadTogetherFile(
  input: UploadTrainingFileInput,
  options: TogetherUploadOptions,
): Promise<string> {
  const file = await toUploadFile(input);
  const url = `${options.baseURL.replace(/\/+$/, '')}/files/upload`;
  for (let attempt = 0; ; attempt += 1) {
    // A fresh body per attempt; a file-backed Blob re-reads from disk.
    const form = new FormData();
    form.append('file', file, input.filename);
    form.append('file_name', input.filename);
    form.append('purpose', 'fine-tune');
    form.append('file_type', 'jsonl');
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      if (attempt < options.maxRetries) {
        await sleep(backoff(attempt));
        continue;
      }
      throw toFineTuningError('together', 'upload_file', error);
    }
    const text = await response.text();
    const body = safeJson(text);
    if (response.ok && typeof body?.id === 'string') {
      return body.id;
    }
    if (!response.ok && isRetryableStatus(response.status) && attempt < options.maxRetries) {
      const headers = Object.fromEntries(response.headers);
      await sleep(Math.min(parseRetryAfter(headers) ?? backoff(attempt), 60_000));
      continue;
    }
    if (response.ok) {
      throw new FineTuningError(
        `Together upload answered without a file id: ${text.slice(0, 200)}`,
        {
          provider: 'together',
          kind: 'upstream',
          operation: 'upload_file',
          upstreamStatus: 502,
          upstreamBody: text,
        },
      );
    }
    throw toFineTuningError('together', 'upload_file', {
      status: response.status,
      error: body ?? text,
    });
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function backoff(attempt: number): number {
  const base = Math.min(maxBackoffMs, 500 * 2 ** attempt);
  return base * (0.75 + Math.random() * 0.25);
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
