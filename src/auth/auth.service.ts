import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { MetricsService } from '../metrics/metrics.service';
import { SessionsService } from '../sessions/sessions.service';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { PasswordHasher } from '../users/password-hasher.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { clientInfoOf } from './client-info';
import type { RegisterDto } from './dto/register.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import { TokenService } from './token.service';

/** One message for an unknown account and a wrong password, so neither reveals the other. */
export const INVALID_CREDENTIALS = 'Incorrect username or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly metrics: MetricsService,
  ) {}

  async register(dto: RegisterDto): Promise<UserResponseDto> {
    const user = await this.users.create({
      email: dto.email,
      username: dto.username,
      fullName: dto.fullName,
      passwordHash: await this.passwords.hash(dto.password),
    });
    return UserResponseDto.from(user);
  }

  /**
   * The password is checked before the account state, so a disabled account answers 403 only to
   * someone who knows its password.
   */
  async validateCredentials(
    login: string,
    password: string,
    _request: FastifyRequest,
  ): Promise<User> {
    const user = await this.users.findByEmailOrUsername(login);
    if (!user) {
      await this.passwords.verifyAgainstNothing(password);
      this.metrics.recordLogin('invalid_credentials');
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    if (!(await this.passwords.verify(password, user.passwordHash))) {
      this.metrics.recordLogin('invalid_credentials');
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    if (!user.isActive) {
      this.metrics.recordLogin('disabled');
      throw new ForbiddenException('This account is disabled');
    }
    if (this.passwords.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.passwords.hash(password));
    }
    return user;
  }

  async login(user: User, request: FastifyRequest): Promise<TokenResponseDto> {
    const { session, refreshToken } = await this.sessions.open(user.id, clientInfoOf(request));
    this.metrics.recordLogin('success');
    return this.tokens.issue(user, session, refreshToken);
  }
}
