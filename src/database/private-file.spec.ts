import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateFile } from './private-file';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('ensurePrivateFile', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'private-file-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the missing folders 0700 and the file 0600, empty', () => {
    const file = join(root, 'data', 'nested', 'app.sqlite');

    ensurePrivateFile(file);

    expect(modeOf(join(root, 'data'))).toBe(0o700);
    expect(modeOf(join(root, 'data', 'nested'))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(readFileSync(file)).toHaveLength(0);
  });

  it('keeps an existing file, its content and its mode', () => {
    mkdirSync(join(root, 'data'), { mode: 0o750 });
    const file = join(root, 'data', 'app.sqlite');
    writeFileSync(file, 'existing', { mode: 0o640 });

    ensurePrivateFile(file);

    expect(readFileSync(file, 'utf8')).toBe('existing');
    expect(modeOf(file)).toBe(0o640);
    expect(modeOf(join(root, 'data'))).toBe(0o750);
  });
});
