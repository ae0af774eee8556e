import { readFileSync } from 'node:fs';
import path from 'path';
import Fastify from 'fastify';
import type { ZodSchema } from 'zod';
import { type Dispatcher } from 'undici';
import OpenAI from 'openai';
import { routes } from './routes.js';

// require('lodash') in a comment is not an import
const banner = `import x from 'left-pad' ${path.sep} ${"nested"}`;
const pattern = /require\(['"]moment['"]\)/g;

const app = Fastify();
const client = new OpenAI();
app.register(routes);
export const schema: ZodSchema | undefined = undefined;
export type D = Dispatcher;
console.log(banner, pattern, readFileSync, client);
