import { renderMail } from '../mail/mail-templates';
import { describeLifetime, linkFor } from './account-mails.service';

describe('account mails', () => {
  describe(describeLifetime.name, () => {
    it.each([
      [1, '1 second'],
      [45, '45 seconds'],
      [60, '1 minute'],
      [1800, '30 minutes'],
      [5400, '90 minutes'],
      [3600, '1 hour'],
      [7200, '2 hours'],
      [86400, '1 day'],
      [172800, '2 days'],
      [90061, '90061 seconds'],
    ])('says %i seconds as "%s"', (seconds, text) => {
      expect(describeLifetime(seconds)).toBe(text);
    });
  });

  describe(linkFor.name, () => {
    it('replaces every {token} and nothing else', () => {
      expect(linkFor('https://app.example.com/r?token={token}&again={token}', 'abc-_1')).toBe(
        'https://app.example.com/r?token=abc-_1&again=abc-_1',
      );
    });
  });

  describe(renderMail.name, () => {
    it.each([
      'password-reset',
      'password-changed',
      'email-verify',
      'email-change',
      'email-change-notice',
    ])('renders %s with a subject, a text part and an HTML part, every variable filled', (kind) => {
      const mail = renderMail(kind, {
        username: 'ada',
        link: 'https://app.example.com/x?token=T0KEN',
        expiresIn: '30 minutes',
        newEmail: 'new@example.com',
      });

      expect(mail.subject.length).toBeGreaterThan(5);
      expect(mail.text).toContain('ada');
      expect(mail.html).toContain('ada');
      expect(mail.text).not.toMatch(/\{\{/);
      expect(mail.html).not.toMatch(/\{\{/);
    });

    it('puts the link in the mails that carry one, and none in the notices', () => {
      const variables = {
        username: 'ada',
        link: 'https://x.test/?token=T0KEN',
        expiresIn: '1 day',
        newEmail: 'n@x.test',
      };

      expect(renderMail('password-reset', variables).text).toContain('token=T0KEN');
      expect(renderMail('email-verify', variables).text).toContain('token=T0KEN');
      expect(renderMail('email-change', variables).text).toContain('token=T0KEN');
      expect(renderMail('email-change-notice', variables).text).not.toContain('T0KEN');
      expect(renderMail('password-changed', variables).text).not.toContain('T0KEN');
    });

    it('escapes the variables in the HTML part only', () => {
      const mail = renderMail('email-verify', {
        username: '<b>ada</b> & "co"',
        link: 'https://x.test/?token=a&b=1',
        expiresIn: '1 day',
      });

      expect(mail.html).toContain('&lt;b&gt;ada&lt;/b&gt; &amp; &quot;co&quot;');
      expect(mail.html).toContain('href="https://x.test/?token=a&amp;b=1"');
      expect(mail.text).toContain('<b>ada</b> & "co"');
    });

    it('throws for a kind without a template', () => {
      expect(() => renderMail('no-such-mail', {})).toThrow();
    });
  });
});
