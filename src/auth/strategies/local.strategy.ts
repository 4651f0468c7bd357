import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { clientInfoOf } from '../../common/client-info';
import type { User } from '../../users/user.entity';
import { AuthService } from '../auth.service';

/** Email or username + password, from the OAuth2 password form or JSON. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly authService: AuthService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<User> {
    return this.authService.validateCredentials(username, password, clientInfoOf(request));
  }
}
