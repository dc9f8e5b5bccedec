/**
 * Deterministic log probabilities for the sandbox's tokens (its "tokens" are the pieces it streams):
 * the chosen token gets a logprob in (-0.6, 0], each alternative a lower one, all derived from the
 * token's text and position, so the same answer always carries the same numbers.
 */
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly bytes: number[];
  readonly top_logprobs: ReadonlyArray<{ token: string; logprob: number; bytes: number[] }>;
}

const alternatives = [
  ' the',
  ' a',
  ' and',
  ' to',
  ',',
  '.',
  ' our',
  ' your',
  ' we',
  ' you',
  ' for',
  ' with',
  ' on',
  ' in',
  ' is',
  ' that',
  ' this',
  ' it',
  ' be',
  ' of',
];

export function tokenLogprobs(
  pieces: readonly string[],
  firstPosition: number,
  top: number,
): TokenLogprob[] {
  return pieces.map((token, offset) => {
    const position = firstPosition + offset;
    const weight = mix(token, position);
    const logprob = -round((weight % 600) / 1000);
    const others = alternatives
      .filter((candidate) => candidate !== token)
      .slice(0, Math.max(0, top - 1));
    const topLogprobs =
      top <= 0
        ? []
        : [
            { token, logprob, bytes: bytesOf(token) },
            ...others.map((candidate, rank) => ({
              token: candidate,
              logprob: round(logprob - 0.75 - rank * 0.5 - ((weight >> (rank % 8)) % 100) / 1000),
              bytes: bytesOf(candidate),
            })),
          ];
    return { token, logprob, bytes: bytesOf(token), top_logprobs: topLogprobs };
  });
}

/** The pieces the sandbox streams: words with their trailing space, JSON split after punctuation. */
export function contentPieces(content: string): string[] {
  return content.split(/(?<=[\s,:{}[\]])/).filter((piece) => piece.length > 0);
}

function bytesOf(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** A small integer hash of a token and its position (FNV-style multiply, kept in 31 bits). */
function mix(token: string, position: number): number {
  let value = (position + 1) * 2_654_435_761;
  for (let index = 0; index < token.length; index++) {
    value = Math.imul(value ^ token.charCodeAt(index), 16_777_619);
  }
  return (value >>> 0) & 0x7fffffff;
}
