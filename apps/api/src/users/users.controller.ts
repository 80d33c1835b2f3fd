import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: [UserDto] })
  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map(UserDto.of);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 409)
  async create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.create(dto));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: "Change a user's role or disable/enable them",
    description: 'Disabling ends their sessions, access tokens and open live streams (within seconds).',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<UserDto> {
    return UserDto.of(await this.users.update(id, dto, me.kind === 'user' ? me.id : null));
  }

  @Post(':id/password')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({
    summary: "Reset a user's password",
    description: 'Ends every session and access token of the user: they log in again with the new password.',
  })
  @ApiNoContentResponse({ description: 'password changed' })
  @ApiErrors(400, 404)
  async resetPassword(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResetPasswordDto): Promise<void> {
    await this.users.setPassword(id, dto.password);
  }
}
