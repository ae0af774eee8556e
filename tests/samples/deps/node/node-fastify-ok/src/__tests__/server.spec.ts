import request from 'supertest';
import { describe, it } from 'vitest';
import { build } from '../server.js';

describe('server', () => it('starts', async () => request((await build()).server)));
