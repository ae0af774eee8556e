#!/usr/bin/env node
'use strict';
const express = require('express');
const db = require('./lib/db');
const { randomUUID } = require('node:crypto');

const app = express();
app.get('/', async (req, res) => res.json({ id: randomUUID(), now: await db.now() }));
app.listen(process.env.PORT || 8080);
