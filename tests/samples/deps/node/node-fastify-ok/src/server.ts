import path from 'node:path';
import { createRequire } from 'module';
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { PrismaClient } from '@prisma/client';
import { db } from './db.js';
import { config } from '@app/config.js';

const require = createRequire(import.meta.url);
const pkg = require('../package.json');
const help = `Run "import x from 'lodash'" to see ${'what'} happens ${`nested ${pkg.name}`}`;
const quotes = /['"]express['"]/;
const ratio = 10 / 2 / 1;

export async function build(): Promise<FastifyInstance> {
  const app = Fastify({ logger: config.logger });
  await app.register(cors);
  const { health } = await import('./routes/health.js');
  app.register(health);
  app.decorate('db', db as PrismaClient);
  return app;
}

const app = await build();
console.log(help, quotes, ratio, path.sep);
await app.listen({ host: '0.0.0.0', port: 8080 });
