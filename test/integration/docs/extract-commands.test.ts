import { describe, expect, it } from 'vitest';
import { extractCommands, stripComment } from './extract-commands.ts';

/** The extractor documented-commands.test.ts relies on: what counts as a command, and what not. */
describe('extractCommands', () => {
  const markdown = [
    '# Title',
    '',
    '```bash',
    'npm ci && npm start     # the gateway',
    '# a comment line',
    '',
    'curl -s http://127.0.0.1:8787/x \\',
    "  -H 'a: b' \\",
    '  -d \'{"k":"v  # not a comment"}\'',
    '```',
    '',
    '```json',
    '{ "not": "a command" }',
    '```',
    '',
    '1. A step:',
    '',
    '   ```sh',
    '   promtool check config grafana/prometheus/prometheus.yml',
    '   ```',
    '',
    '```console',
    '$ npx rekindle keys list',
    'PREFIX  ORGANIZATION',
    '```',
    '',
    '```crontab',
    '# m h dom mon dow  command',
    '0 3 * * 1  cd /srv/rekindle && npx rekindle train --provider openai',
    '@weekly npx rekindle leaderboard',
    '```',
    '',
    '```',
    'a diagram, not a command',
    '```',
  ].join('\n');

  it('finds every command of bash, sh, console and crontab blocks, and nothing else', () => {
    expect(
      extractCommands(markdown, 'doc.md').map((command) => [command.line, command.text]),
    ).toEqual([
      [4, 'npm ci && npm start'],
      [7, `curl -s http://127.0.0.1:8787/x -H 'a: b' -d '{"k":"v  # not a comment"}'`],
      [19, 'promtool check config grafana/prometheus/prometheus.yml'],
      [23, 'npx rekindle keys list'],
      [29, 'cd /srv/rekindle && npx rekindle train --provider openai'],
      [30, 'npx rekindle leaderboard'],
    ]);
  });

  it('numbers blocks so the commands of one block share a shell', () => {
    const blocks = extractCommands(markdown, 'doc.md').map((command) => command.block);
    expect(blocks).toEqual([0, 0, 2, 3, 4, 4]);
  });

  it('drops a comment only where the shell would', () => {
    expect(stripComment('echo a # b')).toBe('echo a ');
    expect(stripComment("echo 'a # b'")).toBe("echo 'a # b'");
    expect(stripComment('echo "a # b" # c')).toBe('echo "a # b" ');
    expect(stripComment('echo a#b')).toBe('echo a#b');
    expect(stripComment('echo ${x#whsec_}')).toBe('echo ${x#whsec_}');
  });
});
