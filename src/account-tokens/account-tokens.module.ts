import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountToken } from './account-token.entity';
import { AccountTokensService } from './account-tokens.service';

@Module({
  imports: [TypeOrmModule.forFeature([AccountToken])],
  providers: [AccountTokensService],
  exports: [AccountTokensService],
})
export class AccountTokensModule {}
