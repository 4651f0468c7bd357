import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RenderedMail {
  subject: string;
  text: string;
  html?: string;
}

const TEMPLATES_DIRECTORY = join(__dirname, 'templates');
const cache = new Map<string, string | null>();

function readTemplate(file: string): string | null {
  if (!cache.has(file)) {
    try {
      cache.set(file, readFileSync(join(TEMPLATES_DIRECTORY, file), 'utf8'));
    } catch {
      cache.set(file, null);
    }
  }
  return cache.get(file) ?? null;
}

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ??
      character,
  );

const fill = (template: string, variables: Record<string, string>, escape = false): string =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    const value = variables[name] ?? '';
    return escape ? escapeHtml(value) : value;
  });

/**
 * Renders `templates/<kind>.txt` (its first line `Subject: ...`, then a blank line, then the
 * text) and the optional `templates/<kind>.html`, replacing `{{name}}` by the variables
 * (HTML-escaped in the HTML part). The files are plain so a team can edit them.
 */
export function renderMail(kind: string, variables: Record<string, string>): RenderedMail {
  const source = readTemplate(`${kind}.txt`);
  if (source === null) {
    throw new Error(`No mail template ${kind}.txt`);
  }
  const match = /^Subject: *(.*)\r?\n\r?\n([\s\S]*)$/.exec(source);
  if (!match) {
    throw new Error(`Mail template ${kind}.txt must start with "Subject: ..." and a blank line`);
  }
  const html = readTemplate(`${kind}.html`);
  return {
    subject: fill(match[1], variables).trim(),
    text: fill(match[2], variables),
    ...(html === null ? {} : { html: fill(html, variables, true) }),
  };
}
