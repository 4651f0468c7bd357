import { Body, Controller, Get, Injectable, Module, Param, Post } from '@nestjs/common';

// What `nest g resource notes` (REST, CRUD entry points) writes, trimmed to two routes: no auth
// code anywhere. The app's global guard is what protects it.
export class CreateNoteDto {}

@Injectable()
export class NotesService {
  create(createNoteDto: CreateNoteDto): string {
    return `This action adds a new note ${JSON.stringify(createNoteDto)}`;
  }

  findOne(id: number): string {
    return `This action returns a #${id} note`;
  }
}

@Controller('notes')
export class NotesController {
  constructor(private readonly notesService: NotesService) {}

  @Post()
  create(@Body() createNoteDto: CreateNoteDto): string {
    return this.notesService.create(createNoteDto);
  }

  @Get(':id')
  findOne(@Param('id') id: string): string {
    return this.notesService.findOne(+id);
  }
}

@Module({ controllers: [NotesController], providers: [NotesService] })
export class NotesModule {}
