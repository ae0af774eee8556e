import { faker } from '@faker-js/faker';
import { db } from '../src/db.js';

await db.note.create({ data: { text: faker.lorem.sentence() } });
