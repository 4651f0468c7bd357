import './src/config/load-env-file';
import { DataSource } from 'typeorm';
import { parseEnvironment } from './src/config/env.validation';
import { buildDataSourceOptions } from './src/database/data-source-options';

// The TypeORM CLI's data source (`npm run migration:*`), built from the same configuration and
// the same options function as the application.
export default new DataSource(buildDataSourceOptions(parseEnvironment(process.env).database));
