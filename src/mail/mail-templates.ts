import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Beside this file in src/ and in dist/ (nest-cli.json copies the templates as assets). */
export const MAIL_TEMPLATES_DIRECTORY = join(__dirname, 'templates');

export interface RenderedMail {
  subject: string;
  text: string;
  html?: string;
}

interface MailTemplate {
  subject: string;
  text: string;
  html?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const SUBJECT_LINE = /^Subject:[ \t]*(.*)\r?\n(?:\r?\n)?/;
const cache = new Map<string, MailTemplate>();

/**
 * Renders `templates/<kind>.txt` (first line `Subject: ...`, then the body) and, when present,
 * `templates/<kind>.html`, replacing each `{{name}}` with `variables.name` (HTML-escaped in the
 * HTML part). A placeholder without a value is an error, so a mail never goes out half-filled.
 * Files are read once per process.
 */
export function renderMail(
  kind: string,
  variables: Record<string, string>,
  directory: string = MAIL_TEMPLATES_DIRECTORY,
): RenderedMail {
  const template = loadTemplate(kind, directory);
  const fill = (source: string, escape: (value: string) => string): string =>
    source.replace(PLACEHOLDER, (_match, name: string) => {
      const value = variables[name];
      if (value === undefined) {
        throw new Error(`Mail template "${kind}" needs a value for {{${name}}}`);
      }
      return escape(value);
    });
  const asIs = (value: string): string => value;
  return {
    subject: fill(template.subject, asIs).replace(/[\r\n]+/g, ' '),
    text: fill(template.text, asIs),
    ...(template.html === undefined ? {} : { html: fill(template.html, escapeHtml) }),
  };
}

function loadTemplate(kind: string, directory: string): MailTemplate {
  if (!/^[a-z0-9-]+$/.test(kind)) {
    throw new Error(`Not a mail kind: "${kind}"`);
  }
  const key = join(directory, kind);
  const cached = cache.get(key);
  if (cached) {
    return cached;
  }
  const source = readFileSync(`${key}.txt`, 'utf8');
  const subject = SUBJECT_LINE.exec(source);
  if (!subject) {
    throw new Error(`Mail template ${kind}.txt must start with a "Subject:" line`);
  }
  const htmlFile = `${key}.html`;
  const template: MailTemplate = {
    subject: subject[1].trim(),
    text: source.slice(subject[0].length),
    html: existsSync(htmlFile) ? readFileSync(htmlFile, 'utf8') : undefined,
  };
  cache.set(key, template);
  return template;
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
