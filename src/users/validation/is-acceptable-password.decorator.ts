import { registerDecorator, type ValidationArguments } from 'class-validator';
import { PASSWORD_MAX_BYTES } from './is-password.decorator';
import { passwordStrengthProblem, PASSWORD_COMMON_MESSAGE } from './password-policy';

export interface IsAcceptablePasswordOptions {
  /** The properties of the same object that hold the owner's email and username. */
  emailProperty?: string;
  usernameProperty?: string;
}

/**
 * Applies the password policy (see password-policy.ts) to a DTO property, with the owner's email
 * and username read from sibling properties. Length and type are left to `@IsPassword()`, so a
 * bad password gets one message per problem.
 *
 * @example
 * ```ts
 * @IsPassword()
 * @IsAcceptablePassword({ emailProperty: 'email', usernameProperty: 'username' })
 * password!: string;
 * ```
 */
export function IsAcceptablePassword(options: IsAcceptablePasswordOptions = {}): PropertyDecorator {
  const { emailProperty = 'email', usernameProperty = 'username' } = options;
  const problemOf = (args: ValidationArguments): string | null => {
    // Type and length are @IsPassword()'s to report; this adds one message, not a second one.
    if (typeof args.value !== 'string' || Buffer.byteLength(args.value) > PASSWORD_MAX_BYTES) {
      return null;
    }
    const object = args.object as Record<string, unknown>;
    const text = (key: string): string | undefined =>
      typeof object[key] === 'string' ? object[key] : undefined;
    return passwordStrengthProblem(args.value, {
      email: text(emailProperty),
      username: text(usernameProperty),
    });
  };
  return (target, propertyName) => {
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problemOf(args) === null,
        // Only asked for after validate() failed; the check runs again to name the problem.
        defaultMessage: (args?: ValidationArguments) =>
          (args && problemOf(args)) ?? PASSWORD_COMMON_MESSAGE,
      },
    });
  };
}
