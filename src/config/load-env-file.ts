import { config } from 'dotenv';

// Imported first by every entry point (main.ts, ormconfig.ts, the CLI): entity column types are
// chosen from DATABASE_URL when the entity files load, so `.env` must be read before them.
config({ quiet: true });
