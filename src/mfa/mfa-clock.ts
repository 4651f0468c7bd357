import { Injectable } from '@nestjs/common';

/**
 * The time the second factor reads: which 30-second TOTP step is current, and whether an
 * `mfa_token` has expired. One provider, so a test can move it (jest.spyOn) without faking the
 * timers the database drivers and the HTTP server depend on.
 */
@Injectable()
export class MfaClock {
  now(): Date {
    return new Date();
  }
}
