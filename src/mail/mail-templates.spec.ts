import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMail } from './mail-templates';

describe(renderMail.name, () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'mail-templates-'));
    writeFileSync(
      join(directory, 'greeting.txt'),
      'Subject: Hello {{name}}\n\nHi {{ name }},\nopen {{link}} to go on.\n',
    );
    writeFileSync(
      join(directory, 'greeting.html'),
      '<p>Hi {{name}}, <a href="{{link}}">go on</a></p>',
    );
    writeFileSync(join(directory, 'plain.txt'), 'Subject: Plain\nNo blank line, no html.\n');
    writeFileSync(join(directory, 'no-subject.txt'), 'Just a body\n');
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('fills the subject, text and HTML parts from the files', () => {
    const mail = renderMail(
      'greeting',
      { name: 'Ada <ada@example.com>', link: 'https://x.test/r?token=abc&x=1' },
      directory,
    );

    expect(mail).toEqual({
      subject: 'Hello Ada <ada@example.com>',
      text: 'Hi Ada <ada@example.com>,\nopen https://x.test/r?token=abc&x=1 to go on.\n',
      html: '<p>Hi Ada &lt;ada@example.com&gt;, <a href="https://x.test/r?token=abc&amp;x=1">go on</a></p>',
    });
  });

  it('leaves out the HTML part when there is no .html file', () => {
    expect(renderMail('plain', {}, directory)).toEqual({
      subject: 'Plain',
      text: 'No blank line, no html.\n',
    });
  });

  it('refuses a placeholder without a value', () => {
    expect(() => renderMail('greeting', { name: 'Ada' }, directory)).toThrow('{{link}}');
  });

  it('refuses a template without a Subject line, and a kind that is not a file name', () => {
    expect(() => renderMail('no-subject', {}, directory)).toThrow('Subject:');
    expect(() => renderMail('../etc/passwd', {}, directory)).toThrow('Not a mail kind');
  });

  it('keeps a value with line breaks from adding header lines to the subject', () => {
    writeFileSync(join(directory, 'subject-only.txt'), 'Subject: For {{name}}\n\nBody\n');

    expect(renderMail('subject-only', { name: 'a\r\nBcc: x@y' }, directory).subject).toBe(
      'For a Bcc: x@y',
    );
  });
});
