import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis/built/index.js';

export async function routes(app: FastifyInstance) {
  const redis = new Redis(process.env.REDIS_URL!);
  app.get('/healthz', async () => ({ ok: await redis.ping() }));
}
