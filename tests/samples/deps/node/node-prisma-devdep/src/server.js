import Fastify from 'fastify';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = Fastify({ logger: true });

app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/notes', async () => prisma.note.findMany());

await app.listen({ host: '0.0.0.0', port: Number(process.env.PORT ?? 8080) });
