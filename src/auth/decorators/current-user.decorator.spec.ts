import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Role } from '../../users/role.enum';
import { User } from '../../users/user.entity';
import { CurrentUser } from './current-user.decorator';

type Factory = (data: unknown, context: ExecutionContextHost) => unknown;

/** The factory and data Nest stores for the decorated parameter, called as Nest calls it. */
function resolveParameter(decorator: ParameterDecorator, request: object): unknown {
  class Controller {
    handler(_value: unknown): void {}
  }
  decorator(Controller.prototype, 'handler', 0);
  const metadata = Reflect.getMetadata(ROUTE_ARGS_METADATA, Controller, 'handler') as Record<
    string,
    { factory: Factory; data: unknown }
  >;
  const [{ factory, data }] = Object.values(metadata);
  return factory(data, new ExecutionContextHost([request, {}, () => undefined]));
}

function aUser(): User {
  return Object.assign(new User(), {
    id: '3f1c2b5e-8a0d-4c6e-9f5b-2d7e1a9c4b10',
    email: 'ada@example.com',
    username: 'ada',
    fullName: null,
    passwordHash: '$2b$04$hash',
    isActive: true,
    roles: [Role.User],
    createdAt: new Date(0),
    updatedAt: new Date(0),
  });
}

describe('CurrentUser', () => {
  it('gives the user entity the guard attached to the request', () => {
    const user = aUser();

    expect(resolveParameter(CurrentUser(), { user })).toBe(user);
  });

  it.each([
    ['id', '3f1c2b5e-8a0d-4c6e-9f5b-2d7e1a9c4b10'],
    ['email', 'ada@example.com'],
    ['roles', [Role.User]],
    ['isAdmin', false],
  ] as const)('gives one field of the user with @CurrentUser(%j)', (field, value) => {
    expect(resolveParameter(CurrentUser(field), { user: aUser() })).toEqual(value);
  });

  it('throws rather than give undefined when no user was attached (a @Public() route)', () => {
    expect(() => resolveParameter(CurrentUser(), {})).toThrow(/without an authenticated user/);
    expect(() => resolveParameter(CurrentUser('id'), {})).toThrow();
  });
});
