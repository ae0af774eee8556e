import type { FastifyInstance } from 'fastify';
export { type FastifyReply } from 'fastify';
export * from '../db.js';

export async function health(app: FastifyInstance) {
  app.get('/healthz', async () => ({ status: 'ok' }));
}
