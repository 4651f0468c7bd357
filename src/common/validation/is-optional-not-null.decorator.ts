import { ValidateIf } from 'class-validator';

/**
 * Like `@IsOptional()`, but only an absent field skips validation: `null` is validated, and so
 * refused, for fields that cannot be cleared.
 *
 * @example
 * ```ts
 * @IsOptionalNotNull()
 * @IsBoolean()
 * isActive?: boolean;
 * ```
 */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
