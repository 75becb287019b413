import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  Inject,
  Param,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../http/guards.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import { ApiError } from '../problems/api-error.js';
import type { ContactDetailResource, ContactPage } from './contact.resource.js';
import {
  CONTACT_PAGE_SIZE,
  type ContactApi,
  contactLocation,
  etagOf,
  expectedVersionOf,
} from './contacts.application.js';
import { single } from '../http/query-params.js';

export const CONTACT_API = Symbol('CONTACT_API');

/** `/v1/contacts`: the CRM's contacts, by the CRM's own id. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class ContactsController {
  constructor(@Inject(CONTACT_API) private readonly contacts: ContactApi) {}

  /** 201 created or 200 replaced with the stored contact and its ETag; 202 while pending. */
  @Put('contacts/:contactId')
  async upsert(
    @Req() request: TenantRequest,
    @Param('contactId') contactId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.contacts.upsert(
      requireTenant(request),
      contactId,
      body,
      expectedVersionOf(ifMatch),
    );
    void reply.header('Location', contactLocation(contactId));
    switch (outcome.status) {
      case 'upserted':
        await reply
          .status(outcome.created ? 201 : 200)
          .header('ETag', etagOf(outcome.contact.version))
          .send(outcome.contact);
        return;
      case 'pending':
        await reply.status(202).send(outcome);
        return;
    }
  }

  @Get('contacts/:contactId')
  async get(
    @Req() request: TenantRequest,
    @Param('contactId') contactId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const contact: ContactDetailResource = await this.contacts.get(
      requireTenant(request),
      contactId,
    );
    await reply.status(200).header('ETag', etagOf(contact.version)).send(contact);
  }

  @Get('contacts')
  list(
    @Req() request: TenantRequest,
    @Query('tag') tag?: string | string[],
    @Query('q') q?: string | string[],
    @Query('phone') phone?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<ContactPage> {
    const size = single(limit, 'limit');
    if (size !== undefined && !/^\d+$/.test(size)) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: 'must be an integer' },
      ]);
    }
    const filters = {
      tag: single(tag, 'tag'),
      q: single(q, 'q'),
      phone: single(phone, 'phone'),
      cursor: single(cursor, 'cursor'),
    };
    return this.contacts.list(requireTenant(request), {
      limit: size === undefined ? CONTACT_PAGE_SIZE.default : Number(size),
      ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    });
  }

  /** 204 once messaging deleted it; 404 when there is none; 202 while pending. */
  @Delete('contacts/:contactId')
  async delete(
    @Req() request: TenantRequest,
    @Param('contactId') contactId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.contacts.delete(
      requireTenant(request),
      contactId,
      expectedVersionOf(ifMatch),
    );
    if (outcome.status === 'deleted') {
      await reply.status(204).send();
      return;
    }
    await reply.status(202).header('Location', contactLocation(contactId)).send(outcome);
  }
}
