import { ApiProperty } from '@nestjs/swagger';

/** The one answer of forgot and resend, whatever the address: it reveals no account. */
export class AcceptedResponseDto {
  @ApiProperty({
    example: 'If an account can use this address, a mail with a link is on its way',
  })
  message!: string;
}
